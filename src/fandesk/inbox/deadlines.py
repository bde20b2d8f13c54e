"""Response targets: which tier, how long, and when a reply is due (in the account's time zone,
moved to the next opening when it falls outside business hours)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

# Product rules: urgent 2 h, important 12 h, routine 24 h; channel standards: comments 4 h, DMs 24 h.
TIER_HOURS = {"urgent": 2, "important": 12, "routine": 24}
CHANNEL_HOURS = {"comment": 4, "mention": 4, "dm": 24}
NEARING_SHARE = 0.25


def reply_window(tier: str, channel: str) -> timedelta:
    """The earlier of the tier's target and the channel's standard."""
    return timedelta(hours=min(TIER_HOURS[tier], CHANNEL_HOURS[channel]))


def reply_by(received_at: datetime, tier: str, channel: str, *, time_zone: str,
             opening_hours: dict[int, tuple[time, time]] | None = None) -> datetime:
    """When a reply is due (UTC, naive). With business hours, a deadline outside them moves to the
    next opening, as Chatwoot and Hootsuite do."""
    due = received_at + reply_window(tier, channel)
    if not opening_hours:
        return due
    zone = ZoneInfo(time_zone)
    local = due.replace(tzinfo=UTC).astimezone(zone)
    for day in range(8):
        date = (local + timedelta(days=day)).date()
        hours = opening_hours.get(date.weekday())
        if hours is None:
            continue
        opens = datetime.combine(date, hours[0], zone)
        closes = datetime.combine(date, hours[1], zone)
        if day == 0 and opens <= local <= closes:
            return due
        if local < opens:
            return opens.astimezone(UTC).replace(tzinfo=None)
    return due  # no opening in the coming week: keep the plain deadline


def deadline_state(received_at: datetime, due: datetime, now: datetime) -> str:
    """on_time, nearing (the last quarter of the window) or breached."""
    if now > due:
        return "breached"
    window = max((due - received_at).total_seconds(), 1.0)
    if (due - now).total_seconds() <= window * NEARING_SHARE:
        return "nearing"
    return "on_time"
