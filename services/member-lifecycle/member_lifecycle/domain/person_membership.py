"""A member's commands after admission (rule book §4): 组织关系转接, a merger, 流动党员,
失联/停止党籍/恢复, 限期改正 and 留党察看. Each checks its rule and records one event."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from member_lifecycle.domain import moves, standing
from member_lifecycle.domain.decision import Rules
from member_lifecycle.domain.person_path import PersonRecorder


class MembershipCommands:
    """The membership commands of :class:`.person.Person` (a mixin: the events are the
    person's). ``TransferRecorded``, ``MobilityRecorded`` and ``StandingRecorded`` name the
    action in ``action``."""

    # 组织关系转接 -------------------------------------------------------------------------

    def send_transfer(
        self: PersonRecorder,
        to_org: UUID,
        to_name: str | None,
        sent_on: date,
        letter: str,
        rules: Rules,
    ) -> None:
        """组织关系转出: the letter is sent; the old branch keeps the record until accepted."""
        d = moves.send_transfer(self, to_org, to_name, sent_on, letter, rules)
        self._transfer("sent", sent_on, d)

    def accept_transfer(self: PersonRecorder, accepted_on: date, rules: Rules) -> None:
        """组织关系接收: the record moves to the receiving organisation."""
        self._transfer("accepted", accepted_on, moves.accept_transfer(self, accepted_on, rules))

    def return_transfer(self: PersonRecorder, returned_on: date, reason: str, rules: Rules) -> None:
        """组织关系退回: the record stays where it was."""
        d = moves.return_transfer(self, returned_on, reason, rules)
        self._transfer("returned", returned_on, d)

    def postpone_conversion(
        self: PersonRecorder, decided_on: date, months: int, why: str, rules: Rules
    ) -> None:
        """A transferred 预备党员's 转正 discussion put off (the 预备期 does not move)."""
        d = moves.postpone_conversion(self, decided_on, months, why, rules)
        self._transfer("conversion_postponed", decided_on, d)

    def move_by_merger(self: PersonRecorder, into: UUID, merged_on: date) -> None:
        """The branch merged into ``into`` (合并): the record moves with it."""
        self._transfer("merged", merged_on, moves.move_by_merger(self, into, merged_on))

    # 流动党员 -----------------------------------------------------------------------------

    def register_outflow(
        self: PersonRecorder, left_on: date, destination: str, certificate: str, rules: Rules
    ) -> None:
        """流动党员外出登记, with the 流动党员活动证."""
        d = moves.register_outflow(self, left_on, destination, certificate, rules)
        self._mobility("outflow_registered", left_on, d)

    def record_outflow_contact(self: PersonRecorder, on: date, rules: Rules) -> None:
        """The branch was in touch with its 流动党员: the next contact falls due later."""
        self._mobility("contacted", on, moves.record_outflow_contact(self, on, rules))

    def end_outflow(self: PersonRecorder, returned_on: date, rules: Rules) -> None:
        """The 流动党员 is back."""
        self._mobility("returned", returned_on, moves.end_outflow(self, returned_on, rules))

    # Standing -----------------------------------------------------------------------------

    def report_lost_contact(self: PersonRecorder, since: date, rules: Rules) -> None:
        """失去联系 since ``since``: 停止党籍 may be reviewed after six months."""
        self._standing("lost_contact", since, standing.report_lost_contact(self, since, rules))

    def suspend(self: PersonRecorder, decided_on: date, body: str, rules: Rules) -> None:
        """停止党籍, decided by ``body``."""
        self._standing("suspended", decided_on, standing.suspend(self, decided_on, body, rules))

    def restore(self: PersonRecorder, found_on: date, rules: Rules) -> None:
        """Contact regained: 恢复党籍."""
        self._standing("restored", found_on, standing.restore(self, found_on, rules))

    def order_rectification(
        self: PersonRecorder, ordered_on: date, until: date, rules: Rules
    ) -> None:
        """限期改正 until ``until``."""
        d = standing.order_rectification(self, ordered_on, until, rules)
        self._standing("rectification_ordered", ordered_on, d)

    def conclude_rectification(
        self: PersonRecorder, concluded_on: date, improved: bool, rules: Rules
    ) -> None:
        """限期改正期满: improved, or not (劝退 or 除名 may follow)."""
        d = standing.conclude_rectification(self, concluded_on, improved, rules)
        self._standing("rectification_concluded", concluded_on, d)

    def record_party_probation(
        self: PersonRecorder, decided_on: date, until: date, decision: str, rules: Rules
    ) -> None:
        """留党察看 until ``until``, from the disciplinary decision ``decision``."""
        d = standing.record_party_probation(self, decided_on, until, decision, rules)
        self._standing("party_probation", decided_on, d)
