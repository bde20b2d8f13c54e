"""The audit log: every change with who, when, what, before and after, and the accounts it concerns; a
manager browses the changes of their own accounts."""

from __future__ import annotations

from collections.abc import Iterable

import orjson
from sqlalchemy import column, exists, select, table, update
from sqlalchemy.orm import Session

from fandesk.audit.models import AuditEvent, AuditEventAccount, QueueRevision
from fandesk.clock import utcnow

# Who made a change, by name: the members table read as a plain table, since the audit log sits below
# the members domain (every domain, members included, writes to it).
_member = table("member", column("id"), column("name"))


def _json(value) -> str | None:
    return None if value is None else orjson.dumps(value, default=str).decode()


# Changes that can move items in or out of a queue view, or between tiers, or change who has a tag.
# Drafting and editing a reply move an item between open statuses only: counts stay right without them.
QUEUE_CHANGES = ("item.", "person.tags", "moderation.", "reply.submit", "reply.approve", "reply.reject",
                 "reply.posted")


def record(session: Session, *, member_id: int | None, action: str, object_type: str, object_id: int | None,
           account_id: int | None = None, account_ids: Iterable[int] | None = None, before=None,
           after=None) -> AuditEvent:
    """Write one change to the log; called by every service that changes something for a person. Every
    such change passes here, so this is also where the queue learns that its counts are stale.
    The change concerns `account_id`, or all of `account_ids` (a member put on two accounts), or no
    account (workspace-wide): the log shows it to people who run every account it concerns."""
    concerned = sorted(set(account_ids or ()))
    if concerned:
        account_id = concerned[0]
    event = AuditEvent(member_id=member_id, account_id=account_id, action=action, object_type=object_type,
                       object_id=object_id, before=_json(before), after=_json(after), at=utcnow())
    session.add(event)
    if len(concerned) > 1:
        session.flush()
        session.add_all([AuditEventAccount(event_id=event.id, account_id=a) for a in concerned[1:]])
    if action.startswith(QUEUE_CHANGES):
        session.execute(update(QueueRevision).where(QueueRevision.id == 1)
                        .values(revision=QueueRevision.revision + 1))
    session.flush()
    return event


def browse(session: Session, *, account_ids: list[int], every_account: bool = False, member_id: int | None = None,
           action: str | None = None, object_type: str | None = None, limit: int = 200) -> list[dict]:
    """The newest changes first: those whose every account is among the given ones. Changes that
    concern no account (workspace-wide rules and templates, people added from the command line before
    their accounts were recorded) only for someone who runs every account (`every_account`)."""
    query = select(AuditEvent, _member.c.name).outerjoin(_member, _member.c.id == AuditEvent.member_id)
    if not every_account:
        elsewhere = exists().where(AuditEventAccount.event_id == AuditEvent.id,
                                   AuditEventAccount.account_id.not_in(account_ids))
        query = query.where(AuditEvent.account_id.in_(account_ids), ~elsewhere)
    if member_id:
        query = query.where(AuditEvent.member_id == member_id)
    if action:
        query = query.where(AuditEvent.action.startswith(action))
    if object_type:
        query = query.where(AuditEvent.object_type == object_type)
    rows = session.execute(query.order_by(AuditEvent.id.desc()).limit(limit)).all()
    return [{"id": e.id, "at": e.at, "member": name, "action": e.action, "object_type": e.object_type,
             "object_id": e.object_id, "before": e.before, "after": e.after} for e, name in rows]


def last_change(session: Session, *, object_type: str, object_ids: list[int],
                actions: tuple[str, ...] | None = None) -> dict | None:
    """The newest change to these objects (optionally of these actions): who made it and what it was.
    Tells the person who lost a race who won it."""
    if not object_ids:
        return None
    query = (select(AuditEvent.action, AuditEvent.member_id, AuditEvent.after, _member.c.name)
             .outerjoin(_member, _member.c.id == AuditEvent.member_id)
             .where(AuditEvent.object_type == object_type, AuditEvent.object_id.in_(object_ids)))
    if actions:
        query = query.where(AuditEvent.action.in_(actions))
    row = session.execute(query.order_by(AuditEvent.id.desc()).limit(1)).first()
    if row is None:
        return None
    return {"action": row.action, "member_id": row.member_id, "member": row.name,
            "after": orjson.loads(row.after) if row.after else None}
