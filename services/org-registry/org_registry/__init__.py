"""org-registry: the organisation tree (党组织), terms, coverage and venues."""

SERVICE = "org-registry"
