"""assessment's HTTP resources."""
