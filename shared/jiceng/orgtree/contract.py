"""The org-registry events other services rely on (the published language of its feed).

Each event a copy reads has a typed payload here. A reader turns a feed event's payload into
its type with :func:`parse`; org-registry's tests check every event it writes with
:func:`problems`, so renaming or retyping a field here, or in the events org-registry writes,
breaks a test before it breaks a follower. Changing a name or a field is a breaking change
for every follower.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, fields
from datetime import date
from functools import cache
from typing import Any, ClassVar, Self, TypedDict, TypeVar, Union, get_args, get_origin
from typing import get_type_hints as type_hints
from uuid import UUID

STREAM = "org-registry"

#: Every org-registry event on an organisation's stream has a type starting with this; the
#: org-tree copy takes the stream version of those it has no payload type for.
EVENT_PREFIX = "Organisation."

ESTABLISHED = "Organisation.Established"
RENAMED = "Organisation.Renamed"
REAFFILIATED = "Organisation.Reaffiliated"
DISSOLVED = "Organisation.Dissolved"
RESTORED = "Organisation.Restored"
MERGED = "Organisation.Merged"
PACK_ASSIGNED = "Organisation.PolicyPackAssigned"

ACTIVE = "active"
DISSOLVED_STATUS = "dissolved"
MERGED_STATUS = "merged"


class ContractError(ValueError):
    """A payload that does not carry what the contract says (a field missing or mistyped)."""


class ImportedRow(TypedDict):
    """The spreadsheet row an event's facts were imported from (导入来源)."""

    file: str
    sheet: str
    row: int
    sha256: str


@dataclass(frozen=True)
class Payload:
    """The base of the payload types: the event type they describe, parsing and checking.

    A field with a default may be absent from what a reader receives (events written before
    the field existed); org-registry writes every field of every event it publishes.
    """

    TYPE: ClassVar[str]

    @classmethod
    def parse(cls, payload: Mapping[str, Any]) -> Self:
        """The payload as its type; :class:`ContractError` if a field is missing or mistyped."""
        values, problems = cls._read(payload, every_field=False)
        if problems:
            raise ContractError(f"{cls.TYPE}: {'; '.join(problems)}")
        return cls(**values)

    @classmethod
    def problems(cls, payload: Mapping[str, Any]) -> list[str]:
        """What a producer's payload lacks: every field present, each of its type."""
        return cls._read(payload, every_field=True)[1]

    @classmethod
    def _read(
        cls, payload: Mapping[str, Any], *, every_field: bool
    ) -> tuple[dict[str, Any], list[str]]:
        values: dict[str, Any] = {}
        problems: list[str] = []
        for name, hint, required in _schema(cls):
            if name in payload:
                try:
                    values[name] = _typed(hint, payload[name], name)
                except ContractError as error:
                    problems.append(str(error))
            elif every_field or required:
                problems.append(f"no {name!r}")
        return values, problems


@dataclass(frozen=True)
class Established(Payload):
    """成立: a new node of the tree, under ``parent_id`` (a root when ``None``)."""

    TYPE = ESTABLISHED

    name: str
    org_type: str
    domain: str | None = None
    parent_id: UUID | None = None
    established_on: date | None = None
    short_name: str | None = None
    code: str | None = None
    region_code: str | None = None
    student_branch: bool = False
    #: the imported row (version 2 of the event; ``None`` when not imported)
    source: ImportedRow | None = None


@dataclass(frozen=True)
class Renamed(Payload):
    """更名: the new name and short name."""

    TYPE = RENAMED

    name: str
    short_name: str | None = None
    source: ImportedRow | None = None


@dataclass(frozen=True)
class Reaffiliated(Payload):
    """理顺隶属关系: the organisation and its subtree now sit under ``parent_id``."""

    TYPE = REAFFILIATED

    parent_id: UUID
    previous_parent_id: UUID | None = None


@dataclass(frozen=True)
class Dissolved(Payload):
    """撤销."""

    TYPE = DISSOLVED

    dissolved_on: date


@dataclass(frozen=True)
class Restored(Payload):
    """恢复 after a dissolution by mistake."""

    TYPE = RESTORED

    restored_on: date


@dataclass(frozen=True)
class Merged(Payload):
    """合并 into ``into_id``; the children move by their own ``Reaffiliated`` events."""

    TYPE = MERGED

    into_id: UUID
    merged_on: date


@dataclass(frozen=True)
class PolicyPackAssigned(Payload):
    """The organisation's subtree follows ``pack_id`` from ``effective_from``."""

    TYPE = PACK_ASSIGNED

    pack_id: str
    effective_from: date


#: Every published payload type, by its event type.
PAYLOADS: dict[str, type[Payload]] = {
    p.TYPE: p
    for p in (Established, Renamed, Reaffiliated, Dissolved, Restored, Merged, PolicyPackAssigned)
}

P = TypeVar("P", bound=Payload)


def parse(kind: type[P], payload: Mapping[str, Any]) -> P:
    """A feed event's payload as ``kind`` (see :meth:`Payload.parse`)."""
    return kind.parse(payload)


_SCHEMAS: dict[type[Payload], tuple[tuple[str, Any, bool], ...]] = {}


def _schema(kind: type[Payload]) -> tuple[tuple[str, Any, bool], ...]:
    """Each field's name, type and whether it is required, worked out once per type (reading
    the annotations is slow, and the org-tree copy parses every event it folds)."""
    if kind not in _SCHEMAS:
        hints = type_hints(kind)
        _SCHEMAS[kind] = tuple((f.name, hints[f.name], f.default is MISSING) for f in fields(kind))
    return _SCHEMAS[kind]


@cache
def _imported_row_fields() -> tuple[tuple[str, Any], ...]:
    return tuple(type_hints(ImportedRow).items())


def _typed(hint: Any, value: Any, name: str) -> Any:
    """``value`` as the field's type: UUIDs and dates arrive as strings in the feed's JSON."""
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        options = get_args(hint)
        if value is None and type(None) in options:
            return None
        (inner,) = (o for o in options if o is not type(None))
        return _typed(inner, value, name)
    try:
        if hint is UUID:
            return value if isinstance(value, UUID) else UUID(_of(str, value))
        if hint is date:
            return value if isinstance(value, date) else date.fromisoformat(_of(str, value))
        if hint in (str, bool):
            return _of(hint, value)
        if hint is int:
            if isinstance(value, bool):
                raise TypeError(value)
            return _of(int, value)
        if hint is ImportedRow:
            row = _of(dict, value)
            for key, kind in _imported_row_fields():
                _typed(kind, row.get(key), f"{name}.{key}")
            return row
    except (TypeError, ValueError) as error:
        msg = f"{name!r} is not a {getattr(hint, '__name__', hint)}: {value!r}"
        raise ContractError(msg) from error
    raise AssertionError(hint)  # pragma: no cover - a type this module does not declare


T = TypeVar("T")


def _of(kind: type[T], value: object) -> T:
    if not isinstance(value, kind):
        raise TypeError(value)
    return value
