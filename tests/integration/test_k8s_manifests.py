"""deploy/k8s, rendered with kustomize and validated offline (no cluster is reachable here).

Both overlays render; every object validates strictly against the schemas of three Kubernetes
releases (custom resources only from an explicit allow-list, checked by hand); and the checks a
reviewer makes hold (tests/manifest_checks.py). A deliberately broken copy fails, naming the
object.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import manifest_checks as checks

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(scope="module", autouse=True)
def _kubectl() -> None:
    if shutil.which("kubectl") is None:
        if IN_CI:
            pytest.fail("CI=true but kubectl (with its built-in kustomize) is not installed")
        pytest.skip("kubectl is not installed")


@pytest.fixture(scope="module")
def rendered() -> dict[str, list[checks.Obj]]:
    return {o: checks.render(checks.K8S / "overlays" / o) for o in ("dev", "prod")}


@pytest.mark.parametrize("overlay", ["dev", "prod"])
def test_the_overlay_renders_and_passes_every_check(
    overlay: str, rendered: dict[str, list[checks.Obj]]
) -> None:
    found = checks.problems(rendered[overlay], pinned=overlay == "prod")
    assert found == [], "\n".join(found)


def test_what_each_overlay_renders(rendered: dict[str, list[checks.Obj]]) -> None:
    kinds = {o: sorted({obj["kind"] for obj in objs}) for o, objs in rendered.items()}
    assert set(kinds["prod"]) - set(kinds["dev"]) == {
        "ExternalSecret",
        "HorizontalPodAutoscaler",
        "ObjectStore",
        "PodMonitor",
        "PrometheusRule",
        "ScheduledBackup",
    }
    dev_secrets = {o["metadata"]["name"] for o in rendered["dev"] if o["kind"] == "Secret"}
    assert "jiceng-secrets" in dev_secrets
    assert not [o for o in rendered["prod"] if o["kind"] == "Secret"]  # all external
    cluster = next(o for o in rendered["prod"] if o["kind"] == "Cluster")
    assert cluster["spec"]["instances"] == 3
    hpa = [o for o in rendered["prod"] if o["kind"] == "HorizontalPodAutoscaler"]
    apis = [
        o
        for o in rendered["prod"]
        if o["kind"] == "Deployment"
        and o["metadata"]["labels"]["app.kubernetes.io/component"] == "api"
    ]
    assert len(hpa) == len(apis) == 4
    assert all("replicas" not in o["spec"] for o in apis)  # the HPA owns them


def test_the_connection_budget(rendered: dict[str, list[checks.Obj]]) -> None:
    """The figures deploy/k8s/README.md gives."""
    dev = checks.connection_budget(rendered["dev"])
    prod = checks.connection_budget(rendered["prod"])
    assert dev is not None and prod is not None
    assert (dev["per_process"], dev["total"], dev["available"]) == (11, 297, 307)
    assert (prod["per_process"], prod["total"], prod["available"]) == (11, 473, 487)
    assert max(prod["per_service"].values()) == 143 <= min(prod["role_limits"].values()) == 150


def _broken_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "k8s"
    shutil.copytree(checks.K8S, copy)
    service = copy / "base" / "funding.yaml"
    text = service.read_text()
    # The followers lose their resources; the Service gains a field Kubernetes does not have.
    text = text.replace(
        "          resources:\n            requests:\n              cpu: 100m\n"
        '              memory: 256Mi\n            limits:\n              cpu: "1"\n'
        "              memory: 768Mi\n",
        "",
    )
    text = text.replace("      targetPort: http", "      targetPort: http\n      portal: http")
    service.write_text(text)
    return copy


def test_a_broken_manifest_fails_naming_the_object(tmp_path: Path) -> None:
    objects = checks.render(_broken_copy(tmp_path) / "overlays" / "prod")
    found = "\n".join(checks.problems(objects, pinned=True))
    assert "Deployment/funding-followers container followers: resources.requests.cpu" in found
    assert "Service/funding: invalid for Kubernetes 1.30.0 at spec/ports/0: Additional" in found


def test_an_unknown_kind_is_refused() -> None:
    unknown = {"apiVersion": "example.org/v1", "kind": "Widget", "metadata": {"name": "w"}}
    found = list(checks.schema_problems([unknown]))
    assert found[0] == "Widget/w: example.org/v1 Widget is not in Kubernetes 1.30.0"


def test_only_followers_hold_the_key_that_mints_tokens(
    rendered: dict[str, list[checks.Obj]],
) -> None:
    import copy

    prod = rendered["prod"]
    mounts = {
        o["metadata"]["name"]: set(checks.mounted_secrets(o))
        for o in prod
        if o["kind"] in checks.WORKLOADS
    }
    assert "jiceng-follower-secrets" in mounts["org-registry-followers"]
    assert "jiceng-follower-secrets" not in mounts["org-registry"] | mounts["jiceng-migrate"]
    leaky = copy.deepcopy(prod)
    shared = next(o for o in leaky if o["metadata"]["name"] == "jiceng-secrets")
    shared["spec"]["target"]["template"]["data"]["JICENG_JWT_PRIVATE_KEY"] = "{{ .k }}"
    found = checks.problems(leaky, pinned=True)
    assert (
        "Deployment/funding: mounts jiceng-secrets, which holds the key that mints tokens" in found
    )


def test_the_dev_pods_settings_are_accepted_by_the_code(
    rendered: dict[str, list[checks.Obj]], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The environment a dev pod gets (the ConfigMap) and the files it reads (the Secret,
    as mounted at JICENG_SECRETS_DIR) make valid production settings."""
    import base64

    from jiceng.settings import Settings

    dev = rendered["dev"]
    config = next(o for o in dev if o["kind"] == "ConfigMap")["data"]
    secret = next(o for o in dev if o["metadata"]["name"] == "jiceng-secrets")["data"]
    mounted = tmp_path / "jiceng"
    mounted.mkdir()
    for key, value in secret.items():
        (mounted / key).write_bytes(base64.b64decode(value))
    for key, value in config.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("JICENG_SECRETS_DIR", str(mounted))
    settings = Settings()
    assert (settings.env, settings.host, settings.probes_under_prefix) == ("prod", "0.0.0.0", False)
    assert settings.service_urls["org-registry"] == "http://org-registry:8001"
    url = settings.database_url_for("funding")
    assert url is not None and url.startswith("postgresql://funding:")
    assert "@jiceng-db-rw:5432/jiceng?sslmode=verify-full" in url
