"""Who is on an item right now, so two moderators do not answer the same item unknowingly. Kept in
the database, so every worker process sees it; it only needs to be right for the next minute."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from fandesk.desk.models import ItemPresence
from fandesk.team.models import Member

FRESH_SECONDS = 90
# A member still on an item is written down again at most this often (a page view is a read, mostly).
RETOUCH_SECONDS = 20


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def touch(session: Session, *, item_id: int, member_id: int, now: datetime | None = None) -> None:
    """The member has the item open now."""
    now = now or utcnow()
    table = ItemPresence.__table__
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    statement = insert(table).values(item_id=item_id, member_id=member_id, seen_at=now)
    # one statement; a member still on the item is written down again only every RETOUCH_SECONDS
    session.execute(statement.on_conflict_do_update(
        index_elements=[table.c.item_id, table.c.member_id], set_={"seen_at": now},
        where=table.c.seen_at < now - timedelta(seconds=RETOUCH_SECONDS)))
    if item_id % 50 == 0:  # now and then, forget the long gone
        session.execute(delete(ItemPresence).where(ItemPresence.seen_at < now - timedelta(hours=1)))


def on_items(session: Session, *, item_ids: list[int], me: int, now: datetime | None = None) -> dict[int, list[str]]:
    """For each of these items that someone else has open: their names, sorted."""
    if not item_ids:
        return {}
    now = now or utcnow()
    rows = session.execute(select(ItemPresence.item_id, Member.name).join(Member, Member.id == ItemPresence.member_id)
                           .where(ItemPresence.item_id.in_(item_ids), ItemPresence.member_id != me,
                                  ItemPresence.seen_at >= now - timedelta(seconds=FRESH_SECONDS))
                           .order_by(Member.name)).all()
    found: dict[int, list[str]] = {}
    for item_id, name in rows:
        found.setdefault(item_id, []).append(name)
    return found


def others(session: Session, *, item_id: int, me: int, now: datetime | None = None) -> list[str]:
    return on_items(session, item_ids=[item_id], me=me, now=now).get(item_id, [])
