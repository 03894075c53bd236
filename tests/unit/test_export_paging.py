"""A download walks every page of the JSON list: more people than one page holds (500)."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import date

import anyio

import gb11643
from jiceng.calendar import today
from jiceng.eventlog.meta import EventMeta
from jiceng.personal import sealer_for
from member_lifecycle.domain.person import Gender, Person
from support import Api, copy_of_org

V1 = "/member-lifecycle/v1"


async def test_every_page_of_a_large_subtree_is_exported(lifecycle_api: Api) -> None:
    api = lifecycle_api
    committee = await copy_of_org(api, "某大学党委", "committee")
    branch = await copy_of_org(api, "数学学院教工党支部", "branch", committee)
    # Registered in one save, as a bulk import would, so that the test stays quick.
    sealer = sealer_for(api.runtime.settings)
    everyone = [
        Person.register(
            sealer=sealer,
            today=today(),
            name=f"党员{serial:04d}",
            gender=Gender.MALE if serial % 2 else Gender.FEMALE,
            ethnicity="汉族",
            resident_id=gb11643.resident_id(date(1980, 1, 1), serial),
            phone=f"1390000{serial:04d}",
            branch_id=uuid.UUID(branch),
        )
        for serial in range(1, 503)
    ]
    meta = EventMeta(actor="jwt:loader", reason="bulk")
    saved = await anyio.to_thread.run_sync(lambda: api.runtime.log.save(*everyone, meta=meta))
    await api.runtime.read_your_writes(saved[-1].notification.id, timeout=60)
    answer = await api.client.get(
        f"{V1}/orgs/{committee}/roster/export", params={"format": "csv"}, headers=api.headers()
    )
    lines = list(csv.reader(io.StringIO(answer.content.decode("utf-8-sig"))))
    assert [line[0] for line in lines[1:]] == [f"党员{n:04d}" for n in range(1, 503)]
    assert {line[5] for line in lines[1:]} == {f"*******{n:04d}" for n in range(1, 503)}
