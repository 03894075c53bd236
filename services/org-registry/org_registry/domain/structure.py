"""Rules of the tree's shape, as functions of a policy pack (DOMAIN §1)."""

from __future__ import annotations

from datetime import date

from jiceng.errors import InvalidInput, RuleViolation
from jiceng.policy import Policy
from jiceng.text import has_control_characters
from org_registry.domain.types import OrgDomain, OrgType

NAME_MAX_LENGTH = 200


def check_name(name: str) -> str:
    cleaned = name.strip()
    if not cleaned:
        raise InvalidInput("organisation.name_empty")
    if len(cleaned) > NAME_MAX_LENGTH:
        raise InvalidInput("organisation.name_too_long", length=len(cleaned), limit=NAME_MAX_LENGTH)
    if has_control_characters(cleaned):  # a name is one line: no breaks, no tabs
        raise InvalidInput("organisation.name_not_single_line")
    return cleaned


def check_placement(policy: Policy, child: OrgType, parent: OrgType | None) -> None:
    """Refuse a type under a parent type the pack does not allow (党小组 only under a branch, …)."""
    if parent is None:
        rule = policy.rule("org.root_types")
        if child.value not in rule.value:
            raise RuleViolation(
                "organisation.root_type_not_allowed",
                org_type=child.value,
                allowed=list(rule.value),
                rule=rule.key,
                pack=rule.pack,
            )
        return
    rule = policy.rule("org.allowed_children")
    allowed = list(rule.value.get(parent.value, []))
    if child.value not in allowed:
        raise RuleViolation(
            "organisation.child_type_not_allowed",
            org_type=child.value,
            parent_type=parent.value,
            allowed=allowed,
            rule=rule.key,
            pack=rule.pack,
        )


def has_approval_power(org_type: OrgType, domain: OrgDomain, parent_type: OrgType | None) -> bool:
    """Whether the organisation may approve admissions (DOMAIN §1, [R]).

    Only a 基层党委 may; not a 党总支, not a temporary branch, and not a village or 社区
    党委 under a 乡镇/街道 党委.
    """
    if org_type is not OrgType.COMMITTEE:
        return False
    under_township = parent_type in (OrgType.COMMITTEE, OrgType.WORKING_COMMITTEE)
    return not (domain in (OrgDomain.RURAL, OrgDomain.COMMUNITY) and under_township)


def term_years(policy: Policy, org_type: OrgType, domain: OrgDomain) -> int:
    """Length of a term: 5 for 基层党委 and village/社区 bodies, 3 for 总支 and 支部."""
    if domain in (OrgDomain.RURAL, OrgDomain.COMMUNITY):
        return int(policy.value("org.term_years_rural_community"))
    years = policy.value("org.term_years").get(org_type.value)
    if years is None:
        raise RuleViolation(
            "term.no_term_for_type",
            org_type=org_type.value,
            rule="org.term_years",
            pack=policy.ref,
        )
    return int(years)


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for last_day in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last_day))
        except ValueError:
            continue
    raise AssertionError("unreachable")
