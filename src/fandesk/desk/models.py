"""What the team writes down about a follower, per account (tags and notes), and the small shared
state of the desk that every worker process sees: who is on an item, and the queue's revision."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fandesk.db import Base


class PersonTag(Base):
    __tablename__ = "person_tag"
    __table_args__ = (UniqueConstraint("account_id", "person_id", "tag"), Index("ix_person_tag_tag", "tag"))

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    tag: Mapped[str] = mapped_column(String(64))


class PersonNote(Base):
    __tablename__ = "person_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime)


class ItemPresence(Base):
    """Who had an item open, since when and when last: shared by every worker process."""

    __tablename__ = "item_presence"
    __table_args__ = (UniqueConstraint("item_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("inbox_item.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"))
    seen_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    # when this visit began (reset after FRESH_SECONDS away): how long they had it open before replying
    opened_at: Mapped[datetime | None] = mapped_column(DateTime)


class QueueRevision(Base):
    """One row: bumped by every change a person makes that can move items in or out of the queue, so
    each worker knows when its cached counts are stale."""

    __tablename__ = "queue_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)


def _queue_indexes() -> None:
    """Indexes for the queue and item pages on the inbox's and content's tables, declared here because
    the desk needs them: scanning in reply-by order with the filters inside the index, counting per
    tier from it, and reading a comment thread."""
    from sqlalchemy import Index

    from fandesk.inbox.models import InboxItem

    table = InboxItem.__table__
    if "ix_inbox_item_queue" in {index.name for index in table.indexes}:
        return
    # reply_by then id: the page's order straight from the index, every filter column inside it
    Index("ix_inbox_item_queue", InboxItem.hidden, InboxItem.reply_by, InboxItem.id, InboxItem.status,
          InboxItem.account_id, InboxItem.assignee_id, InboxItem.tier, InboxItem.snoozed_until,
          InboxItem.category, InboxItem.sentiment)
    Index("ix_inbox_item_queue_counts", InboxItem.hidden, InboxItem.tier, InboxItem.status, InboxItem.account_id,
          InboxItem.reply_by, InboxItem.snoozed_until, InboxItem.assignee_id, InboxItem.category,
          InboxItem.sentiment)
    # "my items": a member's few items, without scanning everyone's
    Index("ix_inbox_item_queue_assignee", InboxItem.assignee_id, InboxItem.hidden, InboxItem.reply_by,
          InboxItem.id)
    # the item page's comment tree (desk.context._comment_thread): without it, every item page scans
    # every comment
    from fandesk.content.models import Comment

    Index("ix_comment_thread", Comment.root_id, Comment.created_at)


_queue_indexes()
