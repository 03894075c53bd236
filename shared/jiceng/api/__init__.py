"""HTTP conventions every service shares (RFC 9457 problems, idempotency, ETags, paging)."""
