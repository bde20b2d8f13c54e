"""An item's status, changed one item at a time in one place: replies (drafted, waiting for approval,
answered), moderation (a block closes the item) and undoing an automatic assignment call
`change_status`, which checks the status, keeps that a person decided it (re-triage leaves it), stamps
the time, writes the audit record (`item.status`, before and after, with what caused it) and so bumps
the queue's revision (audit.service.QUEUE_CHANGES).

Two paths stay set-based, each already audited or owned elsewhere: a person's own decision on one item or
a selection, with its race guard (inbox.actions.act_on_item: item.assign, item.close...), and the
follow-up of an import over many items at once, without a person (inbox.service.close_answered,
inbox.history.settle_history)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from fandesk.audit.service import record
from fandesk.clock import utcnow
from fandesk.errors import Invalid
from fandesk.inbox.models import STATUSES, InboxItem


def change_status(session: Session, item: InboxItem, status: str, *, member_id: int | None, because: str,
                  by_person: bool = True, now: datetime | None = None) -> bool:
    """Move the item to `status` (False when it is there already). `because` says what caused it (e.g.
    "reply.submit"); an answered item records when and how fast it was answered."""
    if status not in STATUSES:
        raise Invalid(f"status {status!r}: use one of {', '.join(STATUSES)}")
    if item.status == status:
        return False
    now = now or utcnow()
    before = item.status
    item.status, item.updated_at = status, now
    if by_person:
        item.status_by_person = True
    if status == "replied":
        item.replied_at = now
        item.response_seconds = max(0, int((now - item.received_at).total_seconds()))
    session.flush()
    record(session, member_id=member_id, account_id=item.account_id, action="item.status", object_type="item",
           object_id=item.id, before={"status": before}, after={"status": status, "because": because})
    return True
