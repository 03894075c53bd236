"""funding: dues (党费) and work funds (党建工作经费)."""

SERVICE = "funding"
