"""The one table metrics keeps: the assumptions a return on investment rests on, per account, so a
manager can change them and everyone sees which were used (the rest of metrics only reads)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from fandesk.content.models import Comment
from fandesk.db import Base
from fandesk.inbox.models import InboxItem
from fandesk.people.models import Interaction


class RoiAssumption(Base):
    """One assumption of one account (hourly rate, value of a UGC post, ...); no row: the default
    (metrics.roi.DEFAULTS)."""

    __tablename__ = "roi_assumption"
    __table_args__ = (UniqueConstraint("account_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(40))
    value: Mapped[float] = mapped_column(Float)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(DateTime)


def _metrics_indexes() -> None:
    """Indexes for the dashboard's reads on the inbox's, people's and content's tables, declared here
    because metrics needs them: each period's rows found by (account, time) and every column a number
    uses inside the index, so a month of a million-comment workspace is read without touching a table
    row (bench/metrics)."""
    if "ix_inbox_item_metrics" in {index.name for index in InboxItem.__table__.indexes}:
        return
    Index("ix_inbox_item_metrics", InboxItem.channel, InboxItem.account_id, InboxItem.received_at, InboxItem.spam,
          InboxItem.hidden, InboxItem.replied_at, InboxItem.response_seconds, InboxItem.reply_by, InboxItem.sentiment,
          InboxItem.cause, InboxItem.person_id, InboxItem.note_id, InboxItem.source_id)
    Index("ix_interaction_metrics", Interaction.account_id, Interaction.occurred_at, Interaction.person_id,
          Interaction.kind)
    Index("ix_comment_metrics", Comment.account_id, Comment.created_at, Comment.is_ours, Comment.depth,
          Comment.person_id, Comment.parent_id, Comment.root_id)
    # comments with an @ (the @mentions share): a partial index, read by a query that writes the same test
    Index("ix_comment_mentions", Comment.account_id, Comment.created_at, Comment.is_ours,
          sqlite_where=text("text LIKE '%@%'"), postgresql_where=text("text LIKE '%@%'"))


_metrics_indexes()
