"""The tree's shape: placement by type, cycles, merge, dissolve and restore (DOMAIN §1)."""

from __future__ import annotations

from datetime import date

import pytest

from jiceng.errors import RuleViolation
from jiceng.policy import default_catalogue
from org_registry.domain.organisation import Organisation
from org_registry.domain.structure import has_approval_power
from org_registry.domain.types import OrgDomain, OrgStatus, OrgType

NATIONAL = default_catalogue().policy("national")
DAY = date(2026, 11, 23)


def org(
    org_type: OrgType,
    parent: Organisation | None = None,
    name: str = "x",
    domain: OrgDomain = OrgDomain.UNIVERSITY,
) -> Organisation:
    return Organisation.establish(
        policy=NATIONAL,
        name=name,
        org_type=org_type,
        domain=domain,
        parent=parent,
        established_on=None,
    )


@pytest.mark.parametrize(
    ("parent", "child", "allowed"),
    [
        (OrgType.COMMITTEE, OrgType.GENERAL_BRANCH, True),
        (OrgType.COMMITTEE, OrgType.BRANCH, True),
        (OrgType.GENERAL_BRANCH, OrgType.BRANCH, True),
        (OrgType.BRANCH, OrgType.PARTY_GROUP, True),
        (OrgType.GENERAL_BRANCH, OrgType.PARTY_GROUP, False),  # a 党小组 only under a branch
        (OrgType.COMMITTEE, OrgType.PARTY_GROUP, False),
        (OrgType.BRANCH, OrgType.BRANCH, False),
        (OrgType.GENERAL_BRANCH, OrgType.GENERAL_BRANCH, False),
        (OrgType.PARTY_GROUP, OrgType.PARTY_GROUP, False),
    ],
)
def test_placement_by_type(parent: OrgType, child: OrgType, allowed: bool) -> None:
    root = org(OrgType.COMMITTEE)
    holder = root if parent is OrgType.COMMITTEE else org(parent, _parent_for(parent, root))
    if allowed:
        placed = org(child, holder)
        assert placed.parent_id == holder.id
        assert placed.id in holder.children
    else:
        with pytest.raises(RuleViolation) as refused:
            org(child, holder)
        assert refused.value.code == "organisation.child_type_not_allowed"
        assert refused.value.params["rule"] == "org.allowed_children"
        assert refused.value.params["pack"] == "national@1"


def _parent_for(org_type: OrgType, root: Organisation) -> Organisation:
    if org_type is OrgType.PARTY_GROUP:
        return org(OrgType.BRANCH, root)
    return root


def test_only_committees_are_roots() -> None:
    assert org(OrgType.WORKING_COMMITTEE).parent_id is None
    with pytest.raises(RuleViolation) as refused:
        org(OrgType.BRANCH)
    assert refused.value.code == "organisation.root_type_not_allowed"


def test_the_parent_records_its_children() -> None:
    root = org(OrgType.COMMITTEE)
    child = org(OrgType.BRANCH, root)
    assert root.children == {child.id}


def test_reaffiliation_refuses_a_cycle() -> None:
    root = org(OrgType.COMMITTEE)
    middle = org(OrgType.COMMITTEE, root)
    lower = org(OrgType.COMMITTEE, middle)
    with pytest.raises(RuleViolation) as refused:
        middle.reaffiliate(NATIONAL, lower, root, [middle.id, root.id])
    assert refused.value.code == "organisation.affiliation_cycle"
    with pytest.raises(RuleViolation):
        middle.reaffiliate(NATIONAL, middle, root, [root.id])


def test_reaffiliation_moves_the_node_between_parents() -> None:
    root = org(OrgType.COMMITTEE)
    a, b = org(OrgType.GENERAL_BRANCH, root), org(OrgType.GENERAL_BRANCH, root)
    branch = org(OrgType.BRANCH, a)
    branch.reaffiliate(NATIONAL, b, a, [root.id])
    assert (branch.parent_id, a.children, b.children) == (b.id, set(), {branch.id})
    group = org(OrgType.PARTY_GROUP, branch)
    with pytest.raises(RuleViolation) as refused:  # a 党小组 cannot sit under a 总支
        group.reaffiliate(NATIONAL, a, branch, [root.id])
    assert refused.value.code == "organisation.child_type_not_allowed"


def test_dissolution_is_refused_with_children_or_members() -> None:
    root = org(OrgType.COMMITTEE)
    branch = org(OrgType.BRANCH, root)
    with pytest.raises(RuleViolation) as with_children:
        root.dissolve(DAY, 0, None)
    assert with_children.value.params == {"children": 1}
    with pytest.raises(RuleViolation) as with_members:
        branch.dissolve(DAY, 4, root)
    assert (with_members.value.code, with_members.value.params) == (
        "organisation.has_members",
        {"members": 4},
    )
    branch.dissolve(DAY, 0, root)
    assert (branch.status, root.children) == (OrgStatus.DISSOLVED, set())
    with pytest.raises(RuleViolation):
        branch.rename("新名")
    branch.restore(DAY, root)
    assert (branch.status, root.children) == (OrgStatus.ACTIVE, {branch.id})
    with pytest.raises(RuleViolation) as not_dissolved:
        branch.restore(DAY, root)
    assert not_dissolved.value.code == "organisation.not_dissolved"


def test_merge_moves_children_to_the_target() -> None:
    root = org(OrgType.COMMITTEE)
    source, target = org(OrgType.BRANCH, root), org(OrgType.BRANCH, root)
    groups = [org(OrgType.PARTY_GROUP, source) for _ in range(2)]
    source.merge_into(NATIONAL, target, [root.id], groups, root, DAY)
    assert source.status is OrgStatus.MERGED
    assert source.merged_into == target.id
    assert target.children == {g.id for g in groups}
    assert all(g.parent_id == target.id for g in groups)
    assert root.children == {target.id}


def test_merge_into_own_subtree_is_refused() -> None:
    root = org(OrgType.COMMITTEE)
    college = org(OrgType.GENERAL_BRANCH, root)
    branch = org(OrgType.BRANCH, college)
    with pytest.raises(RuleViolation) as refused:
        college.merge_into(NATIONAL, branch, [college.id, root.id], [branch], root, DAY)
    assert refused.value.code == "organisation.merge_into_own_subtree"


def test_only_a_student_branch_can_be_marked_as_one() -> None:
    root = org(OrgType.COMMITTEE)
    with pytest.raises(RuleViolation):
        Organisation.establish(
            policy=NATIONAL,
            name="x",
            org_type=OrgType.GENERAL_BRANCH,
            domain=OrgDomain.UNIVERSITY,
            parent=root,
            established_on=None,
            student_branch=True,
        )


@pytest.mark.parametrize(
    ("org_type", "domain", "parent", "power"),
    [
        (OrgType.COMMITTEE, OrgDomain.UNIVERSITY, None, True),
        (OrgType.COMMITTEE, OrgDomain.RURAL, OrgType.COMMITTEE, False),  # village under 乡镇
        (OrgType.COMMITTEE, OrgDomain.COMMUNITY, OrgType.COMMITTEE, False),  # 社区 under 街道
        (OrgType.COMMITTEE, OrgDomain.RURAL, None, True),  # the 乡镇党委 itself
        (OrgType.GENERAL_BRANCH, OrgDomain.UNIVERSITY, OrgType.COMMITTEE, False),
        (OrgType.TEMPORARY_BRANCH, OrgDomain.OTHER, OrgType.COMMITTEE, False),
    ],
)
def test_who_may_approve_admissions(
    org_type: OrgType, domain: OrgDomain, parent: OrgType | None, power: bool
) -> None:
    assert has_approval_power(org_type, domain, parent) is power
