"""The queue: open items of a member's accounts, most urgent reply-by first, with filters, saved
views and counts per tier."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from functools import cache, lru_cache

import orjson
from sqlalchemy import and_, bindparam, case, func, or_, select
from sqlalchemy.orm import Session

from fandesk.audit.models import QueueRevision
from fandesk.clock import utcnow
from fandesk.content.models import Note
from fandesk.errors import Invalid
from fandesk.inbox import priority
from fandesk.inbox.deadlines import deadline_state
from fandesk.inbox.models import OPEN_STATUSES, STATUSES, TIERS, InboxItem
from fandesk.members.models import AccountMember, Member
from fandesk.people.models import Person, PersonTag
from fandesk.workspace.models import Account
from fandesk.workspace.service import account_by_handle

VIEWS = ("all", "mine", "breached", "dm", "awaiting", "hidden")
PAGE = 50


@dataclass
class QueueFilter:
    """What the person asked for; every field is optional and comes straight from the query string."""

    view: str = "all"
    account: str = ""  # account handle
    note: str = ""  # note id
    tier: str = ""
    category: str = ""
    sentiment: str = ""
    status: str = ""
    assignee: str = ""  # member id, "me" or "none"
    tag: str = ""  # follower tag
    q: str = ""  # text search in the item and the nickname

    @classmethod
    def from_mapping(cls, values) -> QueueFilter:
        known = {f.name for f in fields(cls)}
        data = {k: str(values.get(k) or "").strip()[:200] for k in known}
        if data["view"] not in VIEWS:
            data["view"] = "all"
        return cls(**data)

    def as_query(self, **changes) -> dict:
        data = {f.name: getattr(self, f.name) for f in fields(self)} | changes
        return {k: v for k, v in data.items() if v and not (k == "view" and v == "all")}


@dataclass(slots=True)
class QueueRow:
    """One line of the queue: only what the page shows."""

    id: int
    account: str  # handle
    channel: str
    nickname: str
    text: str
    tier: str
    status: str
    category: str | None
    sentiment: str | None
    received_at: datetime
    reply_by: datetime
    state: str  # on_time | nearing | breached; "" for hidden items (never overdue)
    assignee: str | None
    assignee_id: int | None
    escalated: bool
    person_id: int | None
    rank: str = "routine"  # why it is where it is (inbox.priority.RANKS)


def _shape(f: QueueFilter, *, with_tier: bool = True) -> tuple:
    """Which conditions the filters ask for (not their values): the queue's statement is built once per
    shape and reused with the values as parameters, sparing its construction on every page."""
    if f.view == "awaiting":
        status = "awaiting"
    elif f.status in STATUSES:
        status = "one"
    else:
        status = "open"
    assignee = f.assignee if f.assignee in ("me", "none") else ("id" if f.assignee.isdigit() else "")
    return (f.view, status, bool(f.account), f.note.isdigit(), with_tier and f.tier in TIERS, bool(f.category),
            bool(f.sentiment), assignee, bool(f.tag), bool(f.q))


def _values(f: QueueFilter, *, account_ids: list[int], member_id: int, now: datetime) -> dict:
    """The parameters for the statement of the filters' shape."""
    pattern = "%" + f.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return {"account_ids": account_ids, "member_id": member_id, "now": now, "status": f.status,
            "handle": f.account, "note_id": int(f.note) if f.note.isdigit() else 0, "tier": f.tier,
            "category": f.category, "sentiment": f.sentiment,
            "assignee_id": int(f.assignee) if f.assignee.isdigit() else 0, "tag": f.tag, "pattern": pattern}


def _conditions(shape: tuple) -> list:
    view, status, account, note, tier, category, sentiment, assignee, tag, q = shape
    now = bindparam("now")
    where = [InboxItem.account_id.in_(bindparam("account_ids", expanding=True))]
    if status == "awaiting":
        where.append(InboxItem.status == "awaiting_approval")
    elif status == "one":
        where.append(InboxItem.status == bindparam("status"))
    else:
        where.append(InboxItem.status.in_(OPEN_STATUSES))
        where.append(or_(InboxItem.snoozed_until.is_(None), InboxItem.snoozed_until <= now))
    where.append(InboxItem.hidden.is_(view == "hidden"))
    if view == "mine":
        where.append(InboxItem.assignee_id == bindparam("member_id"))
    elif view == "breached":
        where.append(InboxItem.reply_by < now)
    elif view == "dm":
        where.append(InboxItem.channel == "dm")
    if account:
        where.append(InboxItem.account_id == select(Account.id).where(Account.handle == bindparam("handle"))
                     .scalar_subquery())
    if note:
        where.append(InboxItem.note_id == bindparam("note_id"))
    if tier:
        where.append(InboxItem.tier == bindparam("tier"))
    if category:
        where.append(InboxItem.category == bindparam("category"))
    if sentiment:
        where.append(InboxItem.sentiment == bindparam("sentiment"))
    if assignee == "me":
        where.append(InboxItem.assignee_id == bindparam("member_id"))
    elif assignee == "none":
        where.append(InboxItem.assignee_id.is_(None))
    elif assignee == "id":
        where.append(InboxItem.assignee_id == bindparam("assignee_id"))
    if tag:
        where.append(InboxItem.person_id.in_(select(PersonTag.person_id).where(
            PersonTag.tag == bindparam("tag"), PersonTag.account_id == InboxItem.account_id)))
    if q:
        pattern = bindparam("pattern")
        where.append(or_(InboxItem.text.like(pattern, escape="\\"),
                         InboxItem.person_id.in_(select(Person.id).where(Person.nickname.like(pattern,
                                                                                              escape="\\")))))
    return where


@lru_cache(maxsize=512)
def _rows_statement(shape: tuple):
    # only the columns the page shows, in one query: rows, not ORM objects
    return (select(InboxItem.id, Account.handle, InboxItem.channel, Person.nickname, InboxItem.text, InboxItem.tier,
                   InboxItem.status, InboxItem.category, InboxItem.sentiment, InboxItem.received_at,
                   InboxItem.reply_by, Member.name.label("assignee"), InboxItem.assignee_id, InboxItem.escalated,
                   InboxItem.person_id)
            .join(Account, Account.id == InboxItem.account_id)
            .outerjoin(Person, Person.id == InboxItem.person_id)
            .outerjoin(Member, Member.id == InboxItem.assignee_id)
            .where(*_conditions(shape)).order_by(*priority.order_by())
            .limit(bindparam("limit")).offset(bindparam("offset")))


@lru_cache(maxsize=512)
def _counts_statement(shape: tuple):
    breached = func.sum(case((and_(InboxItem.reply_by < bindparam("now"), InboxItem.hidden.is_(False)), 1), else_=0))
    return select(InboxItem.tier, func.count(), breached).where(*_conditions(shape)).group_by(InboxItem.tier)


def queue(session: Session, *, account_ids: list[int], member_id: int, filters: QueueFilter,
          now: datetime | None = None, limit: int = PAGE, offset: int = 0) -> list[QueueRow]:
    """One page of the queue, what to answer first first (inbox.priority); empty when the member has no
    accounts. Hidden items are never overdue."""
    if not account_ids:
        return []
    now = now or utcnow()
    values = _values(filters, account_ids=account_ids, member_id=member_id, now=now)
    rows = session.execute(_rows_statement(_shape(filters)), values | {"limit": limit, "offset": offset}).all()
    return [QueueRow(r.id, r.handle, r.channel, r.nickname or "", r.text, r.tier, r.status, r.category, r.sentiment,
                     r.received_at, r.reply_by, "" if filters.view == "hidden" else
                     deadline_state(r.received_at, r.reply_by, now), r.assignee, r.assignee_id, r.escalated,
                     r.person_id, priority.rank_of(r.tier, r.reply_by, now)) for r in rows]


def open_items(session: Session, *, account: str | None = None, tier: str | None = None,
               now: datetime | None = None, limit: int = 50) -> list[dict]:
    """The queue as the command line lists it (`fandesk inbox`): the desk's "all" view over every account,
    by the same statement and in the same order as the web's page, each item with its triage reasons."""
    if tier and tier not in TIERS:
        raise Invalid(f"tier {tier!r}: use urgent, important or routine")
    if account:
        account_by_handle(session, account)  # an unknown handle is an error that names it, not an empty list
    rows = queue(session, account_ids=list(session.scalars(select(Account.id))), member_id=0,
                 filters=QueueFilter(account=account or "", tier=tier or ""), now=now, limit=limit)
    reasons = dict(session.execute(select(InboxItem.id, InboxItem.reasons)
                                   .where(InboxItem.id.in_([r.id for r in rows]))).all())
    return [{"id": r.id, "account": r.account, "channel": r.channel, "nickname": r.nickname, "text": r.text,
             "tier": r.tier, "status": r.status, "category": r.category, "sentiment": r.sentiment,
             "received_at": r.received_at.isoformat(sep=" "), "reply_by": r.reply_by.isoformat(sep=" "),
             "state": r.state, "assignee": r.assignee, "escalated": r.escalated,
             "reasons": orjson.loads(reasons[r.id] or "[]")} for r in rows]


def queue_revision(session: Session) -> int:
    """Bumped by every change a person makes to the queue (audit.service.record): cached counts older
    than the current revision are stale."""
    return session.scalar(_revision_statement()) or 0


@cache
def _revision_statement():
    return select(QueueRevision.revision).where(QueueRevision.id == 1)


def tier_counts(session: Session, *, account_ids: list[int], member_id: int, filters: QueueFilter,
                now: datetime | None = None) -> dict:
    """Open items per tier under the current filters (the tier filter aside), and how many are breached."""
    counts = {tier: 0 for tier in TIERS} | {"breached": 0, "total": 0}
    if not account_ids:
        return counts
    now = now or utcnow()
    values = _values(filters, account_ids=account_ids, member_id=member_id, now=now)
    for tier, count, late in session.execute(_counts_statement(_shape(filters, with_tier=False)), values):
        counts[tier] = count
        counts["breached"] += int(late or 0)
        counts["total"] += count
    return counts


def member_choices(session: Session, *, account_ids: list[int]) -> list[tuple[int, str]]:
    """Who items can be assigned to: active members on any of these accounts who triage."""
    if not account_ids:
        return []
    return list(session.execute(_member_choices(), {"account_ids": account_ids}).all())


@cache
def _member_choices():
    """Built once: the item page offers the assignees on every view."""
    return (select(Member.id, Member.name).join(AccountMember, AccountMember.member_id == Member.id)
            .where(AccountMember.account_id.in_(bindparam("account_ids", expanding=True)),
                   Member.role.in_(("manager", "moderator")), Member.active.is_(True))
            .distinct().order_by(Member.name))


def on_accounts(session: Session, *, account_ids: list[int], item_ids: list[int]) -> list[int]:
    """Of these item ids, the ones on the member's accounts (for bulk actions)."""
    if not item_ids or not account_ids:
        return []
    return list(session.scalars(select(InboxItem.id).where(InboxItem.id.in_(item_ids),
                                                           InboxItem.account_id.in_(account_ids))))


def note_choices(session: Session, *, account_ids: list[int], limit: int = 40) -> list[tuple[int, str]]:
    """Notes to filter the queue by: the accounts' newest, titled for the menu."""
    if not account_ids:
        return []
    rows = session.execute(select(Note.id, Note.title, Note.platform_id).where(Note.account_id.in_(account_ids))
                           .order_by(Note.created_at.desc(), Note.id.desc()).limit(limit)).all()
    return [(r.id, (r.title or r.platform_id or str(r.id))[:40]) for r in rows]


def tag_choices(session: Session, *, account_ids: list[int], limit: int = 200) -> list[str]:
    """The follower tags in use on these accounts, for the queue's tag filter."""
    if not account_ids:
        return []
    return list(session.scalars(select(PersonTag.tag).where(PersonTag.account_id.in_(account_ids)).distinct()
                                .order_by(PersonTag.tag).limit(limit)))
