"""member-lifecycle's HTTP resources."""
