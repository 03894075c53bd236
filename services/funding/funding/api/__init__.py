"""funding's HTTP resources."""
