"""A service is registered by existing: every folder under ``services/`` with a bootstrap is
installed and found, in port order, with nothing to edit outside it."""

from __future__ import annotations

from pathlib import Path

from jiceng.registry import definition, port_of, service_names, url_of
from jiceng.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def test_every_service_folder_is_a_registered_service() -> None:
    folders = {p.parent.parent.name for p in (ROOT / "services").glob("*/*/bootstrap.py")}
    assert (
        set(service_names())
        == folders
        == {
            "org-registry",
            "member-lifecycle",
            "assessment",
            "funding",
        }
    )


def test_services_start_in_port_order_org_registry_first() -> None:
    names = service_names()
    assert names[0] == "org-registry"  # every other service copies its tree
    assert [definition(n).port for n in names] == [8001, 8002, 8003, 8004]


def test_configured_ports_and_urls_win_over_a_service_own() -> None:
    settings = Settings(
        ports={"funding": 9104}, service_urls={"assessment": "http://assessment.internal"}
    )
    assert port_of(settings, "funding") == 9104
    assert port_of(settings, "member-lifecycle") == 8002
    assert url_of(settings, "assessment") == "http://assessment.internal"
    assert url_of(settings, "org-registry") == "http://127.0.0.1:8001"
