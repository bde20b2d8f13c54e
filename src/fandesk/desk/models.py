"""What the team writes down about a follower, per account: tags and notes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, String, Text, UniqueConstraint
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


def _queue_indexes() -> None:
    """Indexes for the queue page on the inbox's table, declared here because the queue needs them:
    scanning in reply-by order with the filters inside the index, and counting per tier from it."""
    from sqlalchemy import Index

    from fandesk.inbox.models import InboxItem

    table = InboxItem.__table__
    if "ix_inbox_item_queue" in {index.name for index in table.indexes}:
        return
    Index("ix_inbox_item_queue", InboxItem.hidden, InboxItem.reply_by, InboxItem.status, InboxItem.account_id,
          InboxItem.assignee_id, InboxItem.tier, InboxItem.snoozed_until, InboxItem.id)
    Index("ix_inbox_item_queue_counts", InboxItem.hidden, InboxItem.tier, InboxItem.status, InboxItem.account_id,
          InboxItem.reply_by, InboxItem.snoozed_until, InboxItem.assignee_id)


_queue_indexes()
