"""``POST /member-lifecycle/v1/people/{id}/<step>``: the 25 steps of 发展党员, one route each.

Each step is checked against the policy pack in force for the person's branch on the step's
date; the event names the pack, the actor and the deciding body.
"""

# No ``from __future__ import annotations``: the routes are made in a loop, and FastAPI must
# see each route's body model itself, not its name.

from typing import Literal
from uuid import UUID

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from jiceng.api.concurrency import etag
from jiceng.api.deps import CommandCaller
from jiceng.api.problems import COMMON_ERRORS, error_responses
from jiceng.api.types import Day
from member_lifecycle.api.records import PersonRecord
from member_lifecycle.api.support import Lifecycle
from member_lifecycle.commands.development import TakeStep
from member_lifecycle.commands.evidence import Naming, VoteGiven
from member_lifecycle.commands.step_inputs import StepFields
from member_lifecycle.domain.evidence import ExclusionReason
from member_lifecycle.domain.stages import STEPS, ConversionOutcome, Step

router = APIRouter(tags=["development"], responses=error_responses(*COMMON_ERRORS))
#: What a step's request may give besides the members, vote and approver it names.
STEP_FIELDS = set(StepFields.__dataclass_fields__)
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

    def fields(self) -> StepFields:
        """The request's own evidence: the fields this body has of those a step may take."""
        given = self.model_dump(include=STEP_FIELDS)
        return StepFields(**{**given, "heard": tuple(given.get("heard", ()))})

    def naming(self) -> Naming:
        """Who and what the request names by id (each body names its own)."""
        return Naming()


class ActivistBody(StepBody):
    body: Literal["branch_committee", "branch_meeting"] = Field(
        description="支委会, or 支部大会 where there is no 支委会"
    )
    recommendation: Literal["party_members", "mass_organisation"] = Field(
        description="党员推荐 or 群团组织推优"
    )


class MembersBody(StepBody):
    members: list[UUID] = Field(min_length=1, max_length=10, description="正式党员 on the register")

    def naming(self) -> Naming:
        return Naming(members=tuple(self.members))


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

    def given(self) -> VoteGiven:
        return VoteGiven(
            present=self.present,
            in_favour=self.in_favour,
            against=self.against,
            abstained=self.abstained,
            written_opinions=self.written_opinions,
            entitled=self.entitled,
            entitled_reason=self.entitled_reason,
            exclusions=tuple((e.member, e.reason, e.approved_by) for e in self.exclusions),
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

    def naming(self) -> Naming:
        return Naming(vote=self.vote.given())


class ConversionVoteBody(VoteStepBody):
    outcome: ConversionOutcome
    extension_months: int | None = Field(default=None, ge=1, le=24)


class ApprovalBody(StepBody):
    approver_org_id: UUID = Field(description="The 基层党委 approving")

    def naming(self) -> Naming:
        return Naming(approver_id=self.approver_org_id)


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


def _route(step: Step, model: type[StepBody]) -> None:
    rule = STEPS[step]

    async def take_step(
        person_id: UUID,
        body: model,  # type: ignore[valid-type]
        response: Response,
        caller: CommandCaller,
        handlers: Lifecycle,
    ) -> PersonRecord:
        given: StepBody = body
        command = TakeStep(person_id, step, given.fields(), given.naming())
        person = await handlers.take_step(command, caller.because(given.reason))
        response.headers["ETag"] = etag(person.version)
        return PersonRecord.of(person, handlers.today)

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
