"""The audit log (every change a person makes in the desk), the sign-in counters and the signed-in sessions."""

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


class SignInCounter(Base):
    """Sign-in attempts checked within a window, per key: a (username, address) pair, an address, or a
    username. One row per key, counted by a single upsert, so the check and the count are one atomic
    step however many worker processes serve the app (auth.limits)."""

    __tablename__ = "sign_in_counter"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)  # pair:<name>|<address>, addr:..., user:...
    attempts: Mapped[int] = mapped_column(Integer)  # counted in this window, the pending ones included
    pending: Mapped[int] = mapped_column(Integer, default=0)  # of those, still having their password checked
    window_start: Mapped[datetime] = mapped_column(DateTime)


class WebSession(Base):
    """A signed-in browser. The cookie holds a random token; only its SHA-256 is kept here, so reading
    the database does not let anyone sign in. Ended (revoked_at) at sign-out, a password change and
    deactivation; a revoked session never comes back."""

    __tablename__ = "web_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)  # hex SHA-256 of the cookie's token
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(64), default="")
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    # sign_out | password | deactivated | ended (by its owner from another session)
    revoked_reason: Mapped[str | None] = mapped_column(String(16))
