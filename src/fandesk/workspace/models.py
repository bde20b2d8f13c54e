"""Accounts we manage, their opening hours, and what the team spends on them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from fandesk.db import Base


class Account(Base):
    """A Xiaohongshu account the team runs; an installation (an agency) holds many."""

    __tablename__ = "account"

    id: Mapped[int] = mapped_column(primary_key=True)
    handle: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    platform_user_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    creator_hash: Mapped[str | None] = mapped_column(String(32), unique=True)
    time_zone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    # when the desk begins (UTC): comments, mentions and DMs from before it are history, not open work;
    # set a week before the newest item of the first import unless someone chose it (inbox.history)
    desk_start: Mapped[datetime | None] = mapped_column(DateTime)


class Cost(Base):
    """What running the community cost (team hours, tools, rewards), for return on investment."""

    __tablename__ = "cost"
    __table_args__ = (UniqueConstraint("account_id", "row_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), index=True)
    row_key: Mapped[str] = mapped_column(String(64))
    incurred_on: Mapped[date | None] = mapped_column(Date)
    category: Mapped[str] = mapped_column(String(64))
    amount: Mapped[float | None] = mapped_column(Numeric(14, 2))
    hours: Mapped[float | None] = mapped_column(Numeric(10, 2))
    description: Mapped[str | None] = mapped_column(Text)
    raw: Mapped[str] = mapped_column(Text)


class OutOfOffice(Base):
    """An account's out-of-office notice (one row per account, made on first save). While it is in
    effect (on, and now within the window when one is set) reply drafts open with it and the queue
    names the account. Its own table: it changes often, and the account row stays as the importers
    and triage read it."""

    __tablename__ = "out_of_office"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), unique=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=False)
    starts_at: Mapped[datetime | None] = mapped_column(DateTime)  # UTC; none: from now
    ends_at: Mapped[datetime | None] = mapped_column(DateTime)  # UTC; none: until switched off
    text_zh: Mapped[str] = mapped_column(Text, default="")
    text_en: Mapped[str] = mapped_column(Text, default="")
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class WorkspaceMeta(Base):
    """Facts about the workspace itself, one JSON value per key (e.g. which demo built it, and whether
    that build finished), kept in the database so every process sees the same."""

    __tablename__ = "workspace_meta"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime)


class BusinessHours(Base):
    """Opening hours per account and weekday (0 = Monday), in the account's time zone."""

    __tablename__ = "business_hours"
    __table_args__ = (UniqueConstraint("account_id", "weekday"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    weekday: Mapped[int] = mapped_column(Integer)
    opens: Mapped[str] = mapped_column(String(5))  # "09:00"
    closes: Mapped[str] = mapped_column(String(5))  # "18:00"
