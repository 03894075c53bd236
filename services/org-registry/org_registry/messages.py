"""Problem texts of org-registry's codes."""

from jiceng.messages import Message, register

register("organisation.name_empty", Message("组织名称不能为空", "Organisation name is empty"))
register(
    "organisation.name_too_long",
    Message(
        "组织名称过长",
        "Organisation name too long",
        "名称长度 {length}，上限 {limit}",
        "Name has {length} characters; the limit is {limit}",
    ),
)
register(
    "organisation.name_unchanged",
    Message(
        "名称未变化",
        "Name unchanged",
        "组织已名为 {name}",
        "The organisation is already named {name}",
    ),
)
register(
    "organisation.root_needs_platform_admin",
    Message(
        "只有平台管理员可以建立顶级组织",
        "Only a platform administrator may establish a top-level organisation",
    ),
)
