"""Moderation of anything colleagues post: flags, decisions, claims and the audit trail (docs/architecture.md)."""
