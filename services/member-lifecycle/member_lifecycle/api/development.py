"""``POST /member-lifecycle/v1/people/{id}/<step>``: the 25 steps of 发展党员, one route each.

Each step is checked against the policy pack in force for the person's branch on the step's
date; the event names the pack, the actor and the deciding body.
"""

# No ``from __future__ import annotations``: the routes are made in a loop, and FastAPI must
# see each route's body model itself, not its name.

from typing import Literal
from uuid import UUID

import anyio
from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, Field

from jiceng.api.deps import Runtime, Writer
from jiceng.api.problems import COMMON_ERRORS, error_responses
from jiceng.api.types import Day
from jiceng.auth.principal import Principal
from jiceng.errors import InvalidInput
from member_lifecycle.api.records import PersonRecord
from member_lifecycle.api.support import (
    IfMatch,
    approver_for,
    branch_of,
    command_on_person,
    lifecycle,
    person_in_scope,
)
from member_lifecycle.api.voting_roll import register_roll
from member_lifecycle.commands.step_inputs import Named, StepFields, step_input
from member_lifecycle.domain.evidence import Exclusion, ExclusionReason, Vote
from member_lifecycle.domain.person import Person
from member_lifecycle.domain.stages import STEPS, ConversionOutcome, Step

router = APIRouter(tags=["development"], responses=error_responses(*COMMON_ERRORS))
#: A 支部大会 votes: even a large 党总支 meeting has a few hundred voters.
MAX_VOTERS = 5000


class StepBody(BaseModel):
    on: Day = Field(description="The date of the step (decision, talk, meeting, filing)")
    body: str | None = Field(
        default=None, max_length=200, description="Who decided or acted (支委会, 谈话人, 党委...)"
    )
    summary: str | None = Field(
        default=None, max_length=4000, description="Talk record, conclusion or assessment"
    )
    reason: str | None = Field(default=None, max_length=500)


class ActivistBody(StepBody):
    body: Literal["branch_committee", "branch_meeting"] = Field(  # type: ignore[assignment]
        description="支委会, or 支部大会 where there is no 支委会"
    )
    recommendation: Literal["party_members", "mass_organisation"] = Field(
        description="党员推荐 or 群团组织推优"
    )


class MembersBody(StepBody):
    members: list[UUID] = Field(min_length=1, max_length=10, description="正式党员 on the register")


class CandidateBody(StepBody):
    heard: list[Literal["party_group", "contacts", "members", "masses"]] = Field(
        description="Whose opinions were heard (党小组, 培养联系人, 党员, 群众)"
    )


class FilingBody(StepBody):
    consented: bool | None = Field(
        default=None, description="The upper committee consented (packs that require 同意)"
    )


class ReviewBody(StepBody):
    passed: bool


class TrainingBody(StepBody):
    days: float | None = Field(default=None, ge=0, le=365)
    hours: float | None = Field(default=None, ge=0, le=2000, description="学时")


class ExclusionBody(BaseModel):
    member: str = Field(min_length=1, max_length=100)
    reason: ExclusionReason
    approved_by: str = Field(min_length=1, max_length=200)


class VoteBody(BaseModel):
    entitled: int | None = Field(
        default=None,
        ge=1,
        le=MAX_VOTERS,
        description="Voting 正式党员 of the branch (应到 before exclusions). Default: the "
        "register's voting roll on the vote's date; another figure needs entitled_reason and "
        "is flagged for auditors",
    )
    entitled_reason: str | None = Field(
        default=None, max_length=1000, description="Why the figure differs from the register's"
    )
    present: int = Field(ge=0, le=MAX_VOTERS)
    in_favour: int = Field(
        ge=0, le=MAX_VOTERS, description="Including written opinions of absent members"
    )
    against: int = Field(default=0, ge=0, le=MAX_VOTERS)
    abstained: int = Field(default=0, ge=0, le=MAX_VOTERS)
    written_opinions: int = Field(default=0, ge=0, le=MAX_VOTERS)
    exclusions: list[ExclusionBody] = Field(default_factory=list, max_length=500)
    roll: list[UUID] = Field(
        default_factory=list, max_length=500, description="Voters present, when recorded"
    )

    def vote(self, register_entitled: int) -> Vote:
        return Vote(
            entitled=register_entitled if self.entitled is None else self.entitled,
            register_entitled=register_entitled,
            entitled_reason=self.entitled_reason,
            present=self.present,
            in_favour=self.in_favour,
            against=self.against,
            abstained=self.abstained,
            written_opinions=self.written_opinions,
            exclusions=tuple(Exclusion(e.member, e.reason, e.approved_by) for e in self.exclusions),
            roll=tuple(self.roll),
        )


class VoteStepBody(StepBody):
    vote: VoteBody
    leaving_unit_on: Day | None = Field(
        default=None, description="The candidate leaves the unit on this date"
    )
    exception: str | None = Field(
        default=None, max_length=1000, description="Why a candidate leaving soon is admitted"
    )


class ConversionVoteBody(VoteStepBody):
    outcome: ConversionOutcome
    extension_months: int | None = Field(default=None, ge=1, le=24)


class ApprovalBody(StepBody):
    approver_org_id: UUID = Field(description="The 基层党委 approving")


class GroupBody(StepBody):
    group: str = Field(min_length=1, max_length=100, description="The 党小组")


BODIES: dict[Step, type[StepBody]] = {
    Step.ACTIVIST_DESIGNATION: ActivistBody,
    Step.CONTACTS_ASSIGNMENT: MembersBody,
    Step.CANDIDATE_DESIGNATION: CandidateBody,
    Step.CANDIDATE_FILING: FilingBody,
    Step.INTRODUCERS: MembersBody,
    Step.POLITICAL_REVIEW: ReviewBody,
    Step.TRAINING: TrainingBody,
    Step.COMMITTEE_REVIEW: ReviewBody,
    Step.PRE_REVIEW: ReviewBody,
    Step.ADMISSION_VOTE: VoteStepBody,
    Step.ADMISSION_APPROVAL: ApprovalBody,
    Step.GROUP_PLACEMENT: GroupBody,
    Step.CONVERSION_VOTE: ConversionVoteBody,
    Step.CONVERSION_APPROVAL: ApprovalBody,
}


async def step_fields(
    runtime: Runtime, principal: Principal, person: Person, body: StepBody
) -> tuple[StepFields, Named]:
    """The request's evidence, with the named members' standing, the register's voting roll
    and the approver.

    A member named in a step (a contact, an introducer, a voter) outside the caller's subtree
    is refused exactly as one who is not registered: neither their name nor their stage is
    told.
    """
    app = lifecycle(runtime)
    vote_body = getattr(body, "vote", None)
    vote = None
    voters: list[UUID] = []
    if vote_body is not None:
        roll = await register_roll(runtime.db, person.branch_id, body.on)
        on_roll = roll.ids
        for voter in vote_body.roll:
            if str(voter) not in on_roll:
                raise InvalidInput("vote.voter_not_on_roll", id=str(voter))
        voters = list(vote_body.roll)
        vote = vote_body.vote(register_entitled=len(roll.voters))
    named = list(getattr(body, "members", []))
    ids = named + voters
    found = await anyio.to_thread.run_sync(lambda: app.members(ids)) if ids else ()
    # Voters are on the branch's roll; a member named outside the caller's sight reads as
    # one who is not registered.
    for member in found[: len(named)]:
        if not await person_in_scope(runtime, principal, member):
            raise InvalidInput("person.member_not_registered", id=str(member.id))
    members = tuple(member.standing_on(body.on) for member in found)
    approver = None
    approver_id = getattr(body, "approver_org_id", None)
    if approver_id is not None:
        approver = await approver_for(
            runtime, principal, await branch_of(runtime, person), approver_id
        )
    return StepFields(
        on=body.on,
        body=body.body,
        summary=body.summary,
        passed=getattr(body, "passed", None),
        days=getattr(body, "days", None),
        hours=getattr(body, "hours", None),
        outcome=getattr(body, "outcome", None),
        extension_months=getattr(body, "extension_months", None),
        consented=getattr(body, "consented", None),
        heard=tuple(getattr(body, "heard", ())),
        recommendation=getattr(body, "recommendation", None),
        group=getattr(body, "group", None),
        leaving_unit_on=getattr(body, "leaving_unit_on", None),
        exception=getattr(body, "exception", None),
    ), Named(members, vote, approver)


def _route(step: Step, model: type[StepBody]) -> None:
    rule = STEPS[step]

    async def take_step(
        person_id: UUID,
        body: model,  # type: ignore[valid-type]
        request: Request,
        response: Response,
        runtime: Runtime,
        principal: Writer,
        if_match: IfMatch = None,
    ) -> PersonRecord:
        person = await command_on_person(
            runtime,
            request,
            response,
            principal,
            person_id,
            body.on,
            lambda p, rules, given: p.take_step(step, step_input(step, *given), rules),
            reason=body.reason,
            if_match=if_match,
            prepare=lambda person: step_fields(runtime, principal, person, body),
        )
        return PersonRecord.of(person)

    router.add_api_route(
        f"/people/{{person_id}}/{step.value.replace('_', '-')}",
        take_step,
        methods=["POST"],
        name=f"record_{step.value}",
        summary=f"Step {rule.number}: {step.label}",
        description=f"Decided by: {rule.decided_by}. Needs first: "
        + (", ".join(f"{STEPS[r].number} {r.label}" for r in rule.requires) or "nothing"),
        response_model=PersonRecord,
        responses=error_responses(404, 412, 422),
    )


for _step in Step:
    _route(_step, BODIES.get(_step, StepBody))
