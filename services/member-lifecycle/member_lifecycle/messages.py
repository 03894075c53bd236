"""Problem texts of member-lifecycle's codes (Chinese, English)."""

from jiceng.messages import Message

#: This module's problem texts, by code (the service's composition root hands them over).
MESSAGES: dict[str, Message] = {}

MESSAGES["membership.import_under_age"] = Message(
    "未年满十八岁",
    "Under 18 full years",
    "{on} 时未年满 {min_age} 周岁，不能申请或加入党组织；依据 {pack}",
    "Not {min_age} full years old on {on}, too young to apply or be admitted; pack {pack}",
)
MESSAGES["membership.import_applied_after_admission"] = Message(
    "申请入党日期晚于入党日期",
    "Application after admission",
    "申请入党 {applied_on}，入党 {admitted_on}",
    "Applied {applied_on}, admitted {admitted_on}",
)
MESSAGES["membership.negative_count"] = Message(
    "人数不能为负", "Counts cannot be negative", "{categories}", "{categories}"
)
MESSAGES["membership.count_older_than_recorded"] = Message(
    "统计日期早于已记录的统计",
    "Count older than the one recorded",
    "本次 {as_of}，已记录 {recorded}",
    "This count {as_of}; recorded {recorded}",
)
MESSAGES["person.already_registered"] = Message(
    "此人已在登记中",
    "Person already registered",
    "此身份证号已有登记记录（每人一条记录，调动请办理组织关系转接）",
    "This ID number is on the register already (one record per person; use a transfer to move it)",
)
MESSAGES["person.birth_date_mismatch"] = Message(
    "出生日期与身份证号不符",
    "Birth date does not match the ID number",
    "填写的出生日期 {given} 与身份证号所载不符",
    "The birth date given, {given}, is not the one the number encodes",
)
MESSAGES["person.birth_date_implausible"] = Message(
    "身份证号出生日期不合理",
    "Implausible birth date in the ID number",
    "身份证号所载出生日期须在 {earliest} 之后且不晚于今天",
    "The number's birth date must lie between {earliest} and today",
)
MESSAGES["person.text_not_single_line"] = Message(
    "内容须为单行文字", "Single line of text expected", "{field}", "{field}"
)
MESSAGES["person.gender_mismatch"] = Message(
    "性别与身份证号不符",
    "Gender does not match the ID number",
    "填写 {given}，身份证号为 {encoded}",
    "Given {given}; the number encodes {encoded}",
)
MESSAGES["person.name_empty"] = Message("姓名不能为空", "Name is empty")
MESSAGES["vote.voter_not_on_roll"] = Message(
    "表决人不在本支部表决名册中",
    "Voter not on the branch's voting roll",
    "{id} 在表决当日不是本支部有表决权的正式党员",
    "{id} had no vote in this branch on the day of the vote",
)
MESSAGES["vote.entitled_differs_from_register"] = Message(
    "应到人数与党员名册不符",
    "Entitled voters differ from the register",
    "填报应到 {stated} 人，名册表决名单为 {register} 人；如有差异须以 entitled_reason "
    "说明理由（将记录并提示审计）。依据 {pack}",
    "Stated {stated} entitled voters, the register's roll has {register}; a different "
    "figure needs entitled_reason (recorded and flagged for auditors). Pack {pack}",
)
