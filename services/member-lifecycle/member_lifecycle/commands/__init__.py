"""member-lifecycle's use cases: frozen commands and one handler each."""
