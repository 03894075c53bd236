"""An organisation in the Party's grassroots tree (党组织) and its leadership terms."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from jiceng.errors import RuleViolation
from jiceng.policy import Policy, PolicyPack
from org_registry.domain import term_rules, tree_rules
from org_registry.domain.event_shapes import EstablishedShape, RenamedShape
from org_registry.domain.sources import ImportSource
from org_registry.domain.structure import add_years, check_name, term_years
from org_registry.domain.term import Seat, Term
from org_registry.domain.types import Office, OrgDomain, OrgStatus, OrgType

__all__ = ["ImportSource", "OrgDomain", "OrgType", "Organisation"]


class Organisation(Aggregate):
    """党组织: a node of the tree, its children, policy packs and current term."""

    class Established(EstablishedShape):
        """成立 (version 2: see :class:`EstablishedShape`)."""

    class Renamed(RenamedShape):
        """更名 (version 2: see :class:`RenamedShape`)."""

    @event(Established)
    def __init__(
        self,
        name: str,
        org_type: OrgType,
        domain: OrgDomain,
        parent_id: UUID | None,
        established_on: date | None,
        short_name: str | None = None,
        code: str | None = None,
        region_code: str | None = None,
        student_branch: bool = False,
        source: ImportSource | None = None,
    ) -> None:
        self.name = name
        self.org_type = OrgType.of(org_type)
        self.domain = OrgDomain.of(domain)
        self.parent_id = parent_id
        self.established_on = established_on
        self.short_name = short_name
        self.code = code
        self.region_code = region_code
        self.student_branch = student_branch
        self.status = OrgStatus.ACTIVE
        self.children: set[UUID] = set()
        self.policy_packs: dict[date, str] = {}
        self.term: Term | None = None
        self.merged_into: UUID | None = None
        #: 书记 as a roster names them, outside an election (see :meth:`note_secretary`)
        self.secretary_on_record: str | None = None

    # -- founding and shape ---------------------------------------------------------------
    @classmethod
    def establish(
        cls,
        *,
        policy: Policy,
        name: str,
        org_type: OrgType,
        domain: OrgDomain,
        parent: Organisation | None,
        established_on: date | None,
        short_name: str | None = None,
        code: str | None = None,
        region_code: str | None = None,
        student_branch: bool = False,
        source: ImportSource | None = None,
    ) -> Organisation:
        """Found an organisation under ``parent`` (a root when None); the parent records it.

        ``source`` names the spreadsheet row when the organisation comes from an import."""
        tree_rules.check_establishment(policy, org_type, parent, student_branch)
        org = cls(
            name=check_name(name),
            org_type=org_type,
            domain=domain,
            parent_id=parent.id if parent else None,
            established_on=established_on,
            short_name=short_name,
            code=code,
            region_code=region_code,
            student_branch=student_branch,
            source=source,
        )
        if parent is not None:
            parent._child_attached(child_id=org.id)
        return org

    @property
    def active(self) -> bool:
        return self.status is OrgStatus.ACTIVE

    def check_active(self) -> None:
        if not self.active:
            raise RuleViolation("organisation.inactive", id=str(self.id), status=self.status.value)

    @event("ChildAttached")
    def _child_attached(self, child_id: UUID) -> None:
        self.children.add(child_id)

    @event("ChildDetached")
    def _child_detached(self, child_id: UUID) -> None:
        self.children.discard(child_id)

    def rename(
        self, name: str, short_name: str | None = None, source: ImportSource | None = None
    ) -> None:
        """更名; a short name left out keeps the current one (``source``: as for establish)."""
        self.check_active()
        cleaned = check_name(name)
        short_name = self.short_name if short_name is None else short_name
        if cleaned == self.name and short_name == self.short_name:
            raise RuleViolation("organisation.name_unchanged", name=cleaned)
        self._renamed(name=cleaned, short_name=short_name, source=source)

    @event(Renamed)
    def _renamed(self, name: str, short_name: str | None, source: ImportSource | None) -> None:
        self.name = name
        self.short_name = short_name

    def note_secretary(self, name: str, source: ImportSource | None = None) -> None:
        """书记 as the organisation's roster names them (a brought-in roster says who holds
        the office, not when the term began): kept apart from the elected term, which
        remains the record of an election (换届)."""
        self.check_active()
        cleaned = tree_rules.check_secretary_name(name)
        if cleaned != self.secretary_on_record:
            self._secretary_noted(name=cleaned, source=source)

    @event("SecretaryNoted")
    def _secretary_noted(self, name: str, source: ImportSource | None) -> None:
        self.secretary_on_record = name

    def reaffiliate(
        self,
        policy: Policy,
        new_parent: Organisation,
        old_parent: Organisation | None,
        new_parent_ancestors: list[UUID],
    ) -> None:
        """理顺隶属关系: move this organisation and its whole subtree under ``new_parent``."""
        tree_rules.check_reaffiliation(policy, self, new_parent, new_parent_ancestors)
        self._reaffiliated(parent_id=new_parent.id, previous_parent_id=self.parent_id)
        if old_parent is not None:
            old_parent._child_detached(child_id=self.id)
        new_parent._child_attached(child_id=self.id)

    @event("Reaffiliated")
    def _reaffiliated(self, parent_id: UUID, previous_parent_id: UUID | None) -> None:
        self.parent_id = parent_id

    def merge_into(
        self,
        policy: Policy,
        target: Organisation,
        target_ancestors: list[UUID],
        children: list[Organisation],
        parent: Organisation | None,
        merged_on: date,
    ) -> None:
        """合并: children move to ``target``; members follow (member-lifecycle reacts)."""
        tree_rules.check_merger(policy, self, target, target_ancestors, children)
        for child in children:
            child._reaffiliated(parent_id=target.id, previous_parent_id=self.id)
            self._child_detached(child_id=child.id)
            target._child_attached(child_id=child.id)
        self._merged(into_id=target.id, merged_on=merged_on)
        if parent is not None:
            parent._child_detached(child_id=self.id)

    @event("Merged")
    def _merged(self, into_id: UUID, merged_on: date) -> None:
        self.status = OrgStatus.MERGED
        self.merged_into = into_id

    def dissolve(self, dissolved_on: date, members: int, parent: Organisation | None) -> None:
        """撤销: refused while the organisation still has members or active children."""
        tree_rules.check_dissolution(self, members)
        self._dissolved(dissolved_on=dissolved_on)
        if parent is not None:
            parent._child_detached(child_id=self.id)

    @event("Dissolved")
    def _dissolved(self, dissolved_on: date) -> None:
        self.status = OrgStatus.DISSOLVED

    def restore(self, restored_on: date, parent: Organisation | None) -> None:
        """恢复 an organisation dissolved by mistake (a merged one stays merged)."""
        tree_rules.check_restoration(self, parent)
        self._restored(restored_on=restored_on)
        if parent is not None:
            parent._child_attached(child_id=self.id)

    @event("Restored")
    def _restored(self, restored_on: date) -> None:
        self.status = OrgStatus.ACTIVE

    def assign_policy_pack(self, pack: PolicyPack, effective_from: date) -> None:
        """The subtree follows ``pack`` from ``effective_from`` (once per date)."""
        tree_rules.check_pack_assignment(self, pack, effective_from)
        self._pack_assigned(pack_id=pack.id, effective_from=effective_from)

    @event("PolicyPackAssigned")
    def _pack_assigned(self, pack_id: str, effective_from: date) -> None:
        self.policy_packs[effective_from] = pack_id

    # -- leadership and terms ---------------------------------------------------------------
    def record_election(self, policy: Policy, held_on: date, seats: list[Seat]) -> None:
        """换届选举: the committee (or secretary) elected, and the term that begins."""
        self.check_active()
        term_rules.check_election(policy, self.org_type, self.term, held_on, seats)
        years = term_years(policy, self.org_type, self.domain)
        self._election_recorded(
            held_on=held_on,
            years=years,
            ends_on=add_years(held_on, years),
            seats=[s.as_dict() for s in seats],
        )

    @event("ElectionRecorded")
    def _election_recorded(
        self, held_on: date, years: int, ends_on: date, seats: list[dict[str, Any]]
    ) -> None:
        self.term = Term(held_on, years, ends_on, tuple(Seat.from_dict(s) for s in seats))

    def approve_leaders(self, approved_on: date, approved_by: str) -> None:
        """上级党委批准 the elected 书记/副书记 (党章31)."""
        term = self._current_term()
        term_rules.check_leader_approval(term, approved_on)
        self._leaders_approved(approved_on=approved_on, approved_by=approved_by)

    @event("LeadersApproved")
    def _leaders_approved(self, approved_on: date, approved_by: str) -> None:
        self.term = self._elected.approved(approved_on)

    def open_vacancy(self, office: Office, since: date) -> None:
        term = self._current_term()
        term_rules.check_vacancy(term, office, since)
        self._vacancy_opened(office=office.value, since=since)

    @event("VacancyOpened")
    def _vacancy_opened(self, office: str, since: date) -> None:
        self.term = self._elected.with_vacancy(office, since)

    def fill_vacancy(self, seat: Seat, filled_on: date) -> None:
        term = self._current_term()
        term_rules.check_filling(term, seat, filled_on)
        self._vacancy_filled(seat=seat.as_dict(), filled_on=filled_on)

    @event("VacancyFilled")
    def _vacancy_filled(self, seat: dict[str, Any], filled_on: date) -> None:
        self.term = self._elected.filled(Seat.from_dict(seat))

    def postpone_term(
        self, policy: Policy, months: int, approved_on: date, approved_by: str
    ) -> None:
        """延期换届, approved by the level above, within the pack's limit (generally ≤1 year)."""
        term = self._current_term()
        term_rules.check_postponement(policy, term, months)
        self._term_postponed(months=months, approved_on=approved_on, approved_by=approved_by)

    @event("TermPostponed")
    def _term_postponed(self, months: int, approved_on: date, approved_by: str) -> None:
        self.term = self._elected.postponed(months)

    @property
    def _elected(self) -> Term:
        assert self.term is not None  # every term's event follows the election that began it
        return self.term

    def _current_term(self) -> Term:
        self.check_active()
        if self.term is None:
            raise RuleViolation("term.none_recorded")
        return self.term
