"""A policy pack and the resolved policy of a pack with the packs it extends.

Framework-free: rules take a :class:`Policy` as an argument; nothing reads a number from code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

from jiceng.errors import InvalidInput


@dataclass(frozen=True)
class PolicyPack:
    id: str
    version: int
    title: str
    status: Literal["verified", "unverified"]
    effective_from: date
    jurisdiction: str
    extends: str | None = None
    rules: Mapping[str, Any] = field(default_factory=dict)
    sources: Mapping[str, str] = field(default_factory=dict)

    @property
    def ref(self) -> str:
        """How events name the pack that decided: ``id@version``."""
        return f"{self.id}@{self.version}"


@dataclass(frozen=True)
class RuleValue:
    key: str
    value: Any
    pack: str
    source: str | None


@dataclass(frozen=True)
class Policy:
    """A pack together with the chain of packs it extends (nearest first)."""

    chain: tuple[PolicyPack, ...]

    @property
    def pack(self) -> PolicyPack:
        return self.chain[0]

    @property
    def ref(self) -> str:
        return self.pack.ref

    def rule(self, key: str) -> RuleValue:
        """The value of ``key`` from the nearest pack that states it."""
        for pack in self.chain:
            if key in pack.rules:
                return RuleValue(key, pack.rules[key], pack.ref, pack.sources.get(key))
        raise InvalidInput("policy.rule_missing", rule=key, pack=self.ref)

    def value(self, key: str) -> Any:
        return self.rule(key).value

    def get(self, key: str, default: Any = None) -> Any:
        for pack in self.chain:
            if key in pack.rules:
                return pack.rules[key]
        return default
