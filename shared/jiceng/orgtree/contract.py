"""The org-registry events other services rely on (the published language of its feed).

Changing a name or a payload field here is a breaking change for every follower.
"""

STREAM = "org-registry"

# payload: name, org_type, domain, parent_id, established_on, short_name, code, region_code,
#          student_branch, source (the imported row: file, sheet, row, sha256; or null)
ESTABLISHED = "Organisation.Established"
RENAMED = "Organisation.Renamed"  # payload: name, short_name, source
REAFFILIATED = "Organisation.Reaffiliated"  # payload: parent_id, previous_parent_id
DISSOLVED = "Organisation.Dissolved"  # payload: dissolved_on
RESTORED = "Organisation.Restored"  # payload: restored_on
MERGED = "Organisation.Merged"  # payload: into_id, merged_on (children move by Reaffiliated)
PACK_ASSIGNED = "Organisation.PolicyPackAssigned"  # payload: pack_id, effective_from

ACTIVE = "active"
DISSOLVED_STATUS = "dissolved"
MERGED_STATUS = "merged"
