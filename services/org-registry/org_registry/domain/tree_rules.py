"""The rules of changing the tree, apart from the aggregate that records the changes:
where an organisation may go, when it may merge, dissolve or come back (DOMAIN §1)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING
from uuid import UUID

from jiceng.errors import Conflict, RuleViolation
from jiceng.policy import Policy, PolicyPack
from org_registry.domain.structure import check_placement
from org_registry.domain.types import OrgStatus, OrgType

if TYPE_CHECKING:  # the aggregate calls these rules: at run time only it imports the other
    from org_registry.domain.organisation import Organisation

SECRETARY_NAME_MAX_LENGTH = 100


def check_establishment(
    policy: Policy, org_type: OrgType, parent: Organisation | None, student_branch: bool
) -> None:
    """A type the pack allows under the parent, an active parent, and a 学生党支部 a branch."""
    check_placement(policy, org_type, parent.org_type if parent else None)
    if parent is not None:
        parent.check_active()
    if student_branch and not org_type.is_branch:
        raise RuleViolation("organisation.student_branch_not_a_branch", org_type=org_type.value)


def check_reaffiliation(
    policy: Policy, org: Organisation, new_parent: Organisation, new_parent_ancestors: list[UUID]
) -> None:
    """Both active, never under itself or its own subtree, somewhere new, a type allowed there."""
    org.check_active()
    new_parent.check_active()
    if new_parent.id == org.id or org.id in new_parent_ancestors:
        raise RuleViolation(
            "organisation.affiliation_cycle", id=str(org.id), parent_id=str(new_parent.id)
        )
    if new_parent.id == org.parent_id:
        raise RuleViolation("organisation.already_under_parent", parent_id=str(new_parent.id))
    check_placement(policy, org.org_type, new_parent.org_type)


def check_merger(
    policy: Policy,
    org: Organisation,
    target: Organisation,
    target_ancestors: list[UUID],
    children: Sequence[Organisation],
) -> None:
    """Both active, never into its own subtree, and every child allowed under the target."""
    org.check_active()
    target.check_active()
    if target.id == org.id or org.id in target_ancestors:
        raise RuleViolation(
            "organisation.merge_into_own_subtree", id=str(org.id), target_id=str(target.id)
        )
    for child in children:
        check_placement(policy, child.org_type, target.org_type)


def check_dissolution(org: Organisation, members: int) -> None:
    """撤销 only an active organisation left with no members and no children."""
    org.check_active()
    if org.children:
        raise RuleViolation("organisation.has_children", children=len(org.children))
    if members > 0:
        raise RuleViolation("organisation.has_members", members=members)


def check_restoration(org: Organisation, parent: Organisation | None) -> None:
    """恢复 only a dissolved organisation (a merged one stays merged), under an active parent."""
    if org.status is not OrgStatus.DISSOLVED:
        raise RuleViolation("organisation.not_dissolved", status=org.status.value)
    if parent is not None:
        parent.check_active()


def check_pack_assignment(org: Organisation, pack: PolicyPack, effective_from: date) -> None:
    org.check_active()
    if org.policy_packs.get(effective_from) == pack.id:
        raise Conflict("policy.already_assigned", pack=pack.id, effective_from=effective_from)


def check_secretary_name(name: str) -> str:
    """The name on one line, spaces collapsed, not empty and not too long."""
    cleaned = " ".join(name.split())
    if not cleaned or len(cleaned) > SECRETARY_NAME_MAX_LENGTH:
        raise RuleViolation(
            "organisation.secretary_name_invalid", name=cleaned[:SECRETARY_NAME_MAX_LENGTH]
        )
    return cleaned
