"""An item with everything a reply is written from: the thread (note, comment tree, our replies, DMs
with the person), the triage reasons, and the follower card with their other open items."""

from __future__ import annotations

from datetime import datetime

import orjson
from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from fandesk.clock import utcnow
from fandesk.content.models import Comment, DmConversation, DmMessage, Mention, Note
from fandesk.errors import NotFound
from fandesk.inbox.deadlines import deadline_state
from fandesk.inbox.models import OPEN_STATUSES, InboxItem
from fandesk.members.models import Member
from fandesk.people.card import follower_card
from fandesk.people.models import Person
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
_OPEN_ITEMS = (select(InboxItem.id, InboxItem.text, InboxItem.tier, InboxItem.channel)
               .where(InboxItem.person_id == _P, InboxItem.account_id == _A, InboxItem.status.in_(OPEN_STATUSES),
                      InboxItem.id != bindparam("exclude"))
               .order_by(InboxItem.reply_by).limit(10))


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
        "card": _card(session, item),
    }


def _card(session: Session, item: InboxItem) -> dict:
    """The follower card with the person's other open items on this account."""
    card = follower_card(session, account_id=item.account_id, person_id=item.person_id)
    if card:
        card["open_items"] = session.execute(_OPEN_ITEMS, {"person_id": item.person_id,
                                                           "account_id": item.account_id,
                                                           "exclude": item.id}).all()
    return card
