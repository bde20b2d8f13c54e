"""What the platform sent: notes, comments, mentions and direct messages.

Every row keeps `raw`, the original JSON of the record, so nothing the platform sent is lost,
and `fingerprint`, a hash of the fields a re-crawl may change, so re-imports can tell
updated from unchanged without rewriting rows.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from fandesk.db import Base


class Note(Base):
    __tablename__ = "note"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), index=True)
    platform_id: Mapped[str] = mapped_column(String(64), unique=True)
    # A note first seen only through its comments is a stub until its own record arrives.
    is_stub: Mapped[bool] = mapped_column(Boolean, default=False)
    title: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)
    note_type: Mapped[str | None] = mapped_column(String(16))
    tags: Mapped[str | None] = mapped_column(Text)  # JSON list of topic names
    image_urls: Mapped[str | None] = mapped_column(Text)  # JSON list
    video_url: Mapped[str | None] = mapped_column(Text)
    author_key: Mapped[str | None] = mapped_column(String(80))
    liked_count: Mapped[int | None] = mapped_column(Integer)
    collected_count: Mapped[int | None] = mapped_column(Integer)
    comment_count: Mapped[int | None] = mapped_column(Integer)
    share_count: Mapped[int | None] = mapped_column(Integer)
    ip_location: Mapped[str | None] = mapped_column(String(64))
    url: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime | None] = mapped_column(DateTime)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    crawled_ms: Mapped[int | None] = mapped_column(BigInteger)
    fingerprint: Mapped[str | None] = mapped_column(String(32))
    raw: Mapped[str | None] = mapped_column(Text)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import_run.id", ondelete="SET NULL"))


class Comment(Base):
    """A comment or a reply. Threads: `parent_platform_id` as sent, `parent_id` once that parent is
    here, `root_id`/`depth` once the whole chain up to a top-level comment is here (else NULL)."""

    __tablename__ = "comment"
    __table_args__ = (
        Index("ix_comment_note_id_created_at", "note_id", "created_at"),
        Index("ix_comment_unlinked", "parent_platform_id",
              sqlite_where=text("parent_id IS NULL AND parent_platform_id IS NOT NULL"),
              postgresql_where=text("parent_id IS NULL AND parent_platform_id IS NOT NULL")),
        Index("ix_comment_rootless", "id", sqlite_where=text("root_id IS NULL"),
              postgresql_where=text("root_id IS NULL")),
        # our own replies, by what they answer: how the inbox knows an item was answered
        Index("ix_comment_our_replies", "parent_id", sqlite_where=text("is_ours = 1"),
              postgresql_where=text("is_ours = true")),
        # the item page's comment tree (inbox.context): without it, every item page scans every comment
        Index("ix_comment_thread", "root_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[str] = mapped_column(String(64), unique=True)
    # No index on account_id: queries reach comments through notes, people or inbox items.
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"))
    note_id: Mapped[int] = mapped_column(ForeignKey("note.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime)
    like_count: Mapped[int | None] = mapped_column(Integer)
    sub_comment_count: Mapped[int | None] = mapped_column(Integer)
    platform_status: Mapped[int | None] = mapped_column(Integer)
    pictures: Mapped[str | None] = mapped_column(Text)  # JSON list of URLs
    ip_location: Mapped[str | None] = mapped_column(String(64))
    is_ours: Mapped[bool] = mapped_column(Boolean, default=False)
    parent_platform_id: Mapped[str | None] = mapped_column(String(64))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id", ondelete="SET NULL"))
    root_id: Mapped[int | None] = mapped_column(ForeignKey("comment.id", ondelete="SET NULL"))
    depth: Mapped[int | None] = mapped_column(Integer)
    crawled_ms: Mapped[int | None] = mapped_column(BigInteger)
    fingerprint: Mapped[str | None] = mapped_column(String(32))
    raw: Mapped[str | None] = mapped_column(Text)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import_run.id", ondelete="SET NULL"))


class Mention(Base):
    """Someone @-ed the account, commented on its note or replied to it (a notification)."""

    __tablename__ = "mention"

    id: Mapped[int] = mapped_column(primary_key=True)
    platform_id: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), index=True)
    kind: Mapped[str | None] = mapped_column(String(64))
    title: Mapped[str | None] = mapped_column(Text)
    text: Mapped[str | None] = mapped_column(Text)
    note_platform_id: Mapped[str | None] = mapped_column(String(64))
    comment_platform_id: Mapped[str | None] = mapped_column(String(64), index=True)
    target_comment_platform_id: Mapped[str | None] = mapped_column(String(64))
    target_text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    fingerprint: Mapped[str | None] = mapped_column(String(32))
    raw: Mapped[str | None] = mapped_column(Text)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import_run.id", ondelete="SET NULL"))


class DmConversation(Base):
    __tablename__ = "dm_conversation"
    __table_args__ = (UniqueConstraint("account_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id", ondelete="CASCADE"), index=True)
    last_message_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_message_text: Mapped[str | None] = mapped_column(Text)
    label: Mapped[str | None] = mapped_column(Text)
    raw: Mapped[str | None] = mapped_column(Text)


class DmMessage(Base):
    __tablename__ = "dm_message"
    __table_args__ = (UniqueConstraint("conversation_id", "platform_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    conversation_id: Mapped[int] = mapped_column(ForeignKey("dm_conversation.id", ondelete="CASCADE"))
    platform_id: Mapped[str] = mapped_column(String(64))
    is_ours: Mapped[bool] = mapped_column(Boolean, default=False)
    sender_platform_id: Mapped[str | None] = mapped_column(String(64))
    receiver_platform_id: Mapped[str | None] = mapped_column(String(64))
    message_type: Mapped[str | None] = mapped_column(String(32))
    text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)
    fingerprint: Mapped[str | None] = mapped_column(String(32))
    raw: Mapped[str | None] = mapped_column(Text)
    import_id: Mapped[int | None] = mapped_column(ForeignKey("import_run.id", ondelete="SET NULL"))
