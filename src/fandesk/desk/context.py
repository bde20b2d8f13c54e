"""An item with everything a reply is written from: the thread (note, comment tree, our replies, DMs
with the person), the triage reasons, and the follower card."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import orjson
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from fandesk.clock import utcnow
from fandesk.content.models import Comment, DmConversation, DmMessage, Mention, Note
from fandesk.desk.models import PersonNote, PersonTag
from fandesk.errors import NotFound
from fandesk.inbox.deadlines import deadline_state
from fandesk.inbox.models import OPEN_STATUSES, InboxItem
from fandesk.people.custom_fields import card_fields
from fandesk.people.models import Interaction, NicknameChange, Person, Purchase
from fandesk.team.models import Member
from fandesk.workspace.models import Account

THREAD_LIMIT = 300


# The item page runs these on every view: built once (with bind parameters), so each run skips
# building the statement and computing its cache key, which cost more than SQLite's work here.
_P, _A = bindparam("person_id"), bindparam("account_id")
_THREAD = (select(Comment, Person.nickname).outerjoin(Person, Person.id == Comment.person_id)
           .where((Comment.root_id == bindparam("root_id")) | (Comment.id == bindparam("root_id")))
           .order_by(Comment.created_at, Comment.id).limit(THREAD_LIMIT))
_CONVERSATION = select(DmConversation).where(DmConversation.account_id == _A, DmConversation.person_id == _P)
_MESSAGES = (select(DmMessage).where(DmMessage.conversation_id == bindparam("conversation_id"))
             .order_by(DmMessage.created_at.desc(), DmMessage.id.desc()).limit(bindparam("limit")))
_INTERACTION_KINDS = (select(Interaction.kind, func.count()).where(Interaction.person_id == _P,
                                                                  Interaction.account_id == _A)
                      .group_by(Interaction.kind))
_RECENT_INTERACTIONS = (select(Interaction).where(Interaction.person_id == _P, Interaction.account_id == _A)
                        .order_by(Interaction.occurred_at.desc()).limit(12))
_PURCHASES = (select(Purchase).where(Purchase.person_id == _P, Purchase.account_id == _A)
              .order_by(Purchase.purchased_at.desc()).limit(10))
_SPENT = select(func.sum(Purchase.amount)).where(Purchase.person_id == _P, Purchase.account_id == _A)
_OPEN_ITEMS = (select(InboxItem.id, InboxItem.text, InboxItem.tier, InboxItem.channel)
               .where(InboxItem.person_id == _P, InboxItem.account_id == _A, InboxItem.status.in_(OPEN_STATUSES),
                      InboxItem.id != bindparam("exclude"))
               .order_by(InboxItem.reply_by).limit(10))
_NOTES = (select(PersonNote, Member.name).outerjoin(Member, Member.id == PersonNote.member_id)
          .where(PersonNote.person_id == _P, PersonNote.account_id == _A).order_by(PersonNote.at.desc()).limit(20))
_NICKNAMES = select(NicknameChange).where(NicknameChange.person_id == _P).order_by(NicknameChange.seen_at)
_TAGS = select(PersonTag.tag).where(PersonTag.account_id == _A, PersonTag.person_id == _P).order_by(PersonTag.tag)


def visible_item(session: Session, *, item_id: int, account_ids: list[int]) -> InboxItem:
    """The item, if it is on one of the member's accounts; otherwise it does not exist for them."""
    item = session.get(InboxItem, item_id)
    if item is None or item.account_id not in account_ids:
        raise NotFound(f"no inbox item {item_id}")
    return item


def _comment_thread(session: Session, comment: Comment, current_id: int | None) -> list[dict]:
    """The whole tree the comment belongs to, in reading order (each reply under its parent)."""
    root_id = comment.root_id or comment.id
    rows = session.execute(_THREAD, {"root_id": root_id}).all()
    children: dict[int | None, list] = {}
    ids = {c.id for c, _ in rows}
    for c, nickname in rows:
        parent = c.parent_id if c.parent_id in ids else (None if c.id == root_id else root_id)
        children.setdefault(parent, []).append((c, nickname))
    out: list[dict] = []

    def walk(parent, depth):
        for c, nickname in children.get(parent, []):
            out.append({"id": c.id, "platform_id": c.platform_id, "nickname": nickname or "", "text": c.text,
                        "at": c.created_at, "ours": c.is_ours, "depth": min(depth, 6),
                        "current": c.id == current_id, "likes": c.like_count})
            walk(c.id, depth + 1)

    walk(None, 0)
    return out


def _dms(session: Session, account_id: int, person_id: int | None, limit: int = 30) -> list[dict]:
    if person_id is None:
        return []
    conversation = session.scalars(_CONVERSATION, {"account_id": account_id, "person_id": person_id}).first()
    if conversation is None:
        return []
    messages = session.scalars(_MESSAGES, {"conversation_id": conversation.id, "limit": limit}).all()
    return [{"id": m.id, "text": m.text or "", "at": m.created_at, "ours": m.is_ours} for m in reversed(messages)]


def item_context(session: Session, *, item_id: int, account_ids: list[int], now: datetime | None = None) -> dict:
    """Everything the item page shows, limited to the member's accounts."""
    now = now or utcnow()
    item = visible_item(session, item_id=item_id, account_ids=account_ids)
    account = session.get(Account, item.account_id)
    note = session.get(Note, item.note_id) if item.note_id else None
    thread: list[dict] = []
    comment = None
    if item.channel == "comment":
        comment = session.get(Comment, item.source_id)
    elif item.channel == "mention":
        mention = session.get(Mention, item.source_id)
        if mention is not None and mention.comment_platform_id:
            comment = session.scalars(select(Comment).where(Comment.platform_id == mention.comment_platform_id)).first()
        if note is None and mention is not None and mention.note_platform_id:
            note = session.scalars(select(Note).where(Note.platform_id == mention.note_platform_id)).first()
    if comment is not None:
        thread = _comment_thread(session, comment, comment.id)
        if note is None:
            note = session.get(Note, comment.note_id)
    assignee = session.get(Member, item.assignee_id) if item.assignee_id else None
    return {
        "item": item, "account": account, "note": note, "comment": comment, "thread": thread,
        "dms": _dms(session, item.account_id, item.person_id),
        "reasons": orjson.loads(item.reasons or "[]"), "categories": orjson.loads(item.categories or "[]"),
        "state": deadline_state(item.received_at, item.reply_by, now), "assignee": assignee,
        "card": follower_card(session, account_id=item.account_id, person_id=item.person_id, exclude_item=item.id),
    }


def follower_card(session: Session, *, account_id: int, person_id: int | None, exclude_item: int | None = None) -> dict:
    """The follower beside the item: nickname and its history, tags, notes, custom fields, interactions,
    purchases, other open items and moderation history."""
    from fandesk.moderation.service import violations

    if person_id is None:
        return {}
    person = session.get(Person, person_id)
    if person is None:
        return {}
    on = {"person_id": person_id, "account_id": account_id}
    kinds = Counter(dict(session.execute(_INTERACTION_KINDS, on).all()))
    recent = session.scalars(_RECENT_INTERACTIONS, on).all()
    purchases = session.scalars(_PURCHASES, on).all()
    spent = session.scalar(_SPENT, on)
    open_items = session.execute(_OPEN_ITEMS, on | {"exclude": exclude_item or 0}).all()
    fields = card_fields(session, account_id=account_id, person_id=person_id)
    notes = session.execute(_NOTES, on).all()
    return {
        "person": person,
        "nicknames": session.scalars(_NICKNAMES, {"person_id": person_id}).all(),
        "tags": tags_of(session, account_id=account_id, person_id=person_id),
        "notes": [{"id": n.id, "text": n.text, "at": n.at, "by": name} for n, name in notes],
        "fields": [(f["key"], f["value"]) for f in fields], "custom_fields": fields,
        "interaction_counts": dict(kinds), "interactions": recent, "purchases": purchases,
        "spent": float(spent or 0), "open_items": open_items,
        "violations": violations(session, account_id=account_id, person_id=person_id),
    }


def tags_of(session: Session, *, account_id: int, person_id: int) -> list[str]:
    return list(session.scalars(_TAGS, {"account_id": account_id, "person_id": person_id}))
