"""org-registry's HTTP resources."""
