"""Which column holds which field, and how values are spelled (a TOML mapping file).

A mapping has ``[columns]``: field → header names (the first is the one templates write),
and ``[values.<field>]``: spelling → code. A department's own file is laid over the default:
its header names come first, its spellings are added.

```toml
[columns]
branch = ["党支部", "所在党组织"]

[values.gender]
"M" = "male"
```
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jiceng.sheets.cells import CellError, normalise


@dataclass(frozen=True)
class Mapping:
    #: field → header names, the template's first
    columns: dict[str, tuple[str, ...]]
    #: field → {spelling: code}
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    #: fields a row must have
    required: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> Mapping:
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            raise CellError("sheet.mapping_invalid", reason=str(error)) from None
        columns = data.get("columns", {})
        values = data.get("values", {})
        if not isinstance(columns, dict) or not isinstance(values, dict):
            raise CellError("sheet.mapping_invalid", reason="[columns] and [values] are tables")
        for key, names in columns.items():
            if isinstance(names, str):
                columns[key] = [names]
            elif not isinstance(names, list) or not all(isinstance(n, str) for n in names):
                reason = f"[columns] {key}: a header name or a list of them"
                raise CellError("sheet.mapping_invalid", reason=reason)
        for key, spellings in values.items():
            if not isinstance(spellings, dict) or not all(
                isinstance(code, str) for code in spellings.values()
            ):
                reason = f'[values.{key}]: a table of spelling = "code"'
                raise CellError("sheet.mapping_invalid", reason=reason)
        required = data.get("required", [])
        if not isinstance(required, list) or not all(isinstance(f, str) for f in required):
            raise CellError("sheet.mapping_invalid", reason="required: a list of field names")
        return cls(
            columns={str(k): tuple(v) for k, v in columns.items()},
            values={str(k): {_key(s): c for s, c in v.items()} for k, v in values.items()},
            required=tuple(required),
        )

    @classmethod
    def load(cls, path: Path) -> Mapping:
        return cls.parse(path.read_text(encoding="utf-8"))

    def over(self, base: Mapping) -> Mapping:
        """This mapping laid over ``base``: its header names first, its spellings added."""
        unknown = set(self.columns) - set(base.columns)
        if unknown:
            raise CellError("sheet.mapping_unknown_field", fields=sorted(unknown))
        columns = {
            name: tuple(dict.fromkeys((*self.columns.get(name, ()), *headers)))
            for name, headers in base.columns.items()
        }
        values = {k: dict(v) for k, v in base.values.items()}
        for name, spellings in self.values.items():
            values.setdefault(name, {}).update(spellings)
        return Mapping(columns, values, base.required)

    def field_of(self, header: Any) -> str | None:
        """The field a header cell names (spaces, full-width forms and ``*`` ignored)."""
        wanted = _key(header)
        if not wanted:
            return None
        for name, headers in self.columns.items():
            if any(_key(h) == wanted for h in headers):
                return name
        return None

    def header(self, name: str) -> str:
        return self.columns[name][0]

    def code(self, name: str, value: Any) -> str | None:
        """The code a spelling stands for (the code itself is accepted too)."""
        spelled = _key(value)
        if not spelled:
            return None
        table = self.values.get(name, {})
        if spelled in table:
            return table[spelled]
        if spelled in set(table.values()):
            return spelled
        raise CellError("sheet.value_unknown", value=str(value), allowed=sorted(set(table))[:20])


def _key(value: Any) -> str:
    text = normalise(value)
    return "" if text is None else str(text).replace(" ", "").strip("*").lower()
