"""The one clock: the database keeps naive UTC times, and every "now" of the code comes from here."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Now, in UTC, without a time zone (as the database's columns keep it)."""
    return datetime.now(UTC).replace(tzinfo=None)
