"""Requests for every operation of a service's OpenAPI, with the ids a test chooses.

Bodies are built from the schema: required fields only, each with a plausible value, and every
identifier pointing where the test says (tree B's branch, person, unit...). Whether the
command then passes its rules does not matter to the tests using this: they look at who may
do or see what, and at what the answer gives away.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import httpx

SERVICES = ("org-registry", "member-lifecycle", "assessment", "funding")

#: Reference data every principal may read: codes, packs, the working-day calendar, health.
GLOBAL_READS = frozenset(
    {
        "liveness",
        "readiness",
        "metrics",
        "list_enums",
        "list_policy_packs",
        "list_lifecycle_enums",
        "list_steps",
        "get_calendar_year",
        "compute_deadline",
        "count_working_days",
        # the empty spreadsheets an import reads: column names, nothing of any tree
        "import_orgs_template",
        "import_people_template",
    }
)


@dataclass(frozen=True)
class Operation:
    service: str
    method: str
    path: str
    operation_id: str
    parameters: list[dict[str, Any]]
    body: dict[str, Any] | None

    @property
    def has_ids(self) -> bool:
        return any(p["in"] == "path" and p["name"].endswith("_id") for p in self.parameters)


def operations(client: httpx.Client) -> list[Operation]:
    found = []
    for service in SERVICES:
        spec = client.get(f"/{service}/openapi.json").json()
        for path, methods in spec["paths"].items():
            for method, op in methods.items():
                body = None
                content = op.get("requestBody", {}).get("content", {})
                if "application/json" in content:  # (an upload's body is a file, not JSON)
                    schema = content["application/json"]["schema"]
                    body = {"schema": schema, "components": spec.get("components", {})}
                found.append(
                    Operation(
                        service,
                        method.upper(),
                        path,
                        op["operationId"],
                        op.get("parameters", []),
                        body,
                    )
                )
    return found


@dataclass(frozen=True)
class Ids:
    """Which ids fill a request: an organisation high and low in a tree, a person, etc."""

    root: str
    branch: str
    person: str
    unit: str
    venue: str

    def for_name(self, name: str) -> str:
        if "person" in name or "member" in name or name == "stream_id" or name == "roll":
            return self.person
        if "unit" in name:
            return self.unit
        if "venue" in name:
            return self.venue
        if name in ("parent_id", "into_id", "managing_org_id", "approver_org_id"):
            return self.root
        return self.branch


def request_for(op: Operation, ids: Ids) -> tuple[str, str, dict[str, str], Any]:
    """(method, url, query, json body) for ``op`` aimed at ``ids``."""
    path = op.path
    query: dict[str, str] = {}
    for p in op.parameters:
        if p["in"] == "path":
            path = path.replace("{" + p["name"] + "}", _path_value(p, ids))
        elif p["in"] == "query" and p.get("required"):
            query[p["name"]] = _plain(p["name"], p.get("schema", {}), ids)
    body = None
    if op.body is not None:
        body = _value("body", op.body["schema"], op.body["components"], ids, depth=0)
    return op.method, path, query, body


def _path_value(p: dict[str, Any], ids: Ids) -> str:
    name = p["name"]
    if name.endswith("_id") and name != "correlation_id":
        return ids.for_name(name)
    if name == "point":
        return "activist"
    if name == "year":
        return "2026"
    return "x"


def _plain(name: str, schema: dict[str, Any], ids: Ids) -> str:
    value = _value(name, schema, {}, ids, depth=0)
    return str(value).lower() if isinstance(value, bool) else str(value)


def _value(
    name: str, schema: dict[str, Any], components: dict[str, Any], ids: Ids, depth: int
) -> Any:
    if "$ref" in schema:
        schema = components["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [s for s in schema[key] if s.get("type") != "null"]
            return _value(name, options[0], components, ids, depth)
    if "enum" in schema:
        return schema["enum"][0]
    if "const" in schema:
        return schema["const"]
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return {
            prop: _value(prop, sub, components, ids, depth + 1)
            for prop, sub in schema.get("properties", {}).items()
            if prop in schema.get("required", [])
        }
    if kind == "array":
        if schema.get("minItems", 0) == 0:
            return []
        return [_value(name, schema["items"], components, ids, depth + 1)]
    if kind == "integer":
        return max(int(schema.get("minimum", 1)), int(schema.get("exclusiveMinimum", 0)) + 1)
    if kind == "number":
        return 1
    if kind == "boolean":
        return True
    fmt = schema.get("format")
    if fmt == "uuid":
        return ids.for_name(name)
    if fmt == "date":
        return "2026-10-08"
    if fmt == "date-time":
        return "2026-10-08T10:00:00+08:00"
    if "region" in name:
        return "440305"
    if name == "phone":
        return "13800000000"
    if name == "credit_code":
        return "91440300MA5ABCDE0K"
    if name == "resident_id":
        return "11010519491231002X"
    return "测试"
