"""member-lifecycle: a person's path from applicant to full member (发展党员) and after."""

SERVICE = "member-lifecycle"
#: Where it listens unless JICENG_PORTS says otherwise; services start in port order.
PORT = 8002
