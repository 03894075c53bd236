"""Problem texts of the development path and membership codes (Chinese, English).

Each detail names the rule's numbers and, where a pack decided, the pack.
"""

from jiceng.messages import Message

M = Message

#: The development path's problem texts, by code.
MESSAGES: dict[str, Message] = {
    "development.step_not_allowed_in_stage": M(
        "当前阶段不能进行此步骤",
        "Step not allowed in this stage",
        "步骤「{step}」不能在「{stage}」阶段进行",
        "Step “{step}” cannot be taken at stage {stage}",
    ),
    "development.step_already_recorded": M(
        "此步骤已记录",
        "Step already recorded",
        "步骤「{step}」已于 {on} 记录",
        "Step “{step}” was recorded on {on}",
    ),
    "development.step_out_of_order": M(
        "前置步骤未完成",
        "Earlier steps missing",
        "步骤「{step}」之前须完成：{missing}",
        "Step “{step}” needs first: {missing}",
    ),
    "development.date_before_previous_step": M(
        "日期早于前一步骤",
        "Date before the previous step",
        "日期 {on} 早于前一步骤日期 {previous}",
        "{on} is before the previous step on {previous}",
    ),
    "development.date_in_future": M(
        "日期不能晚于今天",
        "Date in the future",
        "日期 {on}，今天 {today}",
        "{on} is after today ({today})",
    ),
    "development.may_not_reapply": M(
        "不能重新申请入党", "May not apply again", "出党方式：{exit}", "Left the Party by: {exit}"
    ),
    "development.applicant_too_young": M(
        "未年满十八岁",
        "Applicant under 18 full years",
        "申请日期 {on} 时未年满 {min_age} 周岁；依据 {pack}",
        "Not {min_age} full years old on {on}; pack {pack}",
    ),
    "development.body_not_allowed": M(
        "决定机构不符合规定",
        "Deciding body not allowed",
        "{body} 不可；可为：{allowed}",
        "{body} is not allowed; allowed: {allowed}",
    ),
    "development.recommendation_invalid": M(
        "推荐方式无效",
        "Invalid recommendation",
        "{given}；可为：{allowed}",
        "{given}; allowed: {allowed}",
    ),
    "development.contacts_count": M(
        "培养联系人人数不符合规定",
        "Wrong number of contacts",
        "培养联系人应为 {min}–{max} 名正式党员，实为 {given} 名",
        "Contacts must be {min}–{max} full members; given {given}",
    ),
    "development.contacts_duplicate": M(
        "培养联系人重复或为本人", "Contacts repeated or the person themself"
    ),
    "development.contacts_not_formal_member": M(
        "培养联系人须为正式党员",
        "A contact must be a full member in good standing",
        "{name}：{stage}",
        "{name}: {stage}",
    ),
    "development.introducers_count": M(
        "入党介绍人人数不符合规定",
        "Wrong number of introducers",
        "入党介绍人应为 {min} 名正式党员，实为 {given} 名",
        "There must be {min} introducers; given {given}",
    ),
    "development.introducers_duplicate": M(
        "入党介绍人重复或为本人", "Introducers repeated or the person themself"
    ),
    "development.introducers_not_formal_member": M(
        "入党介绍人须为正式党员（非预备党员、未受留党察看处分）",
        "An introducer must be a full member in good standing",
        "{name}：{stage}",
        "{name}: {stage}",
    ),
    "development.activist_period_too_short": M(
        "培养考察不满一年",
        "Less than a full year as activist",
        "{activist_since} 确定为积极分子，须经 {years} 年以上培养（{earliest} 起），"
        "决定日期 {on}；依据 {pack}",
        "Activist since {activist_since}; {years} full year(s) needed (from {earliest}); "
        "decided {on}; pack {pack}",
    ),
    "development.opinions_not_heard": M(
        "未听取有关方面意见", "Opinions not heard", "未听取：{missing}", "Not heard: {missing}"
    ),
    "development.upper_consent_required": M(
        "确定发展对象须经上级党委同意",
        "The upper committee must consent",
        "依据 {pack}，发展对象须报上级党委同意，而非仅备案",
        "Under {pack} the upper committee must consent, not merely be informed",
    ),
    "development.training_empty": M(
        "培训时间无效",
        "Training without days or hours",
        "天数 {days}，学时 {hours}",
        "{days} days, {hours} hours",
    ),
    "development.political_review_not_passed": M(
        "政治审查未通过",
        "Political review not passed",
        "须有结论为合格的政治审查",
        "A passed political review is required",
    ),
    "development.training_insufficient": M(
        "集中培训时间不足",
        "Training too short",
        "须不少于 {min_days} 天或 {min_hours} 学时，实为 {days} 天、{hours} 学时；依据 {pack}",
        "At least {min_days} days or {min_hours} hours; recorded {days} days, {hours} hours; "
        "pack {pack}",
    ),
    "development.committee_review_not_passed": M(
        "支部委员会审查未通过", "Branch committee review not passed"
    ),
    "development.pre_review_not_passed": M(
        "上级党委预审未通过，不能填写入党志愿书", "Pre-review not passed: no application form"
    ),
    "development.approver_unknown": M(
        "审批党组织不存在", "Unknown approving organisation", "{id}", "{id}"
    ),
    "development.approver_not_entitled": M(
        "该党组织无审批权",
        "This organisation may not approve",
        "{org}：{why}",
        "{org}: {why}",
    ),
    "development.extension_already_used": M(
        "预备期只能延长一次",
        "The probation was already extended",
        "已延长 {times} 次；依据 {pack}",
        "Extended {times} time(s); pack {pack}",
    ),
    "development.extension_length": M(
        "延长预备期时间不符合规定",
        "Extension length not allowed",
        "延长 {months} 个月；应为 {min}–{max} 个月；依据 {pack}",
        "{months} months; must be {min}–{max}; pack {pack}",
    ),
    "development.leaving_soon": M(
        "发展对象三个月内将离开本单位，一般不予接收",
        "Leaving the unit within three months",
        "{leaving_on} 离开，在 {months} 个月内；如确需接收请说明理由（exception）；依据 {pack}",
        "Leaves on {leaving_on}, within {months} months; give an exception to proceed; pack {pack}",
    ),
    "development.postponement_not_transferred": M(
        "只有转入的预备党员可推迟转正讨论", "Only a transferred probationary member"
    ),
    "development.postponement_used": M(
        "已推迟过转正讨论",
        "Conversion discussion already postponed",
        "{months} 个月",
        "{months} months",
    ),
    "development.postponement_length": M(
        "推迟时间不符合规定",
        "Postponement not allowed",
        "{months} 个月，最长 {max} 个月；依据 {pack}",
        "{months} months; at most {max}; pack {pack}",
    ),
    "evidence.missing": M("缺少必要材料", "Evidence missing", "缺少：{field}", "Missing: {field}"),
    "vote.counts_invalid": M(
        "表决人数无效",
        "Invalid vote counts",
        "应到 {expected}（有表决权 {entitled}）",
        "Expected {expected} (entitled {entitled})",
    ),
    "vote.counts_inconsistent": M(
        "表决人数不一致",
        "Inconsistent vote counts",
        "应到 {expected}，实到 {present}，投票 {cast}，书面意见 {written}",
        "Expected {expected}, present {present}, votes {cast}, written {written}",
    ),
    "vote.quorum_not_met": M(
        "到会人数未超过应到会有表决权人数的半数",
        "Quorum not met",
        "应到 {expected}，实到 {count}，至少须 {needed}；依据 {pack}",
        "Expected {expected}, present {count}, needed {needed}; pack {pack}",
    ),
    "vote.not_passed": M(
        "赞成人数未超过应到会有表决权正式党员的半数",
        "Not passed",
        "应到 {expected}，赞成 {count}，至少须 {needed}；依据 {pack}",
        "Expected {expected}, in favour {count}, needed {needed}; pack {pack}",
    ),
    "vote.probationary_cannot_vote": M(
        "预备党员没有表决权", "Probationary members have no vote", "{name}", "{name}"
    ),
    "vote.voter_not_entitled": M(
        "该党员没有表决权", "Voter not entitled", "{name}：{stage}", "{name}: {stage}"
    ),
    "policy.rule_unknown_value": M(
        "规则取值无法识别", "Unknown rule value", "{rule}（{pack}）", "{rule} ({pack})"
    ),
    "notice.required": M(
        "须先进行公示",
        "A public notice is required first",
        "「{point}」须先公示；依据 {pack}",
        "“{point}” needs a public notice first; pack {pack}",
    ),
    "notice.objection_pending": M(
        "公示期间有反映，待调查结论", "An objection is being investigated", "{point}", "{point}"
    ),
    "notice.objection_upheld": M(
        "公示反映问题属实，此步骤不能进行", "An objection was upheld", "{point}", "{point}"
    ),
    "notice.not_finished": M(
        "公示期未满",
        "Public notice not finished",
        "「{point}」公示至 {ends_on}，决定日期 {on}",
        "“{point}” runs to {ends_on}; decided {on}",
    ),
    "notice.not_in_stage": M(
        "当前阶段不能进行此公示",
        "Not the stage for this notice",
        "{point}：{stage}",
        "{point}: {stage}",
    ),
    "notice.already_held": M(
        "已进行此公示",
        "Notice already held",
        "{point}（{starts_on} 起）",
        "{point} (from {starts_on})",
    ),
    "notice.too_short": M(
        "公示时间不足",
        "Public notice too short",
        "{working_days} 个工作日，至少 {minimum} 个；依据 {pack}",
        "{working_days} working days; at least {minimum}; pack {pack}",
    ),
    "notice.not_held": M("未进行此公示", "No such notice", "{point}", "{point}"),
    "notice.objection_outside_period": M(
        "反映不在公示期内",
        "Objection outside the notice period",
        "收到 {received_on}，公示期 {starts_on}–{ends_on}",
        "Received {received_on}; notice {starts_on}–{ends_on}",
    ),
    "notice.no_open_objection": M("没有待结论的反映", "No open objection", "{point}", "{point}"),
    "notice.concluded_before_start": M("结论日期早于公示开始", "Concluded before the notice began"),
    "membership.not_a_member": M(
        "此人不是党员", "Not a member", "{action}：{stage}", "{action}: {stage}"
    ),
    "membership.import_only_new": M(
        "只能为尚无记录的人员采集党员信息",
        "Only a person with no path yet can be imported",
        "当前：{stage}",
        "Now: {stage}",
    ),
    "membership.import_stage": M(
        "只能采集正式党员或预备党员", "Import formal or probationary only"
    ),
    "membership.import_formal_since": M(
        "转正日期无效",
        "Invalid conversion date",
        "转正日期 {formal_since}，不早于预备期满 {earliest}",
        "Conversion {formal_since}; not before the end of probation {earliest}",
    ),
    "membership.already_exited": M("已出党", "Already left the Party", "{kind}", "{kind}"),
    "membership.exit_kind_invalid": M("出党方式无效", "Invalid exit", "{kind}", "{kind}"),
    "transfer.already_pending": M(
        "已有未接收的组织关系转接", "A transfer is pending", "转往 {to}", "To {to}"
    ),
    "transfer.same_branch": M("转入与转出为同一组织", "Transfer to the same branch"),
    "transfer.none_pending": M("没有待接收的组织关系转接", "No transfer pending"),
    "transfer.accepted_before_sent": M("接收日期早于转出日期", "Accepted before it was sent"),
    "transfer.destination_unknown": M(
        "接收党组织不存在或已撤销", "Unknown destination", "{id}", "{id}"
    ),
    "outflow.already_registered": M(
        "已登记为流动党员", "Already registered as mobile", "{destination}", "{destination}"
    ),
    "outflow.not_registered": M("未登记为流动党员", "Not registered as mobile"),
    "standing.already_lost_contact": M(
        "已登记失去联系", "Already out of contact", "自 {since}", "Since {since}"
    ),
    "standing.not_lost_contact": M("未登记失去联系", "Not recorded as out of contact"),
    "standing.lost_contact_too_recent": M(
        "失去联系未超过六个月",
        "Out of contact for not more than six months",
        "{since} 起失联，须超过 {months} 个月（{earliest} 起）；依据 {pack}",
        "Since {since}; more than {months} months needed (from {earliest}); pack {pack}",
    ),
    "standing.suspension_too_recent": M(
        "停止党籍未满两年",
        "Suspended for less than two years",
        "{suspended_on} 停止党籍，{earliest} 起方可按自行脱党处理；依据 {pack}",
        "Suspended {suspended_on}; from {earliest}; pack {pack}",
    ),
    "standing.absence_too_short": M(
        "连续未参加组织生活等不满六个月",
        "Absence shorter than six months",
        "自 {since}，须满 {months} 个月；依据 {pack}",
        "Since {since}; {months} months; pack {pack}",
    ),
    "rectification.already_ordered": M(
        "已限期改正", "Rectification already ordered", "至 {until}", "Until {until}"
    ),
    "rectification.period": M(
        "限期改正期限不符合规定",
        "Rectification period not allowed",
        "至 {until}，最迟 {latest}（{months} 个月）；依据 {pack}",
        "Until {until}; latest {latest} ({months} months); pack {pack}",
    ),
    "rectification.not_ordered": M("未限期改正", "No rectification ordered"),
    "rectification.not_failed": M(
        "须经限期改正仍无转变", "Only after a rectification without change"
    ),
    "rectification.persuasion_refused_use_removal": M(
        "本人不同意劝退，应予除名", "Persuasion refused: record a removal"
    ),
    "discipline.party_probation_period": M(
        "留党察看期限不符合规定",
        "Party probation period not allowed",
        "至 {until}，最长 {years} 年",
        "Until {until}; at most {years} years",
    ),
    "plan.quota_negative": M("计划数不能为负", "Quota cannot be negative", "{quota}", "{quota}"),
    "person.member_not_registered": M(
        "所列党员不在登记中", "Named member not on the register", "{id}", "{id}"
    ),
    "person.branch_unknown": M("所在支部不存在", "Unknown branch", "{id}", "{id}"),
}
