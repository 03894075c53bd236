"""Texts of the codes a people import refuses a row with (Chinese, English)."""

from jiceng.messages import Message

#: This module's problem texts, by code (the service's composition root hands them over).
MESSAGES: dict[str, Message] = {}

MESSAGES.update(
    {
        "import.category_by_steps": Message(
            "该类别需逐步登记",
            "This category is recorded step by step",
            "“{category}”的培养经过（谈话、确定、备案等）无法从一行中得出；请先导入为入党申请人，"
            "再通过接口逐步登记",
            "The path of a “{category}” (talk, designation, filing...) cannot be read from one "
            "row; import them as an applicant, then record their steps over the API",
        ),
        "import.date_required": Message(
            "缺少日期",
            "Date missing",
            "“{category}”须填写“{column}”",
            "A “{category}” needs “{column}”",
        ),
        "import.registered_elsewhere": Message(
            "此人已在其他支部登记",
            "Person registered under another branch",
            "此身份证号已在其他支部登记，导入不会转移组织关系；请办理组织关系转接",
            "This ID number is registered under another branch; an import never moves a "
            "person: use a transfer",
        ),
        "import.history_differs": Message(
            "与已记录的经历不一致",
            "Differs from the recorded history",
            "已记录为“{recorded}”（{recorded_on}），文件为“{given}”（{given_on}）；历史记录不会被导入改写，"
            "如需更正请通过接口办理",
            "Recorded as “{recorded}” ({recorded_on}), the file says “{given}” ({given_on}); an "
            "import never rewrites history: correct it over the API",
        ),
    }
)
