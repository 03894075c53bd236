"""The org-registry events other services rely on (the published language of its feed).

Changing a name or a payload field here is a breaking change for every follower.
"""

ESTABLISHED = "Organisation.Established"  # payload: name, org_type, domain, parent_id, ...
RENAMED = "Organisation.Renamed"  # payload: name
STREAM = "org-registry"
