"""What to answer first: the queue's order, one definition for the web queue and `fandesk inbox`.

1. Urgent work by time left: what is late (the longest late first) or due within its last stretch (the
   last quarter of the urgent tier's window: 30 minutes) comes first, and the row says so.
2. Important, then routine work, each by time left.

So a complaint that arrived this morning is above last week's routine thanks however late that is, and
within a tier whatever is due first comes first. Spam and hidden items, and closed or history items, are
never overdue (inbox.history keeps the past out of the queue)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import literal_column

from fandesk.inbox.deadlines import NEARING_SHARE, TIER_HOURS
from fandesk.inbox.models import InboxItem

URGENT_SOON = timedelta(hours=TIER_HOURS["urgent"] * NEARING_SHARE)
RANKS = ("urgent_due", "urgent", "important", "routine")


# Urgent work sorted by time left already puts the late and nearly due first, so the order is the tier's
# rank, then time left. Written as literal SQL, as the index ix_inbox_item_queue_rank (migration 0012)
# writes it, so SQLite and PostgreSQL read the queue from that index in order instead of sorting it.
TIER_RANK_SQL = "CASE inbox_item.tier WHEN 'urgent' THEN 0 WHEN 'important' THEN 1 ELSE 2 END"


def order_by():
    return (literal_column(TIER_RANK_SQL), InboxItem.reply_by, InboxItem.id)


def soon_of(now: datetime) -> datetime:
    return now + URGENT_SOON


def rank_of(tier: str, reply_by: datetime, now: datetime) -> str:
    """Why a row is where it is, as a code (RANKS): the same rule in Python, for the page to say so."""
    if tier == "urgent":
        return "urgent_due" if reply_by <= soon_of(now) else "urgent"
    return tier if tier in RANKS else "routine"
