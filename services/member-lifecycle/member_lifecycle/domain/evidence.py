"""Evidence a step carries: dates, votes, the standing of members named in it.

Counting words follow the rule book: 以上/以下/以内/满 include the number, 超过/不足 exclude it.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from typing import TypedDict
from uuid import UUID

from jiceng.errors import InvalidInput, RuleViolation
from jiceng.labels import LabelledEnum
from jiceng.policy import Policy


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later; the month's last day when it is shorter (2/29 → 2/28)."""
    total = day.year * 12 + day.month - 1 + months
    year, month = divmod(total, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


def full_years_reached(born: date, years: int, on: date) -> bool:
    """年满 N 岁: on or after the N-th birthday (a 2/29 birthday falls on 2/28)."""
    return on >= add_months(born, 12 * years)


def full_years(since: date, on: date) -> int:
    """Full years from ``since`` to ``on`` (an age, 党龄); negative before ``since``."""
    years = on.year - since.year
    return years if add_months(since, 12 * years) <= on else years - 1


def party_years(formal_since: date | None, on: date) -> int | None:
    """党龄 in full years: it counts from the 转正 date (the end of the 预备期)."""
    if formal_since is None or on < formal_since:
        return None
    return full_years(formal_since, on)


class ExclusionReason(LabelledEnum):
    """Why a voting member is left out of 应到 (with the upper committee's approval)."""

    INCAPACITATED = ("incapacitated", "丧失行为能力")
    ABROAD = ("abroad", "自费出国半年以上")
    IMPRISONED = ("imprisoned", "服刑")
    BEDRIDDEN = ("bedridden", "长期卧床")
    AWAY_WITHOUT_TRANSFER = ("away_without_transfer", "外出半年以上未转组织关系")


class ExclusionRecord(TypedDict):
    member: str
    reason: str
    approved_by: str


class VoteRecord(TypedDict):
    """A vote as the event stores it."""

    entitled: int
    present: int
    in_favour: int
    against: int
    abstained: int
    written_opinions: int
    exclusions: list[ExclusionRecord]
    roll: list[str]
    register_entitled: int | None
    entitled_reason: str | None
    expected: int
    entitled_differs: bool


class MemberRecord(TypedDict):
    """A member a step names, as the event stores them."""

    person_id: str
    name: str
    stage: str


@dataclass(frozen=True)
class Exclusion:
    member: str
    reason: ExclusionReason
    approved_by: str


@dataclass(frozen=True)
class Vote:
    """A 票决 at a 支部大会: counts against 应到, never against those present."""

    entitled: int  # voting 正式党员 of the branch (预备党员 have no vote), as the vote used it
    present: int
    in_favour: int  # including written opinions of absent members
    against: int = 0
    abstained: int = 0
    written_opinions: int = 0
    exclusions: tuple[Exclusion, ...] = ()
    roll: tuple[UUID, ...] = field(default=())  # who voted, when the branch records it
    #: The register's voting roll of the branch on the vote's date (None: not consulted).
    register_entitled: int | None = None
    #: Why the branch states another figure than the register's.
    entitled_reason: str | None = None

    @property
    def entitled_differs(self) -> bool:
        """The branch stated another 应到 than the register's: flagged for auditors."""
        return self.register_entitled is not None and self.entitled != self.register_entitled

    @property
    def expected(self) -> int:
        """应到: the entitled less the approved exclusions."""
        return self.entitled - len(self.exclusions)

    def check(self, policy: Policy) -> None:
        """Quorum and pass: both 超过 half of 应到 (the pack names the rule)."""
        if self.entitled_differs and not (self.entitled_reason or "").strip():
            # 应到 is the register's: a branch declaring fewer voters could pass a vote with
            # a minority of its members present.
            raise RuleViolation(
                "vote.entitled_differs_from_register",
                stated=self.entitled,
                register=self.register_entitled,
                pack=policy.ref,
            )
        expected = self.expected
        if expected < 1 or min(self.present, self.in_favour, self.against, self.abstained) < 0:
            raise InvalidInput("vote.counts_invalid", expected=expected, entitled=self.entitled)
        cast = self.in_favour + self.against + self.abstained
        if self.present > expected or cast > self.present + self.written_opinions:
            raise InvalidInput(
                "vote.counts_inconsistent",
                expected=expected,
                present=self.present,
                cast=cast,
                written=self.written_opinions,
            )
        if self.written_opinions > expected - self.present:
            raise InvalidInput(
                "vote.counts_inconsistent",
                expected=expected,
                present=self.present,
                cast=cast,
                written=self.written_opinions,
            )
        for rule, count, code in (
            ("development.vote_quorum", self.present, "vote.quorum_not_met"),
            ("development.vote_pass", self.in_favour, "vote.not_passed"),
        ):
            if policy.value(rule) != "more_than_half_of_expected":
                raise InvalidInput("policy.rule_unknown_value", rule=rule, pack=policy.ref)
            if not count * 2 > expected:
                raise RuleViolation(
                    code, count=count, expected=expected, needed=expected // 2 + 1, pack=policy.ref
                )

    def record(self) -> VoteRecord:
        return {
            "entitled": self.entitled,
            "present": self.present,
            "in_favour": self.in_favour,
            "against": self.against,
            "abstained": self.abstained,
            "written_opinions": self.written_opinions,
            "exclusions": [
                {"member": e.member, "reason": e.reason.value, "approved_by": e.approved_by}
                for e in self.exclusions
            ],
            "roll": [str(member) for member in self.roll],
            "register_entitled": self.register_entitled,
            "entitled_reason": self.entitled_reason,
            "expected": self.expected,
            "entitled_differs": self.entitled_differs,
        }


@dataclass(frozen=True)
class MemberStanding:
    """What a step needs to know about a member it names (联系人, 介绍人, a voter)."""

    person_id: UUID
    name: str
    stage: str
    good_standing: bool  # not suspended, not under 留党察看, not exited

    def record(self) -> MemberRecord:
        return {"person_id": str(self.person_id), "name": self.name, "stage": self.stage}
