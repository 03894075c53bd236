"""What a checked file will store, kept between the check and the write.

The staged records are the stored events themselves (personal data sealed, the whole
event encrypted if the log is), in a temporary file that is gone when the import ends:
never the rows of the upload. Committing stores each staged batch in one transaction.
"""

from __future__ import annotations

import pickle
import struct
import tempfile
from collections.abc import Iterator
from typing import IO

from eventsourcing.persistence import StoredEvent

from jiceng.errors import StaleVersion
from jiceng.eventlog.application import EventLog
from jiceng.sheets.importing import Origin
from jiceng.sheets.report import Problem, Report

#: A staged batch: each row's origin and the events writing it stores.
Batch = list[tuple[Origin, list[StoredEvent]]]
_LENGTH = struct.Struct("!Q")


class StagedWrites:
    def __init__(self) -> None:
        self._file: IO[bytes] | None = None

    def add(self, batch: Batch) -> None:
        if self._file is None:
            self._file = tempfile.TemporaryFile()  # noqa: SIM115  (closed by close())
        frame = pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)
        self._file.write(_LENGTH.pack(len(frame)) + frame)

    def batches(self) -> Iterator[Batch]:
        if self._file is None:
            return
        self._file.flush()
        self._file.seek(0)
        while header := self._file.read(_LENGTH.size):
            (length,) = _LENGTH.unpack(header)
            yield pickle.loads(self._file.read(length))  # noqa: S301

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


def commit_staged(log: EventLog, staged: StagedWrites, report: Report) -> tuple[int, int]:
    """Store the staged batches, one transaction each; (rows written, last position).

    A batch meeting a stream someone else wrote since the check is stored row by row, and
    the rows that still conflict are reported (import the file again to retry them).
    """
    written, head = 0, 0
    for batch in staged.batches():
        try:
            head = max(head, log.insert_prepared([e for _, events in batch for e in events]))
            written += len(batch)
            continue
        except StaleVersion:
            pass
        for origin, events in batch:
            try:
                head = max(head, log.insert_prepared(events))
                written += 1
            except StaleVersion:
                report.refuse(Problem(origin.sheet, origin.row, "", "", "concurrency.conflict", {}))
    return written, head
