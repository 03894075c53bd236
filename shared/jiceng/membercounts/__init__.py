"""The copy of member-lifecycle's member counts per organisation: contract, projection,
queries (org-registry's structural alerts, assessment's and funding's denominators)."""
