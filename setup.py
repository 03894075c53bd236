"""Packaging: the kernel and every service found under ``services/``.

A service is registered by existing: ``services/<name>/<package>/bootstrap.py`` defining
``service`` (a ``ServiceDefinition``). Its package is installed and named in the
``jiceng.services`` entry-point group, where the kernel finds it (``jiceng.registry``).
"""

from pathlib import Path

from setuptools import find_namespace_packages, setup

ROOT = Path(__file__).parent
SERVICE_ROOTS = sorted(p for p in (ROOT / "services").iterdir() if p.is_dir())

packages: list[str] = []
package_dir: dict[str, str] = {}
entry_points: list[str] = []
for root in [ROOT / "shared", *SERVICE_ROOTS]:
    tops = [d.name for d in root.iterdir() if (d / "__init__.py").exists()]
    wanted = [pattern for top in tops for pattern in (top, f"{top}.*")]
    # Namespace packages too: data folders (packs, sheet mappings) ship with their package.
    for package in find_namespace_packages(str(root), include=wanted, exclude=["*.__pycache__"]):
        packages.append(package)
        package_dir[package] = str((root / package.replace(".", "/")).relative_to(ROOT))
for root in SERVICE_ROOTS:
    for bootstrap in sorted(root.glob("*/bootstrap.py")):
        entry_points.append(f"{root.name} = {bootstrap.parent.name}.bootstrap:service")

setup(
    packages=packages,
    package_dir=package_dir,
    entry_points={
        "console_scripts": ["jiceng = jiceng.cli.main:main"],
        "jiceng.services": entry_points,
    },
)
