"""Enumerations whose members carry a Chinese label beside their stable English code."""

from __future__ import annotations

from enum import StrEnum
from typing import Self


class LabelledEnum(StrEnum):
    label: str

    def __new__(cls, value: str, label: str) -> LabelledEnum:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    @classmethod
    def of(cls, value: object) -> Self:
        """The member whose code is ``value`` (``ValueError`` for an unknown code)."""
        return cls(value)  # type: ignore[call-arg, arg-type]
