"""Enumerations whose members carry a Chinese label (the kernel's, shared by every service)."""

from jiceng.labels import LabelledEnum

__all__ = ["LabelledEnum"]
