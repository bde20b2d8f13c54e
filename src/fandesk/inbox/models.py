"""The team inbox: one item per incoming comment, mention or DM that is not ours and not answered,
with what triage decided and why; the log of automatic actions; corrections the team made."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from fandesk.db import Base

# "history": arrived before the account's desk start (inbox.history); never open work, answered or not
STATUSES = ("new", "assigned", "drafted", "awaiting_approval", "replied", "closed", "snoozed", "history")
OPEN_STATUSES = ("new", "assigned", "drafted", "awaiting_approval", "snoozed")
TIERS = ("urgent", "important", "routine")
CHANNELS = ("comment", "mention", "dm")


class InboxItem(Base):
    __tablename__ = "inbox_item"
    __table_args__ = (
        UniqueConstraint("channel", "source_id"),
        Index("ix_inbox_item_open_reply_by", "account_id", "status", "reply_by"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(16))  # comment | mention | dm
    source_id: Mapped[int] = mapped_column(Integer)  # comment.id, mention.id or dm_message.id
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    note_id: Mapped[int | None] = mapped_column(ForeignKey("note.id", ondelete="SET NULL"), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    received_at: Mapped[datetime] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(20), default="new")
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"), index=True)
    tier: Mapped[str] = mapped_column(String(12))
    reply_by: Mapped[datetime] = mapped_column(DateTime)
    category: Mapped[str] = mapped_column(String(24))
    categories: Mapped[str] = mapped_column(Text)  # JSON list, primary first
    sentiment: Mapped[str] = mapped_column(String(10))
    sentiment_score: Mapped[float] = mapped_column(Float)
    cause: Mapped[str | None] = mapped_column(String(24))
    language: Mapped[str] = mapped_column(String(8))
    is_question: Mapped[bool] = mapped_column(Boolean, default=False)
    spam: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    escalated: Mapped[bool] = mapped_column(Boolean, default=False)
    reasons: Mapped[str] = mapped_column(Text)  # JSON list of {"kind", "code", **params} (inbox.triage)
    # A person's decision is never overwritten by a rule: these say which fields a person set.
    tier_by_person: Mapped[bool] = mapped_column(Boolean, default=False)
    assignee_by_person: Mapped[bool] = mapped_column(Boolean, default=False)
    status_by_person: Mapped[bool] = mapped_column(Boolean, default=False)
    snoozed_until: Mapped[datetime | None] = mapped_column(DateTime)
    replied_at: Mapped[datetime | None] = mapped_column(DateTime)
    reply_source_id: Mapped[int | None] = mapped_column(Integer)
    response_seconds: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class TriageAction(Base):
    """Every automatic action, with the rule that took it; `undone_at` once a person reverses it."""

    __tablename__ = "triage_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("inbox_item.id", ondelete="CASCADE"), index=True)
    rule: Mapped[str] = mapped_column(String(120))
    action: Mapped[str] = mapped_column(String(40))  # assign | hide | escalate | set_tier | notify
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime)
    undone_at: Mapped[datetime | None] = mapped_column(DateTime)


class PlatformAction(Base):
    """Something to do on Xiaohongshu itself (hide a comment): queued, never done silently."""

    __tablename__ = "platform_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("inbox_item.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(16), default="queued")  # queued | done | cancelled | failed
    created_at: Mapped[datetime] = mapped_column(DateTime)


class Label(Base):
    """A correction by the team (category, sentiment or cause of a text): training data for retrain."""

    __tablename__ = "label"
    __table_args__ = (UniqueConstraint("item_id", "field"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("inbox_item.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    field: Mapped[str] = mapped_column(String(16))  # category | sentiment | cause
    value: Mapped[str] = mapped_column(String(24))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(DateTime)


class TriageRules(Base):
    """The triage rules of one account, or the workspace-wide ones (account_id NULL, scope "workspace"),
    as the TOML text a manager edits (inbox.rules checks it). In the database rather than a file in the
    workspace folder: every machine and worker process that serves or imports into the workspace reads
    the same rules. `version` goes up with every save, so a save from a page that showed an older text is
    refused instead of silently overwriting someone else's."""

    __tablename__ = "triage_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(32), unique=True)  # "workspace" or "account:<id>"
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(DateTime)


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


# Indexes for the queue and item pages: scanning in reply-by order with the filters inside the index,
# counting per tier from it.
# reply_by then id: the page's order straight from the index, every filter column inside it
Index("ix_inbox_item_queue", InboxItem.hidden, InboxItem.reply_by, InboxItem.id, InboxItem.status,
      InboxItem.account_id, InboxItem.assignee_id, InboxItem.tier, InboxItem.snoozed_until,
      InboxItem.category, InboxItem.sentiment)
Index("ix_inbox_item_queue_counts", InboxItem.hidden, InboxItem.tier, InboxItem.status, InboxItem.account_id,
      InboxItem.reply_by, InboxItem.snoozed_until, InboxItem.assignee_id, InboxItem.category,
      InboxItem.sentiment)
# The queue's order itself (tier rank, then time left) is read from two expression indexes created by the
# migrations only (0012: ix_inbox_item_queue_rank; 0013: ix_inbox_item_queue_mine, a member's items),
# since their expression must be written exactly as inbox.priority.TIER_RANK_SQL writes it.
