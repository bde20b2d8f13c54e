"""What to answer first: the queue's order, one definition for the web queue and `fandesk inbox`.

1. Urgent work that is late, or due within its last stretch (the last quarter of the urgent tier's window:
   30 minutes), by time left, the latest first in line being the one late longest.
2. The rest of the urgent work, by time left.
3. Important, then routine work, each by time left.

So a complaint that arrived this morning is above last week's routine thanks however late that is, and
within a tier whatever is due first comes first. Spam and hidden items, and closed or history items, are
never overdue (inbox.history keeps the past out of the queue)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, bindparam, case

from fandesk.inbox.deadlines import NEARING_SHARE, TIER_HOURS
from fandesk.inbox.models import InboxItem

URGENT_SOON = timedelta(hours=TIER_HOURS["urgent"] * NEARING_SHARE)
RANKS = ("urgent_due", "urgent", "important", "routine")


def priority_rank():
    """The rank (0 first) as a SQL expression; it takes the parameter `soon` (see soon_of)."""
    return case((and_(InboxItem.tier == "urgent", InboxItem.reply_by <= bindparam("soon")), 0),
                (InboxItem.tier == "urgent", 1), (InboxItem.tier == "important", 2), else_=3)


def order_by():
    return (priority_rank(), InboxItem.reply_by, InboxItem.id)


def soon_of(now: datetime) -> datetime:
    return now + URGENT_SOON


def rank_of(tier: str, reply_by: datetime, now: datetime) -> str:
    """Why a row is where it is, as a code (RANKS): the same rule in Python, for the page to say so."""
    if tier == "urgent":
        return "urgent_due" if reply_by <= soon_of(now) else "urgent"
    return tier if tier in RANKS else "routine"
