"""Problem texts of the development path: its 25 steps, votes and 公示 (Chinese, English).

Each detail names the rule's numbers and, where a pack decided, the pack.
"""

from jiceng.messages import Message

#: The development path's problem texts, by code.
MESSAGES: dict[str, Message] = {
    "development.step_not_allowed_in_stage": Message(
        "当前阶段不能进行此步骤",
        "Step not allowed in this stage",
        "步骤「{step}」不能在「{stage}」阶段进行",
        "Step “{step}” cannot be taken at stage {stage}",
    ),
    "development.step_already_recorded": Message(
        "此步骤已记录",
        "Step already recorded",
        "步骤「{step}」已于 {on} 记录",
        "Step “{step}” was recorded on {on}",
    ),
    "development.step_out_of_order": Message(
        "前置步骤未完成",
        "Earlier steps missing",
        "步骤「{step}」之前须完成：{missing}",
        "Step “{step}” needs first: {missing}",
    ),
    "development.date_before_previous_step": Message(
        "日期早于前一步骤",
        "Date before the previous step",
        "日期 {on} 早于前一步骤日期 {previous}",
        "{on} is before the previous step on {previous}",
    ),
    "development.date_in_future": Message(
        "日期不能晚于今天",
        "Date in the future",
        "日期 {on}，今天 {today}",
        "{on} is after today ({today})",
    ),
    "development.may_not_reapply": Message(
        "不能重新申请入党", "May not apply again", "出党方式：{exit}", "Left the Party by: {exit}"
    ),
    "development.applicant_too_young": Message(
        "未年满十八岁",
        "Applicant under 18 full years",
        "申请日期 {on} 时未年满 {min_age} 周岁；依据 {pack}",
        "Not {min_age} full years old on {on}; pack {pack}",
    ),
    "development.body_not_allowed": Message(
        "决定机构不符合规定",
        "Deciding body not allowed",
        "{body} 不可；可为：{allowed}",
        "{body} is not allowed; allowed: {allowed}",
    ),
    "development.recommendation_invalid": Message(
        "推荐方式无效",
        "Invalid recommendation",
        "{given}；可为：{allowed}",
        "{given}; allowed: {allowed}",
    ),
    "development.contacts_count": Message(
        "培养联系人人数不符合规定",
        "Wrong number of contacts",
        "培养联系人应为 {min}–{max} 名正式党员，实为 {given} 名",
        "Contacts must be {min}–{max} full members; given {given}",
    ),
    "development.contacts_duplicate": Message(
        "培养联系人重复或为本人", "Contacts repeated or the person themself"
    ),
    "development.contacts_not_formal_member": Message(
        "培养联系人须为正式党员",
        "A contact must be a full member in good standing",
        "{name}：{stage}",
        "{name}: {stage}",
    ),
    "development.introducers_count": Message(
        "入党介绍人人数不符合规定",
        "Wrong number of introducers",
        "入党介绍人应为 {min} 名正式党员，实为 {given} 名",
        "There must be {min} introducers; given {given}",
    ),
    "development.introducers_duplicate": Message(
        "入党介绍人重复或为本人", "Introducers repeated or the person themself"
    ),
    "development.introducers_not_formal_member": Message(
        "入党介绍人须为正式党员（非预备党员、未受留党察看处分）",
        "An introducer must be a full member in good standing",
        "{name}：{stage}",
        "{name}: {stage}",
    ),
    "development.activist_period_too_short": Message(
        "培养考察不满一年",
        "Less than a full year as activist",
        "{activist_since} 确定为积极分子，须经 {years} 年以上培养（{earliest} 起），"
        "决定日期 {on}；依据 {pack}",
        "Activist since {activist_since}; {years} full year(s) needed (from {earliest}); "
        "decided {on}; pack {pack}",
    ),
    "development.opinions_not_heard": Message(
        "未听取有关方面意见", "Opinions not heard", "未听取：{missing}", "Not heard: {missing}"
    ),
    "development.upper_consent_required": Message(
        "确定发展对象须经上级党委同意",
        "The upper committee must consent",
        "依据 {pack}，发展对象须报上级党委同意，而非仅备案",
        "Under {pack} the upper committee must consent, not merely be informed",
    ),
    "development.training_empty": Message(
        "培训时间无效",
        "Training without days or hours",
        "天数 {days}，学时 {hours}",
        "{days} days, {hours} hours",
    ),
    "development.political_review_not_passed": Message(
        "政治审查未通过",
        "Political review not passed",
        "须有结论为合格的政治审查",
        "A passed political review is required",
    ),
    "development.training_insufficient": Message(
        "集中培训时间不足",
        "Training too short",
        "须不少于 {min_days} 天或 {min_hours} 学时，实为 {days} 天、{hours} 学时；依据 {pack}",
        "At least {min_days} days or {min_hours} hours; recorded {days} days, {hours} hours; "
        "pack {pack}",
    ),
    "development.committee_review_not_passed": Message(
        "支部委员会审查未通过", "Branch committee review not passed"
    ),
    "development.pre_review_not_passed": Message(
        "上级党委预审未通过，不能填写入党志愿书", "Pre-review not passed: no application form"
    ),
    "development.approver_unknown": Message(
        "审批党组织不存在", "Unknown approving organisation", "{id}", "{id}"
    ),
    "development.approver_not_entitled": Message(
        "该党组织无审批权",
        "This organisation may not approve",
        "{org}：{why}",
        "{org}: {why}",
    ),
    "development.extension_already_used": Message(
        "预备期只能延长一次",
        "The probation was already extended",
        "已延长 {times} 次；依据 {pack}",
        "Extended {times} time(s); pack {pack}",
    ),
    "development.extension_length": Message(
        "延长预备期时间不符合规定",
        "Extension length not allowed",
        "延长 {months} 个月；应为 {min}–{max} 个月；依据 {pack}",
        "{months} months; must be {min}–{max}; pack {pack}",
    ),
    "development.leaving_soon": Message(
        "发展对象三个月内将离开本单位，一般不予接收",
        "Leaving the unit within three months",
        "{leaving_on} 离开，在 {months} 个月内；如确需接收请说明理由（exception）；依据 {pack}",
        "Leaves on {leaving_on}, within {months} months; give an exception to proceed; pack {pack}",
    ),
    "development.postponement_not_transferred": Message(
        "只有转入的预备党员可推迟转正讨论", "Only a transferred probationary member"
    ),
    "development.postponement_used": Message(
        "已推迟过转正讨论",
        "Conversion discussion already postponed",
        "{months} 个月",
        "{months} months",
    ),
    "development.postponement_length": Message(
        "推迟时间不符合规定",
        "Postponement not allowed",
        "{months} 个月，最长 {max} 个月；依据 {pack}",
        "{months} months; at most {max}; pack {pack}",
    ),
    "evidence.missing": Message(
        "缺少必要材料", "Evidence missing", "缺少：{field}", "Missing: {field}"
    ),
    "vote.counts_invalid": Message(
        "表决人数无效",
        "Invalid vote counts",
        "应到 {expected}（有表决权 {entitled}）",
        "Expected {expected} (entitled {entitled})",
    ),
    "vote.counts_inconsistent": Message(
        "表决人数不一致",
        "Inconsistent vote counts",
        "应到 {expected}，实到 {present}，投票 {cast}，书面意见 {written}",
        "Expected {expected}, present {present}, votes {cast}, written {written}",
    ),
    "vote.quorum_not_met": Message(
        "到会人数未超过应到会有表决权人数的半数",
        "Quorum not met",
        "应到 {expected}，实到 {count}，至少须 {needed}；依据 {pack}",
        "Expected {expected}, present {count}, needed {needed}; pack {pack}",
    ),
    "vote.not_passed": Message(
        "赞成人数未超过应到会有表决权正式党员的半数",
        "Not passed",
        "应到 {expected}，赞成 {count}，至少须 {needed}；依据 {pack}",
        "Expected {expected}, in favour {count}, needed {needed}; pack {pack}",
    ),
    "vote.probationary_cannot_vote": Message(
        "预备党员没有表决权", "Probationary members have no vote", "{name}", "{name}"
    ),
    "vote.voter_not_entitled": Message(
        "该党员没有表决权", "Voter not entitled", "{name}：{stage}", "{name}: {stage}"
    ),
    "policy.rule_unknown_value": Message(
        "规则取值无法识别", "Unknown rule value", "{rule}（{pack}）", "{rule} ({pack})"
    ),
    "notice.required": Message(
        "须先进行公示",
        "A public notice is required first",
        "「{point}」须先公示；依据 {pack}",
        "“{point}” needs a public notice first; pack {pack}",
    ),
    "notice.objection_pending": Message(
        "公示期间有反映，待调查结论", "An objection is being investigated", "{point}", "{point}"
    ),
    "notice.objection_upheld": Message(
        "公示反映问题属实，此步骤不能进行", "An objection was upheld", "{point}", "{point}"
    ),
    "notice.not_finished": Message(
        "公示期未满",
        "Public notice not finished",
        "「{point}」公示至 {ends_on}，决定日期 {on}",
        "“{point}” runs to {ends_on}; decided {on}",
    ),
    "notice.not_in_stage": Message(
        "当前阶段不能进行此公示",
        "Not the stage for this notice",
        "{point}：{stage}",
        "{point}: {stage}",
    ),
    "notice.already_held": Message(
        "已进行此公示",
        "Notice already held",
        "{point}（{starts_on} 起）",
        "{point} (from {starts_on})",
    ),
    "notice.too_short": Message(
        "公示时间不足",
        "Public notice too short",
        "{working_days} 个工作日，至少 {minimum} 个；依据 {pack}",
        "{working_days} working days; at least {minimum}; pack {pack}",
    ),
    "notice.not_held": Message("未进行此公示", "No such notice", "{point}", "{point}"),
    "notice.objection_outside_period": Message(
        "反映不在公示期内",
        "Objection outside the notice period",
        "收到 {received_on}，公示期 {starts_on}–{ends_on}",
        "Received {received_on}; notice {starts_on}–{ends_on}",
    ),
    "notice.no_open_objection": Message(
        "没有待结论的反映", "No open objection", "{point}", "{point}"
    ),
    "notice.concluded_before_start": Message(
        "结论日期早于公示开始", "Concluded before the notice began"
    ),
}
