"""Audit: a hash chain over each service's log, signed checkpoints, export and verification."""
