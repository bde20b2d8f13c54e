"""Replies: the template library, offline drafts, the quality check, approval and the outbox."""
