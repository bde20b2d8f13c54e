"""Every moderation step taken against a person, with the guideline broken: their violation history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from fandesk.db import Base

ACTIONS = ("hide", "unhide", "reminder", "private_message", "block", "unblock")


class ModerationAction(Base):
    __tablename__ = "moderation_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    item_id: Mapped[int | None] = mapped_column(ForeignKey("inbox_item.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(20))
    guideline: Mapped[str | None] = mapped_column(String(32))
    message: Mapped[str | None] = mapped_column(Text)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(DateTime)
