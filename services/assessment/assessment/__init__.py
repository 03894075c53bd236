"""assessment: organisational life, study hours, appraisal and ratings (考核评价)."""

SERVICE = "assessment"
#: Where it listens unless JICENG_PORTS says otherwise; services start in port order.
PORT = 8003
