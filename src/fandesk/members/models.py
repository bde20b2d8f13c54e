"""The people on the team (who may be assigned items, and on which accounts), the counters of sign-in
attempts and the signed-in sessions."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, Integer, String, UniqueConstraint, true
from sqlalchemy.orm import Mapped, mapped_column

from fandesk.db import Base

ROLES = ("manager", "moderator", "creator", "viewer")


class Member(Base):
    """A team member (the web app's user). Auto-assignment picks among on-duty moderators and managers."""

    __tablename__ = "member"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    on_duty: Mapped[bool] = mapped_column(Boolean, default=True)
    # Sign-in (the web app): a member without a password hash cannot sign in.
    username: Mapped[str | None] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8), default="zh", server_default="zh")
    last_sign_in_at: Mapped[datetime | None] = mapped_column(DateTime)
    # A deactivated member cannot sign in, and their open session ends on its next request.
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default=true())


class AccountMember(Base):
    __tablename__ = "account_member"
    __table_args__ = (UniqueConstraint("account_id", "member_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)


class SignInCounter(Base):
    """Sign-in attempts checked within a window, per key: a (username, address) pair, an address, or a
    username. One row per key, counted by a single upsert, so the check and the count are one atomic
    step however many worker processes serve the app (members.limits)."""

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
