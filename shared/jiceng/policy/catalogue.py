"""Every pack the system knows, loaded from TOML files, and how a pack is resolved."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from jiceng.errors import InvalidInput
from jiceng.policy.pack import Policy, PolicyPack

PACKS_DIR = Path(__file__).parent / "packs"
#: The pack in force where no organisation up the tree has been assigned one.
DEFAULT_PACK = "national"


class PolicyCatalogue:
    def __init__(self, packs: Iterable[PolicyPack]) -> None:
        self._packs: dict[str, dict[int, PolicyPack]] = {}
        for pack in packs:
            self._packs.setdefault(pack.id, {})[pack.version] = pack
        for pack in self.all():
            if pack.extends and pack.extends not in self._packs:
                msg = f"pack {pack.ref} extends unknown pack {pack.extends}"
                raise ValueError(msg)

    @classmethod
    def from_directory(cls, directory: Path) -> PolicyCatalogue:
        return cls(_load(path) for path in sorted(directory.glob("*.toml")))

    def all(self) -> list[PolicyPack]:
        return [p for versions in self._packs.values() for p in versions.values()]

    def pack(self, pack_id: str, version: int | None = None) -> PolicyPack:
        versions = self._packs.get(pack_id)
        if not versions or (version is not None and version not in versions):
            raise InvalidInput("policy.unknown_pack", pack=pack_id, version=version)
        return versions[version if version is not None else max(versions)]

    def policy(self, pack_id: str = DEFAULT_PACK, version: int | None = None) -> Policy:
        """The pack with the chain of packs it extends."""
        chain = [self.pack(pack_id, version)]
        while chain[-1].extends:
            if len(chain) > 10:
                msg = f"pack {pack_id} extends too deeply (a cycle?)"
                raise ValueError(msg)
            chain.append(self.pack(chain[-1].extends))
        return Policy(tuple(chain))

    def in_force(self, pack_id: str, on: date) -> Policy:
        """The newest version of ``pack_id`` effective on ``on`` (or the default pack)."""
        versions = [p for p in self._packs.get(pack_id, {}).values() if p.effective_from <= on]
        if not versions:
            return self.policy(DEFAULT_PACK)
        return self.policy(pack_id, max(versions, key=lambda p: p.version).version)


def _load(path: Path) -> PolicyPack:
    data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    return PolicyPack(
        id=data["id"],
        version=int(data["version"]),
        title=data["title"],
        status=data.get("status", "verified"),
        effective_from=date.fromisoformat(str(data["effective_from"])),
        jurisdiction=data.get("jurisdiction", ""),
        extends=data.get("extends"),
        rules=data.get("rules", {}),
        sources=data.get("sources", {}),
    )


@cache
def default_catalogue() -> PolicyCatalogue:
    return PolicyCatalogue.from_directory(PACKS_DIR)
