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
