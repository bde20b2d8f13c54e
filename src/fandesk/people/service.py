"""One human, one person: merging two person rows that are one human, and joining the people an older
fandesk split between MediaCrawler's two generations (a `uid:` person and a `hash:` person)."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import Column, Table, UniqueConstraint, and_, delete, select, update
from sqlalchemy.orm import Session

from fandesk.audit.service import record
from fandesk.db import Base, BulkWriter
from fandesk.people.identity import creator_hash_of
from fandesk.people.models import Person

CHUNK = 900
# Profile fields a merged person keeps from the row that goes when the kept row has none.
_FILLED_FROM_GONE = ("platform_user_id", "creator_hash", "avatar_url", "ip_location", "gender", "bio",
                     "follower_count", "profile_raw")


@lru_cache
def _references(table_name: str) -> tuple[tuple[Table, Column], ...]:
    """Every column that points at `table_name`.id, found from the metadata, so a table added later
    is moved too without anyone listing it here."""
    import fandesk.models  # noqa: F401  (registers every table on the metadata)

    return tuple((table, fk.parent) for table in Base.metadata.sorted_tables for fk in table.foreign_keys
                 if fk.column.table.name == table_name and fk.column.name == "id")


def _unique_partners(table: Table, column: Column) -> list[list[Column]]:
    """For each unique constraint (or unique index) that holds `column`, its other columns: two rows
    that agree on them cannot both point at the same person."""
    groups = [list(c.columns) for c in table.constraints if isinstance(c, UniqueConstraint)]
    groups += [list(index.columns) for index in table.indexes if index.unique]
    if column.unique:
        groups.append([column])
    return [[c for c in group if c is not column] for group in groups if any(c is column for c in group)]


def _move_references(session: Session, table: Table, *, into_id: int, from_id: int) -> None:
    """Point everything that points at row `from_id` of `table` at `into_id` instead. A row that would
    then clash with one of `into_id`'s (a DM conversation with the same account, the same tag) is merged
    into that row: its own dependants move first, then it goes."""
    conn = session.connection()
    for child, column in _references(table.name):
        for others in _unique_partners(child, column):
            theirs, ours = child.alias("theirs"), child.alias("ours")
            clashes = conn.execute(select(theirs.c.id, ours.c.id).join(ours, and_(
                ours.c[column.name] == into_id, *[ours.c[o.name] == theirs.c[o.name] for o in others]))
                .where(theirs.c[column.name] == from_id)).all()
            for gone_row, kept_row in clashes:
                _move_references(session, child, into_id=kept_row, from_id=gone_row)
                conn.execute(delete(child).where(child.c.id == gone_row))
        conn.execute(update(child).where(column == from_id).values({column.name: into_id}))


def merge_people(session: Session, *, into_id: int, from_id: int, reason: str, member_id: int | None = None) -> None:
    """Make two persons one: everything that points at `from_id` (comments, interactions, mentions, DM
    conversations, purchases, tags, inbox items...) moves to `into_id`, which keeps the better of both
    profiles (a real nickname over a masked one, the widest first/last seen); `from_id` goes. Recorded
    in the audit log with both keys, so the merge can be traced."""
    conn = session.connection()
    person = Person.__table__
    kept, gone = (conn.execute(select(person).where(person.c.id == pid)).mappings().one() for pid in (into_id, from_id))
    values = {name: gone[name] for name in _FILLED_FROM_GONE if kept[name] is None and gone[name] is not None}
    if gone["nickname"] and (kept["nickname"] is None or (kept["nickname_masked"] and not gone["nickname_masked"])):
        values.update(nickname=gone["nickname"], nickname_masked=gone["nickname_masked"])
    for name, pick in (("first_seen_at", min), ("last_seen_at", max)):
        seen = [t for t in (kept[name], gone[name]) if t is not None]
        if seen and pick(seen) != kept[name]:
            values[name] = pick(seen)
    _move_references(session, person, into_id=into_id, from_id=from_id)
    conn.execute(delete(person).where(person.c.id == from_id))
    if values:
        conn.execute(update(person).where(person.c.id == into_id).values(values))
    record(session, member_id=member_id, action="person.merge", object_type="person", object_id=into_id,
           before={"person_id": from_id, "person_key": gone["person_key"], "nickname": gone["nickname"]},
           after={"person_id": into_id, "person_key": kept["person_key"], "reason": reason})


def join_generations(session: Session) -> int:
    """Give everyone known by user id the creator_hash the teaching edition would give them (people an
    older fandesk wrote lack it), then merge into them each person known only by that hash: a classic
    crawl followed by a teaching-edition crawl had made two people of every human. Returns how many
    merged. Once done, one indexed look-up finds nothing to do."""
    conn = session.connection()
    unhashed = conn.execute(select(Person.id, Person.platform_user_id).where(
        Person.creator_hash.is_(None), Person.platform_user_id.is_not(None))).all()
    if not unhashed:
        return 0
    hashes = {pid: creator_hash_of(user_id) for pid, user_id in unhashed}
    BulkWriter(conn).update_by_id(Person.__table__, ("creator_hash",), [(h or None, pid) for pid, h in hashes.items()])
    uid_person_of = {f"hash:{h}": pid for pid, h in hashes.items() if h}
    keys = list(uid_person_of)
    pairs = []
    for start in range(0, len(keys), CHUNK):
        pairs += [(uid_person_of[key], pid) for pid, key in conn.execute(
            select(Person.id, Person.person_key).where(Person.person_key.in_(keys[start:start + CHUNK])))]
    for into_id, from_id in pairs:
        merge_people(session, into_id=into_id, from_id=from_id,
                     reason="the same user id in a classic and a teaching-edition MediaCrawler crawl")
    return len(pairs)
