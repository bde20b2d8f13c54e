"""History is history: each account's desk starts at a moment (account.desk_start). Comments, mentions and
DMs that arrived before it are in threads, timelines and metrics, and answered ones keep their response
times, but they are not open work: their items are "history". A crawl brings months of past comments;
without this, every one of them would be an open, overdue item on the first morning.

Unless someone chose it, an account's desk starts a week before the newest item it had when it was first
triaged (a backfill of six months leaves the last week's unanswered comments to answer)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session

from fandesk.audit.service import record
from fandesk.clock import utcnow
from fandesk.errors import Invalid, NotFound
from fandesk.inbox.models import InboxItem
from fandesk.workspace.models import Account

DEFAULT_WINDOW = timedelta(days=7)
# what only the triage set (nobody drafted, snoozed or decided anything on it) may become history
UNTOUCHED = ("new", "assigned")


def _desk_start_of_item():
    return select(Account.desk_start).where(Account.id == InboxItem.account_id).scalar_subquery()


def settle_history(session: Session, *, now: datetime | None = None) -> int:
    """Give each account that has items and no desk start one, and turn what is still open from before
    its desk start (and nobody worked on) into history. Returns how many items became history."""
    now = now or utcnow()
    newest = session.execute(select(InboxItem.account_id, func.max(InboxItem.received_at))
                             .join(Account, Account.id == InboxItem.account_id)
                             .where(Account.desk_start.is_(None)).group_by(InboxItem.account_id)).all()
    for account_id, received in newest:
        session.execute(update(Account).where(Account.id == account_id)
                        .values(desk_start=received - DEFAULT_WINDOW))
    moved = session.execute(
        update(InboxItem).where(InboxItem.status.in_(UNTOUCHED), InboxItem.status_by_person.is_(False),
                                InboxItem.received_at < _desk_start_of_item())
        .values(status="history", updated_at=now).execution_options(synchronize_session=False)).rowcount
    session.flush()
    return moved or 0


def desk_start_from_text(text: str, time_zone: str) -> datetime:
    """"2026-11-20" (its 00:00) or "2026-11-20T08:00", in the account's time zone, as naive UTC."""
    from datetime import UTC
    from zoneinfo import ZoneInfo

    value = text.strip().replace(" ", "T")
    try:
        local = datetime.fromisoformat(value)
    except ValueError:
        raise Invalid(f"desk start {text!r}: give a day or a time in the account's time zone, e.g. 2026-11-20 "
                      "or 2026-11-20T08:00") from None
    if local.tzinfo is None:
        local = local.replace(tzinfo=ZoneInfo(time_zone or "UTC"))
    return local.astimezone(UTC).replace(tzinfo=None)


def set_desk_start(session: Session, *, account_id: int, desk_start: datetime, member_id: int | None,
                   now: datetime | None = None) -> tuple[int, int]:
    """Move an account's desk start: open items from before it (that nobody worked on) become history,
    and history from after it becomes open work again. Returns (to history, back to work); audited."""
    now = now or utcnow()
    account = session.get(Account, account_id)
    if account is None:
        raise NotFound(f"no account {account_id}")
    if desk_start > now:
        raise Invalid("desk start: it cannot be in the future (what arrives from now on is work anyway)")
    before = account.desk_start
    account.desk_start = desk_start
    session.flush()
    to_history = session.execute(
        update(InboxItem).where(InboxItem.account_id == account_id, InboxItem.status.in_(UNTOUCHED),
                                InboxItem.status_by_person.is_(False), InboxItem.received_at < desk_start)
        .values(status="history", updated_at=now).execution_options(synchronize_session=False)).rowcount or 0
    back = 0
    for status, assigned in (("assigned", InboxItem.assignee_id.is_not(None)),
                             ("new", InboxItem.assignee_id.is_(None))):
        back += session.execute(
            update(InboxItem).where(and_(InboxItem.account_id == account_id, InboxItem.status == "history",
                                         InboxItem.received_at >= desk_start, assigned))
            .values(status=status, updated_at=now).execution_options(synchronize_session=False)).rowcount or 0
    record(session, member_id=member_id, account_id=account_id, action="account.desk_start", object_type="account",
           object_id=account_id, before={"desk_start": before.isoformat(sep=" ") if before else None},
           after={"desk_start": desk_start.isoformat(sep=" "), "to_history": to_history, "back_to_work": back})
    session.flush()
    return to_history, back
