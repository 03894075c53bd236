"""Policy packs: the rules' numbers as versioned data, assigned to organisation subtrees."""

from jiceng.policy.catalogue import PolicyCatalogue, default_catalogue
from jiceng.policy.pack import Policy, PolicyPack, RuleValue

__all__ = ["Policy", "PolicyCatalogue", "PolicyPack", "RuleValue", "default_catalogue"]
