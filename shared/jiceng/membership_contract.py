"""The member-lifecycle events other services rely on (the published language of its feed)."""

STREAM = "member-lifecycle"

# payload: org_id, formal, probationary, activists, candidates, applicants, as_of
#   (the numbers of the organisation's own members, not of its subtree)
MEMBERS_COUNTED = "OrgMembership.Counted"
