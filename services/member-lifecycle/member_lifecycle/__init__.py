"""member-lifecycle: a person's path from applicant to full member (发展党员) and after."""

SERVICE = "member-lifecycle"
