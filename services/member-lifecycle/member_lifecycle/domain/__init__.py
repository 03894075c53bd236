"""member-lifecycle's domain. Imports no framework."""
