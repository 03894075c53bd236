"""funding: dues (党费) and work funds (党建工作经费)."""

SERVICE = "funding"
#: Where it listens unless JICENG_PORTS says otherwise; services start in port order.
PORT = 8004
