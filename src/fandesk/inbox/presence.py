"""Who is on an item right now, so two moderators do not answer the same item unknowingly. Kept in
the database, so every worker process sees it; it only needs to be right for the next minute."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import bindparam, case, delete, select
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.orm import Session

from fandesk.clock import utcnow
from fandesk.db import write_if_free
from fandesk.inbox.models import ItemPresence
from fandesk.members.models import Member

FRESH_SECONDS = 90
# A member still on an item is written down again at most this often (a page view is a read, mostly).
RETOUCH_SECONDS = 20
# How long a page view's mark waits for the write lock before it is skipped (the poll makes it again).
WAIT_MS = 50


@cache
def _touch_statement(dialect: str):
    """One upsert, built once per database kind: a member still on the item is written down again only
    every RETOUCH_SECONDS."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    table = ItemPresence.__table__
    statement = insert(table).values(item_id=bindparam("item_id"), member_id=bindparam("member_id"),
                                     seen_at=bindparam("now"), opened_at=bindparam("now"))
    # a visit after FRESH_SECONDS away is a new visit: it opens again (replies.service logs the time)
    opened = case((table.c.seen_at < bindparam("away"), statement.excluded.opened_at), else_=table.c.opened_at)
    return statement.on_conflict_do_update(index_elements=[table.c.item_id, table.c.member_id],
                                           set_={"seen_at": statement.excluded.seen_at, "opened_at": opened},
                                           where=table.c.seen_at < bindparam("stale"))


def touch(session: Session | Connection, *, item_id: int, member_id: int, now: datetime | None = None) -> None:
    """The member has the item open now."""
    now = now or utcnow()
    dialect = (session.get_bind() if isinstance(session, Session) else session).dialect.name
    session.execute(_touch_statement(dialect),
                    {"item_id": item_id, "member_id": member_id, "now": now,
                     "stale": now - timedelta(seconds=RETOUCH_SECONDS), "away": now - timedelta(seconds=FRESH_SECONDS)})
    if item_id % 50 == 0:  # now and then, forget the long gone
        session.execute(delete(ItemPresence).where(ItemPresence.seen_at < now - timedelta(hours=1)))


def leave(session: Session, *, member_id: int) -> None:
    """The member signed out: they are on no item any more (not for the next minute and a half)."""
    session.execute(delete(ItemPresence).where(ItemPresence.member_id == member_id))


def touch_if_free(engine: Engine, *, item_id: int, member_id: int, wait_ms: int = WAIT_MS) -> bool:
    """`touch` in a transaction of its own that gives up when the write lock stays taken (an import
    writing a chunk): the page is shown anyway, and the next view or poll writes the mark."""
    with engine.connect() as connection:
        return write_if_free(connection, lambda c: touch(c, item_id=item_id, member_id=member_id), wait_ms=wait_ms)


_ON_ITEMS = (select(ItemPresence.item_id, Member.name).join(Member, Member.id == ItemPresence.member_id)
             .where(ItemPresence.item_id.in_(bindparam("item_ids", expanding=True)),
                    ItemPresence.member_id != bindparam("me"), ItemPresence.seen_at >= bindparam("since"))
             .order_by(Member.name))  # built once: every queue and item page asks


def on_items(session: Session, *, item_ids: list[int], me: int, now: datetime | None = None) -> dict[int, list[str]]:
    """For each of these items that someone else has open: their names, sorted."""
    if not item_ids:
        return {}
    now = now or utcnow()
    rows = session.execute(_ON_ITEMS, {"item_ids": item_ids, "me": me,
                                       "since": now - timedelta(seconds=FRESH_SECONDS)}).all()
    found: dict[int, list[str]] = {}
    for item_id, name in rows:
        found.setdefault(item_id, []).append(name)
    return found


def others(session: Session, *, item_id: int, me: int, now: datetime | None = None) -> list[str]:
    return on_items(session, item_ids=[item_id], me=me, now=now).get(item_id, [])


def visit_start(session: Session, *, item_id: int, member_id: int, now: datetime | None = None) -> datetime | None:
    """When the member's current visit to the item began; None when they are not on it now."""
    now = now or utcnow()
    return session.scalar(select(ItemPresence.opened_at).where(
        ItemPresence.item_id == item_id, ItemPresence.member_id == member_id,
        ItemPresence.seen_at >= now - timedelta(seconds=FRESH_SECONDS)))
