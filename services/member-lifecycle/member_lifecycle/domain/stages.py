"""The vocabulary of membership: stages, the 25 development steps, 公示 points, exits.

The table of steps is the rule book's §2 as data: each step's number, its Chinese name, the
stages in which it may be taken, the steps it needs first, whether it may be repeated, and
the stage it leads to.
"""

from __future__ import annotations

from dataclasses import dataclass

from jiceng.labels import LabelledEnum


class Stage(LabelledEnum):
    REGISTERED = ("registered", "登记人员")
    APPLICANT = ("applicant", "入党申请人")
    ACTIVIST = ("activist", "入党积极分子")
    CANDIDATE = ("candidate", "发展对象")
    PROBATIONARY = ("probationary", "预备党员")
    FORMAL = ("formal", "正式党员")
    EXITED = ("exited", "已出党")


#: Stages counted per organisation, with the category name of ``OrgMembership.Counted``.
COUNTED_STAGES = {
    Stage.FORMAL: "formal",
    Stage.PROBATIONARY: "probationary",
    Stage.ACTIVIST: "activists",
    Stage.CANDIDATE: "candidates",
    Stage.APPLICANT: "applicants",
}

#: The order of the path; the stage never skips one of these.
PATH = (Stage.APPLICANT, Stage.ACTIVIST, Stage.CANDIDATE, Stage.PROBATIONARY, Stage.FORMAL)


class Step(LabelledEnum):
    APPLICATION = ("application", "递交入党申请书")
    APPLICATION_TALK = ("application_talk", "党组织派人谈话")
    ACTIVIST_DESIGNATION = ("activist_designation", "确定入党积极分子")
    ACTIVIST_FILING = ("activist_filing", "报上级党委备案（积极分子）")
    CONTACTS_ASSIGNMENT = ("contacts_assignment", "指定培养联系人")
    ACTIVIST_ASSESSMENT = ("activist_assessment", "培养教育考察")
    CANDIDATE_DESIGNATION = ("candidate_designation", "确定发展对象")
    CANDIDATE_FILING = ("candidate_filing", "报上级党委备案（发展对象）")
    INTRODUCERS = ("introducers", "确定入党介绍人")
    POLITICAL_REVIEW = ("political_review", "进行政治审查")
    TRAINING = ("training", "开展集中培训")
    COMMITTEE_REVIEW = ("committee_review", "支部委员会审查")
    PRE_REVIEW = ("pre_review", "上级党委预审")
    APPLICATION_FORM = ("application_form", "填写入党志愿书")
    ADMISSION_VOTE = ("admission_vote", "支部大会讨论")
    UPPER_TALK = ("upper_talk", "上级党委派人谈话")
    ADMISSION_APPROVAL = ("admission_approval", "上级党委审批")
    ADMISSION_FILING = ("admission_filing", "再上一级党委组织部门备案")
    GROUP_PLACEMENT = ("group_placement", "编入党支部和党小组")
    OATH = ("oath", "入党宣誓")
    PROBATION_ASSESSMENT = ("probation_assessment", "继续教育考察")
    CONVERSION_APPLICATION = ("conversion_application", "提出转正申请")
    CONVERSION_VOTE = ("conversion_vote", "支部大会讨论（转正）")
    CONVERSION_APPROVAL = ("conversion_approval", "上级党委审批（转正）")
    ARCHIVING = ("archiving", "材料归档")


@dataclass(frozen=True)
class StepRule:
    number: int
    stages: tuple[Stage, ...]
    requires: tuple[Step, ...] = ()
    repeatable: bool = False
    leads_to: Stage | None = None
    decided_by: str = ""


STEPS: dict[Step, StepRule] = {
    Step.APPLICATION: StepRule(
        1, (Stage.REGISTERED, Stage.EXITED), leads_to=Stage.APPLICANT, decided_by="applicant"
    ),
    Step.APPLICATION_TALK: StepRule(
        2, (Stage.APPLICANT,), (Step.APPLICATION,), decided_by="branch"
    ),
    Step.ACTIVIST_DESIGNATION: StepRule(
        3,
        (Stage.APPLICANT,),
        (Step.APPLICATION_TALK,),
        leads_to=Stage.ACTIVIST,
        decided_by="branch_committee",
    ),
    Step.ACTIVIST_FILING: StepRule(
        4, (Stage.ACTIVIST,), (Step.ACTIVIST_DESIGNATION,), decided_by="upper_committee"
    ),
    Step.CONTACTS_ASSIGNMENT: StepRule(
        5,
        (Stage.ACTIVIST, Stage.CANDIDATE),
        (Step.ACTIVIST_DESIGNATION,),
        repeatable=True,
        decided_by="branch_committee",
    ),
    Step.ACTIVIST_ASSESSMENT: StepRule(
        6,
        (Stage.ACTIVIST, Stage.CANDIDATE),
        (Step.ACTIVIST_DESIGNATION,),
        repeatable=True,
        decided_by="branch",
    ),
    Step.CANDIDATE_DESIGNATION: StepRule(
        7,
        (Stage.ACTIVIST,),
        (Step.ACTIVIST_FILING, Step.CONTACTS_ASSIGNMENT, Step.ACTIVIST_ASSESSMENT),
        leads_to=Stage.CANDIDATE,
        decided_by="branch_committee",
    ),
    Step.CANDIDATE_FILING: StepRule(
        8, (Stage.CANDIDATE,), (Step.CANDIDATE_DESIGNATION,), decided_by="upper_committee"
    ),
    Step.INTRODUCERS: StepRule(
        9, (Stage.CANDIDATE,), (Step.CANDIDATE_FILING,), decided_by="branch_committee"
    ),
    Step.POLITICAL_REVIEW: StepRule(
        10, (Stage.CANDIDATE,), (Step.CANDIDATE_FILING,), repeatable=True, decided_by="branch"
    ),
    Step.TRAINING: StepRule(
        11,
        (Stage.CANDIDATE,),
        (Step.CANDIDATE_FILING,),
        repeatable=True,
        decided_by="upper_committee",
    ),
    Step.COMMITTEE_REVIEW: StepRule(
        12,
        (Stage.CANDIDATE,),
        (Step.INTRODUCERS, Step.POLITICAL_REVIEW, Step.TRAINING),
        repeatable=True,
        decided_by="branch_committee",
    ),
    Step.PRE_REVIEW: StepRule(
        13,
        (Stage.CANDIDATE,),
        (Step.COMMITTEE_REVIEW,),
        repeatable=True,
        decided_by="upper_committee",
    ),
    Step.APPLICATION_FORM: StepRule(
        14, (Stage.CANDIDATE,), (Step.PRE_REVIEW,), decided_by="applicant"
    ),
    Step.ADMISSION_VOTE: StepRule(
        15, (Stage.CANDIDATE,), (Step.APPLICATION_FORM,), decided_by="branch_meeting"
    ),
    Step.UPPER_TALK: StepRule(
        16, (Stage.CANDIDATE,), (Step.ADMISSION_VOTE,), decided_by="upper_committee"
    ),
    Step.ADMISSION_APPROVAL: StepRule(
        17,
        (Stage.CANDIDATE,),
        (Step.UPPER_TALK,),
        leads_to=Stage.PROBATIONARY,
        decided_by="upper_committee",
    ),
    Step.ADMISSION_FILING: StepRule(
        18, (Stage.PROBATIONARY,), (Step.ADMISSION_APPROVAL,), decided_by="organisation_department"
    ),
    Step.GROUP_PLACEMENT: StepRule(
        19, (Stage.PROBATIONARY,), (Step.ADMISSION_APPROVAL,), decided_by="branch"
    ),
    Step.OATH: StepRule(20, (Stage.PROBATIONARY,), (Step.ADMISSION_APPROVAL,), decided_by="branch"),
    Step.PROBATION_ASSESSMENT: StepRule(
        21, (Stage.PROBATIONARY,), (Step.ADMISSION_APPROVAL,), repeatable=True, decided_by="branch"
    ),
    Step.CONVERSION_APPLICATION: StepRule(
        22, (Stage.PROBATIONARY,), (Step.OATH,), decided_by="applicant"
    ),
    Step.CONVERSION_VOTE: StepRule(
        23, (Stage.PROBATIONARY,), (Step.CONVERSION_APPLICATION,), decided_by="branch_meeting"
    ),
    Step.CONVERSION_APPROVAL: StepRule(
        24, (Stage.PROBATIONARY,), (Step.CONVERSION_VOTE,), decided_by="upper_committee"
    ),
    Step.ARCHIVING: StepRule(
        25, (Stage.FORMAL, Stage.EXITED), (Step.CONVERSION_APPROVAL,), decided_by="branch"
    ),
}

#: Steps undone when the 预备期 is extended: the conversion is taken again at the new end.
CONVERSION_STEPS = (Step.CONVERSION_APPLICATION, Step.CONVERSION_VOTE, Step.CONVERSION_APPROVAL)


class NoticePoint(LabelledEnum):
    """公示: the decisions a pack may require a public notice before."""

    ACTIVIST = ("activist", "拟确定入党积极分子公示")
    CANDIDATE = ("candidate", "拟确定发展对象公示")
    PROBATIONARY_ADMISSION = ("probationary_admission", "拟接收预备党员公示")
    CONVERSION = ("conversion", "拟转正公示")


#: The step each 公示 point comes before.
NOTICE_BEFORE: dict[NoticePoint, Step] = {
    NoticePoint.ACTIVIST: Step.ACTIVIST_DESIGNATION,
    NoticePoint.CANDIDATE: Step.CANDIDATE_DESIGNATION,
    NoticePoint.PROBATIONARY_ADMISSION: Step.ADMISSION_APPROVAL,
    NoticePoint.CONVERSION: Step.CONVERSION_APPROVAL,
}


class ConversionOutcome(LabelledEnum):
    CONVERT = ("convert", "按期转正")
    EXTEND = ("extend", "延长预备期")
    CANCEL = ("cancel", "取消预备党员资格")


class ExitKind(LabelledEnum):
    PROBATION_CANCELLED = ("probation_cancelled", "取消预备党员资格")
    WITHDRAWAL = ("withdrawal", "退党")
    LAPSED = ("lapsed", "自行脱党")
    PERSUADED = ("persuaded", "劝退")
    REMOVED = ("removed", "除名")
    EXPELLED = ("expelled", "开除党籍")
    DECEASED = ("deceased", "去世")


#: Exits after which the person may apply again (not after 开除党籍, nor after death).
MAY_REAPPLY = frozenset(
    {
        ExitKind.PROBATION_CANCELLED,
        ExitKind.WITHDRAWAL,
        ExitKind.LAPSED,
        ExitKind.PERSUADED,
        ExitKind.REMOVED,
    }
)


class DeadlineKind(LabelledEnum):
    """What the to-do list reports (tracked, never blocking)."""

    APPLICATION_TALK = ("application_talk", "申请后一个月内谈话")
    ACTIVIST_ASSESSMENT = ("activist_assessment", "积极分子半年考察")
    ADMISSION_APPROVAL = ("admission_approval", "接收预备党员审批")
    OATH = ("oath", "入党宣誓")
    CONVERSION = ("conversion", "预备期满讨论转正")
    CONVERSION_APPROVAL = ("conversion_approval", "转正审批")
    PUBLIC_NOTICE_END = ("public_notice_end", "公示期满")
    TRANSFER_ACCEPTANCE = ("transfer_acceptance", "组织关系接收")
    SUSPENSION_REVIEW = ("suspension_review", "失联满六个月：停止党籍")
    LAPSE_REVIEW = ("lapse_review", "停止党籍满两年：自行脱党")
    RECTIFICATION_END = ("rectification_end", "限期改正期满")
    OUTFLOW_CONTACT = ("outflow_contact", "流动党员联系")
