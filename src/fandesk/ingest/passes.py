"""Set-based passes after each file: cheaper in the database than row by row in Python."""

from __future__ import annotations

from sqlalchemy import case, func, literal, select, update
from sqlalchemy.orm import Session, aliased

from fandesk.content.models import Comment, DmConversation, DmMessage, Mention
from fandesk.db import insert_ignore
from fandesk.people.models import Interaction, Person


def seen_in_comments(session: Session, *, import_id: int, comment_ids: tuple[int, int]) -> None:
    """Widen each commenter's first/last seen to the comments this import brought (in the database:
    cheaper than tracking a million sightings in Python)."""
    seen = (select(Comment.person_id, func.min(Comment.created_at).label("first"),
                   func.max(Comment.created_at).label("last"))
            .where(Comment.id.between(*comment_ids), Comment.import_id == import_id, Comment.person_id.is_not(None))
            .group_by(Comment.person_id).subquery())
    session.connection().execute(update(Person).where(Person.id == seen.c.person_id).values(
        first_seen_at=case((Person.first_seen_at.is_(None) | (seen.c.first < Person.first_seen_at), seen.c.first),
                           else_=Person.first_seen_at),
        last_seen_at=case((Person.last_seen_at.is_(None) | (seen.c.last > Person.last_seen_at), seen.c.last),
                          else_=Person.last_seen_at)))


def link_threads(session: Session) -> None:
    """Link replies to parents that are here now, then give every complete chain its root and depth.
    A reply whose parent never arrived keeps root_id NULL and is linked when the parent comes."""
    conn = session.connection()
    parent = aliased(Comment)
    conn.execute(update(Comment).where(Comment.parent_id.is_(None), Comment.parent_platform_id.is_not(None),
                                       parent.platform_id == Comment.parent_platform_id)
                 .values(parent_id=parent.id))
    conn.execute(update(Comment).where(Comment.root_id.is_(None), Comment.parent_platform_id.is_(None))
                 .values(root_id=Comment.id, depth=0))
    while True:
        result = conn.execute(update(Comment).where(Comment.root_id.is_(None), Comment.parent_id == parent.id,
                                                    parent.root_id.is_not(None))
                              .values(root_id=parent.root_id, depth=parent.depth + 1))
        if not result.rowcount:
            break


def log_interactions(session: Session, *, import_id: int, comment_ids: tuple[int, int] | None) -> None:
    """Append what this import brought to each person's interaction log (once per record).
    `comment_ids` bounds the new comments' ids, so the database reads only them."""
    conn = session.connection()
    comment_kind = case((Comment.parent_platform_id.is_(None), "commented"), else_="replied")
    sources = [
        select(Comment.account_id, Comment.person_id, comment_kind, Comment.created_at,
               literal("comment:") + Comment.platform_id)
        .where(Comment.id.between(*(comment_ids or (0, -1))), Comment.import_id == import_id,
               Comment.is_ours.is_(False), Comment.person_id.is_not(None)),
        select(Mention.account_id, Mention.person_id, literal("mentioned"), Mention.created_at,
               literal("mention:") + Mention.platform_id)
        .where(Mention.import_id == import_id, Mention.person_id.is_not(None)),
        select(DmConversation.account_id, DmConversation.person_id, literal("messaged"), DmMessage.created_at,
               literal("dm:") + DmMessage.platform_id)
        .join(DmConversation, DmConversation.id == DmMessage.conversation_id)
        .where(DmMessage.import_id == import_id, DmMessage.is_ours.is_(False)),
    ]
    columns = ["account_id", "person_id", "kind", "occurred_at", "source_ref"]
    for source in sources:
        conn.execute(insert_ignore(session, Interaction.__table__).from_select(columns, source))
