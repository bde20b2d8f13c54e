"""Reply templates (manager-edited) and replies on their way: draft -> review -> approved -> posted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fandesk.db import Base

# sending: claimed by the live sender; one left behind by a killed process is shown, never resent by itself
REPLY_STATUSES = ("draft", "awaiting_approval", "approved", "sending", "posted", "failed", "rejected", "discarded")
OUTBOX_STATUSES = ("approved", "sending", "failed")
# one visit to an item counts at most this long (a tab left open over lunch is not work)
WORK_CAP_SECONDS = 30 * 60


class ReplyTemplate(Base):
    """A reply (per category) or event template in one language; blanks such as {nickname} are filled
    from the follower's record and the comment. account_id NULL: for every account."""

    __tablename__ = "reply_template"
    __table_args__ = (UniqueConstraint("account_id", "kind", "key", "language", "title"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(12))  # reply | event | guideline
    key: Mapped[str] = mapped_column(String(32))  # a category, an event kind or a guideline
    language: Mapped[str] = mapped_column(String(8))  # zh | en
    title: Mapped[str] = mapped_column(String(120))
    body: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class Reply(Base):
    """One reply to one inbox item, from its draft to the outbox and the platform."""

    __tablename__ = "reply"
    __table_args__ = (Index("ix_reply_status_account", "status", "account_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("inbox_item.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16), default="reply")  # reply | reminder | private_message
    status: Mapped[str] = mapped_column(String(20), default="draft")
    text: Mapped[str] = mapped_column(Text, default="")
    draft_text: Mapped[str] = mapped_column(Text, default="")  # what the desk proposed, for the edit distance
    source: Mapped[str] = mapped_column(String(24))  # template | llm | blank | own | guideline
    template_id: Mapped[int | None] = mapped_column(ForeignKey("reply_template.id", ondelete="SET NULL"))
    needs_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    approval_reasons: Mapped[str | None] = mapped_column(Text)  # JSON list of rule names
    author_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    review_note: Mapped[str | None] = mapped_column(Text)
    edit_distance: Mapped[int | None] = mapped_column(Integer)
    send_error: Mapped[str | None] = mapped_column(Text)
    send_error_code: Mapped[str | None] = mapped_column(String(32))  # a reason code (replies.sender.REASONS)
    send_attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # live sends, all runs
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime)
    platform_comment_id: Mapped[str | None] = mapped_column(String(64))  # the posted reply, when the SDK says
    created_at: Mapped[datetime] = mapped_column(DateTime)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)
    approved_at: Mapped[datetime | None] = mapped_column(DateTime)
    posted_at: Mapped[datetime | None] = mapped_column(DateTime)


class ApprovalRules(Base):
    """Which replies on an account a manager approves before they go out: replies to items with one
    of these sentiments or categories, or to escalated items. No row: the defaults
    (replies.approval.DEFAULT_APPROVAL_RULES), so accounts added later start with them too."""

    __tablename__ = "approval_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), unique=True)
    sentiments: Mapped[str] = mapped_column(Text, default="[]")  # JSON list, e.g. ["negative"]
    categories: Mapped[str] = mapped_column(Text, default="[]")  # JSON list, e.g. ["crisis", "partnership"]
    escalated: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class ReplyWork(Base):
    """The desk's own activity log: how long a person had an item open before submitting a reply to it
    (from the start of their visit, capped at WORK_CAP_SECONDS), written at every submit; where the
    team's hours go (fandesk.metrics.team)."""

    __tablename__ = "reply_work"
    __table_args__ = (Index("ix_reply_work_account_done", "account_id", "done_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    reply_id: Mapped[int] = mapped_column(ForeignKey("reply.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("inbox_item.id", ondelete="CASCADE"))
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    channel: Mapped[str] = mapped_column(String(16))  # comment | mention | dm: replies or DMs
    opened_at: Mapped[datetime] = mapped_column(DateTime)
    done_at: Mapped[datetime] = mapped_column(DateTime)
    seconds: Mapped[int] = mapped_column(Integer)
