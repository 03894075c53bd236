"""Texts of the codes an organisation roster's rows are refused with (Chinese, English)."""

from jiceng.messages import Message

#: This module's problem texts, by code (the service's composition root hands them over).
MESSAGES: dict[str, Message] = {}

MESSAGES.update(
    {
        "orgimport.date_in_future": Message(
            "日期晚于今天",
            "Date in the future",
            "“{column}”为 {value}，晚于今天（{today}）",
            "“{column}” is {value}, after today ({today})",
        ),
        "orgimport.parent_cycle": Message(
            "上级组织循环",
            "Parents form a cycle",
            "第 {rows} 行互为上级，组织不能隶属于自身或其下级",
            "Rows {rows} name each other as parent; an organisation cannot be under itself",
        ),
        "orgimport.parent_refused": Message(
            "上级组织所在行有错误",
            "The parent's row is refused",
            "上级组织在第 {parent_row} 行，该行有错误，请先修正该行",
            "The parent is on row {parent_row}, which is refused; fix that row first",
        ),
        "orgimport.parent_differs": Message(
            "上级组织与系统记录不一致",
            "Parent differs from the record",
            "系统中该组织隶属于“{recorded}”，表中为“{value}”；导入不会调整隶属关系，"
            "请通过“理顺隶属关系”办理或修正表格",
            "The organisation is recorded under “{recorded}”, the file says “{value}”; an import "
            "never moves an organisation: reaffiliate it, or correct the file",
        ),
        "orgimport.field_differs": Message(
            "与系统记录不一致",
            "Differs from the record",
            "系统中“{column}”为“{recorded}”，表中为“{value}”；导入不能修改此项",
            "“{column}” is recorded as “{recorded}”, the file says “{value}”; an import cannot "
            "change it",
        ),
        "orgimport.name_ambiguous": Message(
            "同一上级下有多个同名组织",
            "Several organisations with this name under the parent",
            "“{value}”在该上级下有多个，请填写组织代码：{codes}",
            "Several organisations are named “{value}” under this parent; give the code: {codes}",
        ),
    }
)
