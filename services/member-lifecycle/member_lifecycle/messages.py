"""Problem texts of member-lifecycle's codes (Chinese, English)."""

from jiceng.messages import Message, register

register(
    "membership.negative_count",
    Message("人数不能为负", "Counts cannot be negative", "{categories}", "{categories}"),
)
register(
    "membership.count_older_than_recorded",
    Message(
        "统计日期早于已记录的统计",
        "Count older than the one recorded",
        "本次 {as_of}，已记录 {recorded}",
        "This count {as_of}; recorded {recorded}",
    ),
)
register(
    "person.already_registered",
    Message("此人已在登记中", "Person already registered", "{id}", "{id}"),
)
register(
    "person.birth_date_mismatch",
    Message(
        "出生日期与身份证号不符",
        "Birth date does not match the ID number",
        "填写 {given}，身份证号为 {encoded}",
        "Given {given}; the number encodes {encoded}",
    ),
)
register(
    "person.gender_mismatch",
    Message(
        "性别与身份证号不符",
        "Gender does not match the ID number",
        "填写 {given}，身份证号为 {encoded}",
        "Given {given}; the number encodes {encoded}",
    ),
)
register("person.name_empty", Message("姓名不能为空", "Name is empty"))

import member_lifecycle.messages_development  # noqa: E402, F401  (the path's problem texts)
