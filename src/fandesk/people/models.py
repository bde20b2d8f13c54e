"""Everyone who interacts, what they did (an append-only log), and what spreadsheets told us."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from fandesk.db import Base

INTERACTION_KINDS = ("commented", "replied", "mentioned", "messaged", "followed", "purchased",
                     "referred", "posted_ugc", "answered_survey")


class Person(Base):
    """Someone who interacts. `person_key` is `uid:<user id>` when the platform id is known,
    `hash:<creator_hash>` for MediaCrawler's teaching edition, `name:<nickname>` from a sheet."""

    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_key: Mapped[str] = mapped_column(String(100), unique=True)
    platform_user_id: Mapped[str | None] = mapped_column(String(64), index=True)
    creator_hash: Mapped[str | None] = mapped_column(String(32), index=True)
    nickname: Mapped[str | None] = mapped_column(String(200))
    nickname_masked: Mapped[bool] = mapped_column(Boolean, default=False)
    avatar_url: Mapped[str | None] = mapped_column(Text)
    ip_location: Mapped[str | None] = mapped_column(String(64))
    gender: Mapped[str | None] = mapped_column(String(16))
    bio: Mapped[str | None] = mapped_column(Text)
    follower_count: Mapped[int | None] = mapped_column(Integer)
    first_seen_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_seen_at: Mapped[datetime | None] = mapped_column(DateTime)
    profile_raw: Mapped[str | None] = mapped_column(Text)


class NicknameChange(Base):
    """A nickname a person was seen with, and when first seen with it: the nickname history."""

    __tablename__ = "nickname_change"
    __table_args__ = (UniqueConstraint("person_id", "nickname"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    nickname: Mapped[str] = mapped_column(String(200))
    seen_at: Mapped[datetime | None] = mapped_column(DateTime)


class PersonField(Base):
    """A custom field value per account and person (skin type, concerns), e.g. from a follower sheet."""

    __tablename__ = "person_field"
    __table_args__ = (UniqueConstraint("account_id", "person_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    value: Mapped[str | None] = mapped_column(Text)


FIELD_TYPES = ("text", "number", "date", "choice")


class CustomFieldDefinition(Base):
    """What a custom field is on one account: `key` is the name in PersonField.name and in template
    blanks ({skin_type}); `choices` is an ordered JSON list for choice fields. Values stay text, so an
    imported value that does not fit is kept and shown as such."""

    __tablename__ = "custom_field_definition"
    __table_args__ = (UniqueConstraint("account_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    key: Mapped[str] = mapped_column(String(64))
    label: Mapped[str] = mapped_column(String(100))
    field_type: Mapped[str] = mapped_column(String(16))  # text | number | date | choice
    choices: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Interaction(Base):
    """Append-only: one event per person and account. `source_ref` names the record it came from
    (`comment:<platform id>`, `purchase:<order id>`, ...) and makes re-imports idempotent."""

    __tablename__ = "interaction"
    __table_args__ = (
        UniqueConstraint("account_id", "kind", "source_ref"),
        Index("ix_interaction_person_id_occurred_at", "person_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(32))
    occurred_at: Mapped[datetime] = mapped_column(DateTime)
    source_ref: Mapped[str] = mapped_column(String(120))
    amount: Mapped[float | None] = mapped_column(Numeric(14, 2))
    detail: Mapped[str | None] = mapped_column(Text)


class Purchase(Base):
    __tablename__ = "purchase"
    __table_args__ = (UniqueConstraint("account_id", "order_ref"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    order_ref: Mapped[str] = mapped_column(String(120))
    product: Mapped[str | None] = mapped_column(Text)
    amount: Mapped[float | None] = mapped_column(Numeric(14, 2))
    purchased_at: Mapped[datetime | None] = mapped_column(DateTime)
    raw: Mapped[str] = mapped_column(Text)


class Referral(Base):
    __tablename__ = "referral"
    __table_args__ = (UniqueConstraint("account_id", "row_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    referrer_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    referred_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    row_key: Mapped[str] = mapped_column(String(64))
    referred_at: Mapped[datetime | None] = mapped_column(DateTime)
    revenue: Mapped[float | None] = mapped_column(Numeric(14, 2))
    raw: Mapped[str] = mapped_column(Text)


class SurveyAnswer(Base):
    __tablename__ = "survey_answer"
    __table_args__ = (UniqueConstraint("account_id", "row_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    row_key: Mapped[str] = mapped_column(String(64))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime)
    satisfaction: Mapped[int | None] = mapped_column(Integer)  # 1-5
    nps: Mapped[int | None] = mapped_column(Integer)  # 0-10
    answer_text: Mapped[str | None] = mapped_column(Text)
    raw: Mapped[str] = mapped_column(Text)


# What the team writes down about a follower, per account.
class PersonTag(Base):
    __tablename__ = "person_tag"
    __table_args__ = (UniqueConstraint("account_id", "person_id", "tag"), Index("ix_person_tag_tag", "tag"))

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    tag: Mapped[str] = mapped_column(String(64))


class PersonNote(Base):
    __tablename__ = "person_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("member.id", ondelete="SET NULL"))
    text: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime)
