"""Problem texts of membership after admission (rule book §4): transfers, mobile members,
standing, rectification, discipline; and the development plan (Chinese, English)."""

from jiceng.messages import Message

#: Membership's problem texts, by code.
MESSAGES: dict[str, Message] = {
    "membership.not_a_member": Message(
        "此人不是党员", "Not a member", "{action}：{stage}", "{action}: {stage}"
    ),
    "membership.import_only_new": Message(
        "只能为尚无记录的人员采集党员信息",
        "Only a person with no path yet can be imported",
        "当前：{stage}",
        "Now: {stage}",
    ),
    "membership.import_stage": Message(
        "只能采集正式党员或预备党员", "Import formal or probationary only"
    ),
    "membership.import_formal_since": Message(
        "转正日期无效",
        "Invalid conversion date",
        "转正日期 {formal_since}，不早于预备期满 {earliest}",
        "Conversion {formal_since}; not before the end of probation {earliest}",
    ),
    "membership.already_exited": Message("已出党", "Already left the Party", "{kind}", "{kind}"),
    "membership.exit_kind_invalid": Message("出党方式无效", "Invalid exit", "{kind}", "{kind}"),
    "transfer.already_pending": Message(
        "已有未接收的组织关系转接", "A transfer is pending", "转往 {to}", "To {to}"
    ),
    "transfer.same_branch": Message("转入与转出为同一组织", "Transfer to the same branch"),
    "transfer.none_pending": Message("没有待接收的组织关系转接", "No transfer pending"),
    "transfer.accepted_before_sent": Message("接收日期早于转出日期", "Accepted before it was sent"),
    "transfer.destination_unknown": Message(
        "接收党组织不存在或已撤销", "Unknown destination", "{id}", "{id}"
    ),
    "outflow.already_registered": Message(
        "已登记为流动党员", "Already registered as mobile", "{destination}", "{destination}"
    ),
    "outflow.not_registered": Message("未登记为流动党员", "Not registered as mobile"),
    "standing.already_lost_contact": Message(
        "已登记失去联系", "Already out of contact", "自 {since}", "Since {since}"
    ),
    "standing.not_lost_contact": Message("未登记失去联系", "Not recorded as out of contact"),
    "standing.lost_contact_too_recent": Message(
        "失去联系未超过六个月",
        "Out of contact for not more than six months",
        "{since} 起失联，须超过 {months} 个月（{earliest} 起）；依据 {pack}",
        "Since {since}; more than {months} months needed (from {earliest}); pack {pack}",
    ),
    "standing.suspension_too_recent": Message(
        "停止党籍未满两年",
        "Suspended for less than two years",
        "{suspended_on} 停止党籍，{earliest} 起方可按自行脱党处理；依据 {pack}",
        "Suspended {suspended_on}; from {earliest}; pack {pack}",
    ),
    "standing.absence_too_short": Message(
        "连续未参加组织生活等不满六个月",
        "Absence shorter than six months",
        "自 {since}，须满 {months} 个月；依据 {pack}",
        "Since {since}; {months} months; pack {pack}",
    ),
    "rectification.already_ordered": Message(
        "已限期改正", "Rectification already ordered", "至 {until}", "Until {until}"
    ),
    "rectification.period": Message(
        "限期改正期限不符合规定",
        "Rectification period not allowed",
        "至 {until}，最迟 {latest}（{months} 个月）；依据 {pack}",
        "Until {until}; latest {latest} ({months} months); pack {pack}",
    ),
    "rectification.not_ordered": Message("未限期改正", "No rectification ordered"),
    "rectification.not_failed": Message(
        "须经限期改正仍无转变", "Only after a rectification without change"
    ),
    "rectification.persuasion_refused_use_removal": Message(
        "本人不同意劝退，应予除名", "Persuasion refused: record a removal"
    ),
    "discipline.party_probation_period": Message(
        "留党察看期限不符合规定",
        "Party probation period not allowed",
        "至 {until}，最长 {years} 年",
        "Until {until}; at most {years} years",
    ),
    "plan.quota_negative": Message(
        "计划数不能为负", "Quota cannot be negative", "{quota}", "{quota}"
    ),
    "person.member_not_registered": Message(
        "所列党员不在登记中", "Named member not on the register", "{id}", "{id}"
    ),
    "person.branch_unknown": Message("所在支部不存在", "Unknown branch", "{id}", "{id}"),
}
