"""The audit log: every change a person makes in the desk, with who, when, what, before and after."""

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


class SignInFailure(Base):
    """A failed sign-in, per username and per address: the limit holds across worker processes."""

    __tablename__ = "sign_in_failure"
    __table_args__ = (Index("ix_sign_in_failure_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200))  # user:<name> or addr:<address>
    at: Mapped[datetime] = mapped_column(DateTime)
