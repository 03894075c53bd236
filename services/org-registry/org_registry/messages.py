"""Problem and alert texts of org-registry's codes (Chinese, English)."""

from jiceng.messages import Message

#: This module's problem texts, by code (the service's composition root hands them over).
MESSAGES: dict[str, Message] = {}

_TEXTS: dict[str, tuple[str, str, str, str]] = {
    # code: (title zh, title en, detail zh, detail en)
    "organisation.name_empty": ("组织名称不能为空", "Organisation name is empty", "", ""),
    "organisation.name_too_long": (
        "组织名称过长",
        "Organisation name too long",
        "名称长度 {length}，上限 {limit}",
        "Name has {length} characters; the limit is {limit}",
    ),
    "organisation.name_not_single_line": (
        "名称须为单行文字",
        "A name is one line of text",
        "名称中不能有换行符或制表符",
        "A name cannot hold line breaks or tabs",
    ),
    "organisation.name_unchanged": (
        "名称未变化",
        "Name unchanged",
        "组织已名为 {name}",
        "The organisation is already named {name}",
    ),
    "organisation.root_needs_platform_admin": (
        "只有平台管理员可以建立顶级组织",
        "Only a platform administrator may establish a top-level organisation",
        "",
        "",
    ),
    "organisation.root_type_not_allowed": (
        "该类型不能作为顶级组织",
        "Type cannot be top-level",
        "{org_type} 不能作为顶级组织；可为：{allowed}（规则 {rule}，政策包 {pack}）",
        "{org_type} cannot be top-level; allowed: {allowed} (rule {rule}, pack {pack})",
    ),
    "organisation.child_type_not_allowed": (
        "上级组织类型不允许设立该类型下级组织",
        "Child type not allowed under this parent",
        "{parent_type} 下不能设立 {org_type}；可设立：{allowed}（规则 {rule}，政策包 {pack}）",
        "A {org_type} cannot be established under a {parent_type}; allowed: {allowed} "
        "(rule {rule}, pack {pack})",
    ),
    "organisation.inactive": (
        "组织已撤销或合并",
        "Organisation not active",
        "组织 {id} 状态为 {status}",
        "Organisation {id} is {status}",
    ),
    "organisation.student_branch_not_a_branch": (
        "只有党支部可以标记为学生党支部",
        "Only a branch can be a student branch",
        "{org_type} 不是党支部",
        "{org_type} is not a branch",
    ),
    "organisation.affiliation_cycle": (
        "不能隶属于自身或其下级组织",
        "Affiliation would create a cycle",
        "组织 {id} 不能调整到 {parent_id} 之下",
        "{id} cannot be moved under {parent_id}",
    ),
    "organisation.already_under_parent": (
        "已隶属于该组织",
        "Already under this parent",
        "{parent_id}",
        "{parent_id}",
    ),
    "organisation.merge_into_own_subtree": (
        "不能并入自身或其下级组织",
        "Cannot merge into own subtree",
        "{id} 不能并入 {target_id}",
        "{id} cannot merge into {target_id}",
    ),
    "organisation.has_children": (
        "组织尚有下级组织，不能撤销",
        "Organisation still has child organisations",
        "尚有 {children} 个下级组织",
        "It still has {children} child organisations",
    ),
    "organisation.has_members": (
        "组织尚有党员，不能撤销",
        "Organisation still has members",
        "尚有 {members} 名党员（含预备党员）",
        "It still has {members} members",
    ),
    "organisation.not_dissolved": (
        "只能恢复已撤销的组织",
        "Only a dissolved organisation can be restored",
        "当前状态：{status}",
        "Current status: {status}",
    ),
    "policy.already_assigned": (
        "政策包已按该日期指定",
        "Policy pack already assigned",
        "{pack} 自 {effective_from} 起已适用",
        "{pack} already applies from {effective_from}",
    ),
    "term.no_seats": ("选举结果中没有当选人", "An election needs elected members", "", ""),
    "term.one_secretary": (
        "须选出且仅选出一名书记",
        "Exactly one secretary must be elected",
        "当选书记 {secretaries} 名",
        "{secretaries} secretaries were given",
    ),
    "term.office_twice": ("同一职务不能由两人担任", "An office was given twice", "", ""),
    "term.committee_too_large": (
        "支部委员会人数超过上限",
        "Branch committee too large",
        "当选 {seats} 人，上限 {limit} 人（规则 {rule}，政策包 {pack}）",
        "{seats} elected; the limit is {limit} (rule {rule}, pack {pack})",
    ),
    "term.election_not_after_previous": (
        "选举日期须晚于上次换届",
        "Election must follow the previous one",
        "本次 {held_on}，上次 {previous}",
        "This one {held_on}, previous {previous}",
    ),
    "term.leaders_already_approved": (
        "书记、副书记已获批准",
        "Leaders already approved",
        "批准日期 {approved_on}",
        "Approved on {approved_on}",
    ),
    "term.approval_before_election": (
        "批准日期早于选举日期",
        "Approval before the election",
        "批准 {approved_on}，选举 {held_on}",
        "Approved {approved_on}, elected {held_on}",
    ),
    "term.office_already_vacant": ("该职务已空缺", "Office already vacant", "{office}", "{office}"),
    "term.vacancy_before_term": (
        "空缺日期早于本届任期开始",
        "Vacancy before the term began",
        "空缺 {since}，换届 {held_on}",
        "Vacant {since}, term began {held_on}",
    ),
    "term.office_not_vacant": ("该职务没有空缺", "Office is not vacant", "{office}", "{office}"),
    "term.filled_before_vacancy": (
        "补选日期早于空缺日期",
        "Filled before it fell vacant",
        "补选 {filled_on}，空缺 {since}",
        "Filled {filled_on}, vacant since {since}",
    ),
    "term.postponement_too_long": (
        "延期换届超过上限",
        "Postponement too long",
        "本次 {months} 个月，已延期 {already} 个月，"
        "上限 {limit} 个月（规则 {rule}，政策包 {pack}）",
        "{months} months asked, {already} already granted, limit {limit} (rule {rule}, "
        "pack {pack})",
    ),
    "term.none_recorded": ("尚未记录换届", "No term recorded", "", ""),
    "term.no_term_for_type": (
        "该类型组织没有任期规定",
        "No term length for this type",
        "{org_type}（政策包 {pack}）",
        "{org_type} (pack {pack})",
    ),
    "host_unit.negative_employees": ("职工人数不能为负", "Employees cannot be negative", "", ""),
    "host_unit.member_counts_inconsistent": (
        "党员人数不一致",
        "Inconsistent member counts",
        "正式党员 {formal} 人，党员总数 {total} 人",
        "{formal} formal of {total} members",
    ),
    "host_unit.coverage_needs_org": (
        "单独或联合组建须指明党组织",
        "Coverage by an organisation needs the organisation",
        "{coverage}",
        "{coverage}",
    ),
    "host_unit.joint_needs_joint_branch": (
        "联合组建须为联合党支部",
        "Joint coverage needs a joint branch",
        "指定组织类型为 {org_type}",
        "The organisation is a {org_type}",
    ),
    "host_unit.coverage_needs_instructor": (
        "选派党建指导员须填写指导员",
        "Instructor coverage needs the instructor",
        "",
        "",
    ),
    "host_unit.duplicate_credit_code": (
        "该统一社会信用代码已登记",
        "Credit code already registered",
        "{credit_code}",
        "{credit_code}",
    ),
    "venue.unknown_checklist_items": (
        "未知的“六有”项目",
        "Unknown checklist items",
        "{items}；可选：{known}",
        "{items}; known: {known}",
    ),
    "venue.area_not_positive": ("面积须大于零", "Area must be positive", "{area_m2}", "{area_m2}"),
    "venue.negative_households": ("服务户数不能为负", "Households cannot be negative", "", ""),
    "venue.six_haves_incomplete": (
        "“六有”标准未达到",
        "Six-haves checklist incomplete",
        "缺少：{missing}（规则 {rule}，政策包 {pack}）",
        "Missing: {missing} (rule {rule}, pack {pack})",
    ),
    "venue.area_below_standard": (
        "阵地面积低于标准",
        "Venue area below standard",
        "面积 {area_m2} 平方米，服务 {households} 户应不少于 {required_m2} 平方米"
        "（规则 {rule}，政策包 {pack}）",
        "{area_m2} m² for {households} households; at least {required_m2} m² required "
        "(rule {rule}, pack {pack})",
    ),
    # structural alerts
    "org.committee_missing": (
        "正式党员7人以上的党支部应设立支部委员会",
        "Branch needs a committee",
        "正式党员 {formal} 人，达到 {threshold} 人应设支委会",
        "{formal} formal members; a committee is required from {threshold}",
    ),
    "org.branch_oversized": (
        "党支部党员人数超过规定",
        "Branch over its size limit",
        "党员 {members} 人，上限 {threshold} 人",
        "{members} members; the limit is {threshold}",
    ),
    "org.too_few_formal_members": (
        "正式党员不足3人",
        "Fewer than three formal members",
        "正式党员 {formal} 人，不足 {threshold} 人，应组建联合党支部",
        "{formal} formal members, fewer than {threshold}: consider a joint branch",
    ),
    "org.too_small_for_type": (
        "党员人数与组织类型不相称",
        "Too small for its type",
        "党员 {members} 人，未超过 {threshold} 人",
        "{members} members, not more than {threshold}",
    ),
    "org.large_enough_for_committee": (
        "党员人数已可设立基层党委",
        "Large enough for a committee",
        "党员 {members} 人，超过 {threshold} 人",
        "{members} members, more than {threshold}",
    ),
}

MESSAGES.update({_code: Message(*_texts) for _code, _texts in _TEXTS.items()})
MESSAGES["organisation.code_taken"] = Message(
    "组织代码已被使用",
    "Organisation code taken",
    "组织代码 {code} 已有党组织使用（每个代码只对应一个党组织）",
    "The code {code} is another organisation's (one organisation per code)",
)
MESSAGES["organisation.secretary_name_invalid"] = Message(
    "书记姓名无效",
    "Invalid secretary name",
    "书记姓名须为 1 至 100 个字符：“{name}”",
    "A secretary's name takes 1 to 100 characters: “{name}”",
)
