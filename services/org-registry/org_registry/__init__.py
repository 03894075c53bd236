"""org-registry: the organisation tree (党组织), terms, coverage and venues."""

SERVICE = "org-registry"
#: Where it listens unless JICENG_PORTS says otherwise; services start in port order.
PORT = 8001
