"""The people on the team: who may be assigned items, and on which accounts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, ForeignKey, String, UniqueConstraint, true
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
