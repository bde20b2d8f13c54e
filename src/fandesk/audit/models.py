"""The audit log (every change a person makes in the desk, with the accounts it concerns) and the queue's
revision, which every such change that can move items bumps."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from fandesk.db import Base


class AuditEvent(Base):
    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_event_at", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"), index=True)
    account_id: Mapped[int | None] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    action: Mapped[str] = mapped_column(String(40))  # e.g. item.assign, reply.approve, person.block
    object_type: Mapped[str] = mapped_column(String(24))  # item | reply | person | template | member
    object_id: Mapped[int | None] = mapped_column(Integer)
    before: Mapped[str | None] = mapped_column(Text)  # JSON
    after: Mapped[str | None] = mapped_column(Text)  # JSON
    at: Mapped[datetime] = mapped_column(DateTime)


class AuditEventAccount(Base):
    """A further account an audit event concerns (the first is audit_event.account_id): a member put on
    two accounts concerns both, and the log shows it only to people who run both."""

    __tablename__ = "audit_event_account"

    event_id: Mapped[int] = mapped_column(ForeignKey("audit_event.id", ondelete="CASCADE"), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), primary_key=True,
                                            index=True)


class QueueRevision(Base):
    """One row: bumped by every change a person makes that can move items in or out of the queue, so
    each worker knows when its cached counts are stale."""

    __tablename__ = "queue_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, default=0)
