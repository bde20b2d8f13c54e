"""Writing canonical records in batches: upsert by platform id, count new/updated/unchanged.

The caller owns the transaction (one per file). Set-based SQL does what is cheaper in the
database than in Python: linking threads, and the interaction log for what a file brought.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable

from sqlalchemy import Table, and_, bindparam, insert, literal, or_, select, update
from sqlalchemy.orm import Session

from fandesk.content.models import Comment, Note
from fandesk.db import BulkWriter, insert_ignore
from fandesk.errors import BadRecord
from fandesk.ingest.check import no_account_for_note, unknown_note
from fandesk.ingest.mediacrawler import stored_profile_fingerprint
from fandesk.ingest.message_store import MessageRows
from fandesk.ingest.passes import link_threads, log_interactions, seen_in_comments
from fandesk.ingest.sheet_store import SheetRows
from fandesk.ingest.values import EPOCH, ms_to_datetime
from fandesk.people.identity import creator_hash_of
from fandesk.people.models import NicknameChange, Person
from fandesk.people.service import merge_people
from fandesk.workspace.models import Account

LOOKUP_CHUNK = 900
PERSON_COLUMNS = ("id", "person_key", "platform_user_id", "creator_hash", "nickname", "nickname_masked",
                  "avatar_url", "ip_location", "gender", "bio", "follower_count", "first_seen_at", "last_seen_at",
                  "profile_raw")
COMMENT_COLUMNS = ("id", "platform_id", "account_id", "note_id", "person_id", "text", "created_at", "like_count",
                   "sub_comment_count", "platform_status", "pictures", "ip_location", "is_ours",
                   "parent_platform_id", "parent_id", "root_id", "depth", "crawled_ms", "fingerprint", "raw",
                   "import_id")
CACHE_LIMIT = 300_000


def _chunks(items: list, size: int = LOOKUP_CHUNK):
    for start in range(0, len(items), size):
        yield items[start:start + size]


class Accounts:
    """The accounts an import may write to, and which people are the accounts themselves: known by
    user id, by creator_hash, or (an account added with only its user id) by the hash of that id."""

    def __init__(self, session: Session, default: Account | None):
        self.all = list(session.scalars(select(Account)))
        self.default = default or (self.all[0] if len(self.all) == 1 else None)
        self.by_user_id: dict[str, Account] = {}
        self.by_hash: dict[str, Account] = {}
        for account in self.all:
            if account.platform_user_id:
                self.by_user_id[account.platform_user_id] = account
                self.by_hash.setdefault(creator_hash_of(account.platform_user_id), account)
            if account.creator_hash:
                self.by_hash[account.creator_hash] = account

    def own(self, author: dict | None) -> Account | None:
        """The account this author is, if the author is one of ours."""
        if author is None:
            return None
        return self.by_hash.get(author["creator_hash"]) or self.by_user_id.get(author["user_id"])

    def for_author(self, author: dict | None) -> Account | None:
        return self.own(author) or self.default


class ImportWriter(MessageRows, SheetRows):
    """Buffers canonical records and writes them in batches; `finish()` runs the set-based pass.

    An import writes in short transactions (see fandesk.pipeline): `bind` gives the writer each one's
    session, `end_chunk` finishes what the chunk brought before that transaction commits. What it
    remembers across chunks (people, notes, threads by platform id) stays true: rows are never
    deleted while an import runs, and imports run one at a time."""

    def __init__(self, session: Session, *, import_id: int, accounts: Accounts,
                 reject: Callable[[str, BadRecord], None], file: str, batch_size: int = 5000,
                 dm_followers: set[str] | None = None):
        self.bind(session)
        self.dm_followers = dm_followers
        self.threads: dict[str, tuple] = {}
        self.new_comment_ids: tuple[int, int] | None = None
        self.import_id = import_id
        self.accounts = accounts
        self.reject = reject
        self.file = file
        self.batch_size = batch_size
        self.counts: dict[str, Counter] = defaultdict(Counter)
        self.buffers: dict[str, list[tuple[str, dict]]] = defaultdict(list)
        self.person_ids: dict[str, int] = {}
        self.note_ids: dict[str, tuple[int, int]] = {}
        self.person_seen: dict[int, list] = {}
        self.nicknames: dict[tuple[int, str], int] = {}

    def bind(self, session: Session) -> None:
        """Write in this session (a new transaction): ids are chosen afresh in it."""
        self.session = session
        self.conn = session.connection()
        self.bulk = BulkWriter(self.conn)
        self.to_time = self.bulk.db_time()

    # -- buffering ---------------------------------------------------------------------------
    def add(self, where: str, record: dict) -> None:
        kind = record["kind"]
        self.buffers[kind].append((where, record))
        if len(self.buffers[kind]) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        for kind in ("person", "note", "comment", "mention", "dm_conversation", "dm_message", "follower",
                     "purchase", "referral", "survey_answer", "cost"):
            batch = self.buffers.pop(kind, None)
            if batch:
                getattr(self, f"_write_{kind}s")(batch)

    # -- people ------------------------------------------------------------------------------
    def _people(self, authors: list[dict], *, times: bool = True) -> None:
        """Make sure every author has a row; remember what this file saw of them. With times=False
        (comments) first/last seen come from `seen_in_comments`, set-based, after the file."""
        person_ids = self.person_ids
        missing = {a["key"]: a for a in authors if a["key"] not in person_ids}
        if missing:
            self._find_people(missing)
            fresh, same_as = [], {}
            # one row per human: a user id and the creator_hash of it in the same batch are one person
            made: dict[str, dict] = {}
            for a in sorted((a for k, a in missing.items() if k not in person_ids), key=lambda a: not a["user_id"]):
                twin = made.get(a["creator_hash"]) if a["creator_hash"] else None
                if twin is None:
                    fresh.append(a)
                    if a["creator_hash"]:
                        made[a["creator_hash"]] = a
                else:
                    same_as[a["key"]] = twin["key"]
            if fresh:
                ids = self.bulk.allocate_ids(Person.__table__, len(fresh))
                to_time = self.to_time
                rows = []
                for pid, a in zip(ids, fresh, strict=True):
                    person_ids[a["key"]] = pid
                    seen = to_time(a.get("seen_ms"))
                    rows.append((pid, a["key"], a.get("user_id"), a.get("creator_hash"), a.get("nickname"),
                                 bool(a.get("masked")), a.get("avatar"), a.get("ip_location"), a.get("gender"),
                                 a.get("bio"), a.get("follower_count"), seen, seen, a.get("profile_raw")))
                self.bulk.insert(Person.__table__, PERSON_COLUMNS, rows)
                self.counts["person"]["new"] += len(fresh)
            for key, twin_key in same_as.items():
                person_ids[key] = person_ids[twin_key]
        saw, seen_state = self._saw, self.person_seen
        for author in authors:
            pid = person_ids[author["key"]]
            if not times:
                state = seen_state.get(pid)
                # the same name, picture and place as before, no earlier: nothing new to remember
                if (state is not None and author["nickname"] == state[2] and author["avatar"] == state[5]
                        and author["ip_location"] == state[6] and (author["seen_ms"] or 0) >= state[3]):
                    continue
            saw(pid, author, times)

    def _find_people(self, missing: dict[str, dict]) -> None:
        """The people these authors already are, by key or by creator_hash: a teaching-edition author
        finds the person known by user id; a person known only by hash gains the user id a classic
        record brings; two rows found for one human (left by an older fandesk) become one."""
        person_ids, found_by_key, found_by_hash = self.person_ids, {}, defaultdict(dict)
        authors = list(missing.values())
        for chunk in _chunks(authors):
            keys = [a["key"] for a in chunk]
            hashes = [a["creator_hash"] for a in chunk if a["creator_hash"]]
            condition = Person.person_key.in_(keys)
            if hashes:
                condition = or_(condition, Person.creator_hash.in_(hashes))
            for pid, key, creator_hash in self.conn.execute(
                    select(Person.id, Person.person_key, Person.creator_hash).where(condition)):
                found_by_key[key] = pid
                if creator_hash:
                    found_by_hash[creator_hash][key] = pid
        for a in authors:
            key, creator_hash = a["key"], a["creator_hash"]
            pid = found_by_key.get(key)
            group = found_by_hash.get(creator_hash) or {}
            if a["user_id"]:
                known_by_hash = group.get(f"hash:{creator_hash}")
                if known_by_hash is not None and known_by_hash != pid:
                    if pid is None:
                        self.conn.execute(update(Person).where(Person.id == known_by_hash).values(
                            person_key=key, platform_user_id=a["user_id"]))
                        pid = group[key] = known_by_hash
                        del group[f"hash:{creator_hash}"]
                    else:
                        self._merge_person(into_id=pid, from_id=known_by_hash)
            elif creator_hash:
                known_by_id = next((p for k, p in group.items() if k.startswith("uid:")), None)
                if known_by_id is not None and known_by_id != pid:
                    if pid is not None:
                        self._merge_person(into_id=known_by_id, from_id=pid)
                    pid = known_by_id
            if pid is not None:
                person_ids[key] = pid

    def _merge_person(self, *, into_id: int, from_id: int) -> None:
        if from_id in self.person_seen:
            self._write_person_facts()
        merge_people(self.session, into_id=into_id, from_id=from_id,
                     reason="one user id seen as a user id and as its creator_hash")
        for key, pid in self.person_ids.items():
            if pid == from_id:
                self.person_ids[key] = into_id
        self.counts["person"]["merged"] += 1

    def _saw(self, person_id: int, a: dict, times: bool = True) -> None:
        seen = a.get("seen_ms") or 0
        state = self.person_seen.get(person_id)
        if state is None:
            # first, last, newest nickname, its time, masked, avatar, ip
            first = (seen or None) if times else None
            state = self.person_seen[person_id] = [first, first, None, -1, True, None, None]
        elif seen and times:
            if state[0] is None or seen < state[0]:
                state[0] = seen
            if state[1] is None or seen > state[1]:
                state[1] = seen
        nickname = a.get("nickname")
        if nickname:
            masked = bool(a.get("masked"))
            # an unmasked nickname beats a masked one; among equals the newest wins
            if (state[4] and not masked) or (masked == state[4] and seen >= state[3]):
                state[2], state[3], state[4] = nickname, seen, masked
            if not masked:
                key = (person_id, nickname)
                if key not in self.nicknames or seen < self.nicknames[key]:
                    self.nicknames[key] = seen
        if a.get("avatar") and seen >= state[3]:
            state[5] = a["avatar"]
        if a.get("ip_location"):
            state[6] = a["ip_location"]
        if len(self.person_seen) > CACHE_LIMIT:
            self._write_person_facts()

    def _write_person_facts(self) -> None:
        """Merge what this file saw into each person: first/last seen, newest real nickname, history."""
        to_time = self.to_time
        updates = []
        for chunk in _chunks(list(self.person_seen)):
            rows = self.conn.execute(select(Person.id, Person.nickname, Person.nickname_masked,
                                            Person.first_seen_at, Person.last_seen_at, Person.avatar_url,
                                            Person.ip_location).where(Person.id.in_(chunk)))
            for pid, nickname, masked, first, last, avatar, ip in rows:
                s = self.person_seen[pid]
                new_first = ms_to_datetime(s[0]) if s[0] else None
                new_last = ms_to_datetime(s[1]) if s[1] else None
                first_seen = min(d for d in (first, new_first) if d) if (first or new_first) else None
                last_seen = max(d for d in (last, new_last) if d) if (last or new_last) else None
                new_nickname, new_masked = nickname, masked
                if s[2] and (nickname is None or (masked and not s[4])
                             or (s[4] == masked and (last is None or new_last is None or new_last >= last))):
                    new_nickname, new_masked = s[2], s[4]
                values = (first_seen, last_seen, new_nickname, new_masked, s[5] or avatar, s[6] or ip)
                if values != (first, last, nickname, masked, avatar, ip):
                    updates.append((_as_ms_time(first_seen, to_time), _as_ms_time(last_seen, to_time),
                                    *values[2:], pid))
        self.bulk.update_by_id(Person.__table__, ("first_seen_at", "last_seen_at", "nickname", "nickname_masked",
                                                  "avatar_url", "ip_location"), updates)
        if self.nicknames:
            rows = [{"person_id": p, "nickname": n, "seen_at": ms_to_datetime(t) if t else None}
                    for (p, n), t in self.nicknames.items()]
            self.conn.execute(insert_ignore(self.session, NicknameChange.__table__), rows)
        self.person_seen.clear()
        self.nicknames.clear()

    def _write_persons(self, batch: list[tuple[str, dict]]) -> None:
        """Creator records: a full profile for someone we may already know from comments. New when
        they had no profile, updated only when the platform changed it, whatever format it came in."""
        self._people([r for _, r in batch])
        person_ids = self.person_ids
        known: dict[int, str | None] = {}
        for chunk in _chunks(list({person_ids[r["key"]] for _, r in batch})):
            for pid, raw in self.conn.execute(select(Person.id, Person.profile_raw).where(Person.id.in_(chunk))):
                known[pid] = stored_profile_fingerprint(raw)
        rows = []
        for _, r in batch:
            pid = person_ids[r["key"]]
            if known.get(pid) == r["fingerprint"]:
                self.counts["creator"]["unchanged"] += 1
                continue
            self.counts["creator"]["new" if known.get(pid) is None else "updated"] += 1
            known[pid] = r["fingerprint"]
            rows.append({"_id": pid, "gender": r.get("gender"), "bio": r.get("bio"),
                         "follower_count": r.get("follower_count"), "profile_raw": r.get("profile_raw")})
        if rows:
            self.conn.execute(update(Person).where(Person.id == bindparam("_id")), rows)

    # -- notes -------------------------------------------------------------------------------
    def _write_notes(self, batch: list[tuple[str, dict]]) -> None:
        batch = self._latest(batch)
        self._people([r["author"] for _, r in batch if r["author"]])
        rows = []
        for where, r in batch:
            account = self.accounts.for_author(r["author"])
            if account is None:
                self.reject(where, no_account_for_note(self.file, where), "note")
                continue
            rows.append({
                "account_id": account.id, "platform_id": r["platform_id"], "is_stub": False, "title": r["title"],
                "text": r["text"], "note_type": r["note_type"], "tags": r["tags"], "image_urls": r["image_urls"],
                "video_url": r["video_url"], "author_key": r["author"]["key"] if r["author"] else None,
                "liked_count": r["liked_count"], "collected_count": r["collected_count"],
                "comment_count": r["comment_count"], "share_count": r["share_count"],
                "ip_location": r["ip_location"], "url": r["url"],
                "created_at": ms_to_datetime(r["created_ms"]) if r["created_ms"] else None,
                "updated_at": ms_to_datetime(r["updated_ms"]) if r["updated_ms"] else None,
                "crawled_ms": r["crawled_ms"], "fingerprint": r["fingerprint"], "raw": r["raw"],
                "import_id": self.import_id,
            })
        existing = self._existing(Note.__table__, [r["platform_id"] for r in rows], with_stub=True)
        self._upsert(Note.__table__, "note", rows, existing, stub_column=True)
        for chunk in _chunks([r["platform_id"] for r in rows]):
            for nid, pid, account_id in self.conn.execute(
                    select(Note.id, Note.platform_id, Note.account_id).where(Note.platform_id.in_(chunk))):
                self.note_ids[pid] = (nid, account_id)

    def _notes_for(self, batch: list[tuple[str, dict]]) -> None:
        """Resolve every note a comment batch points at; make stubs for notes not imported yet."""
        wanted = list({r["note_platform_id"] for _, r in batch if r["note_platform_id"] not in self.note_ids})
        for chunk in _chunks(wanted):
            for nid, pid, account_id in self.conn.execute(
                    select(Note.id, Note.platform_id, Note.account_id).where(Note.platform_id.in_(chunk))):
                self.note_ids[pid] = (nid, account_id)
        stubs = [pid for pid in wanted if pid not in self.note_ids]
        if stubs and self.accounts.default is not None:
            self.conn.execute(insert(Note), [{"account_id": self.accounts.default.id, "platform_id": pid,
                                              "is_stub": True, "import_id": self.import_id} for pid in stubs])
            for chunk in _chunks(stubs):
                for nid, pid, account_id in self.conn.execute(
                        select(Note.id, Note.platform_id, Note.account_id).where(Note.platform_id.in_(chunk))):
                    self.note_ids[pid] = (nid, account_id)
        if len(self.note_ids) > CACHE_LIMIT:
            self.note_ids.clear()

    # -- comments ----------------------------------------------------------------------------
    def _write_comments(self, batch: list[tuple[str, dict]]) -> None:
        batch = self._latest(batch)
        self._notes_for(batch)
        self._people([r["author"] for _, r in batch if r["author"]], times=False)
        kept = []
        for where, r in batch:
            if r["note_platform_id"] not in self.note_ids:
                self.reject(where, unknown_note(self.file, where, r["note_platform_id"]), "comment")
            else:
                kept.append(r)
        existing = self._existing(Comment.__table__, [r["platform_id"] for r in kept])
        new = [r for r in kept if r["platform_id"] not in existing]
        self._insert_comments(new)
        changed = [self._comment_values(r) for r in kept if r["platform_id"] in existing]
        if changed:
            self._upsert(Comment.__table__, "comment", changed, existing)

    def _comment_values(self, r: dict) -> dict:
        note_id, account_id = self.note_ids[r["note_platform_id"]]
        return {"platform_id": r["platform_id"], "account_id": account_id, "note_id": note_id,
                "person_id": self.person_ids[r["author"]["key"]] if r["author"] else None, "text": r["text"],
                "created_at": ms_to_datetime(r["created_ms"]), "like_count": r["like_count"],
                "sub_comment_count": r["sub_comment_count"], "platform_status": r["platform_status"],
                "pictures": r["pictures"], "ip_location": r["ip_location"], "crawled_ms": r["crawled_ms"],
                "fingerprint": r["fingerprint"], "raw": r["raw"]}

    def _insert_comments(self, new: list[dict]) -> None:
        """New comments with ids chosen here, so a reply finds its parent's thread in the same batch."""
        self._thread_parents(new)
        ids = self.bulk.allocate_ids(Comment.__table__, len(new))
        to_time, person_ids, threads, note_ids = self.to_time, self.person_ids, self.threads, self.note_ids
        own = self.accounts.own
        rows = []
        for cid, r in zip(ids, new, strict=True):
            note_id, account_id = note_ids[r["note_platform_id"]]
            author = r["author"]
            ours_account = own(author)
            is_ours = bool(r["is_author"]) or (ours_account is not None and ours_account.id == account_id)
            parent = r["parent_platform_id"]
            if parent is None:
                parent_id, root_id, depth = None, cid, 0
            else:
                found = threads.get(parent)
                if found is None:
                    parent_id = root_id = depth = None
                else:
                    parent_id, root_id = found[0], found[1]
                    depth = None if found[2] is None else found[2] + 1
            threads[r["platform_id"]] = (cid, root_id, depth)
            rows.append((cid, r["platform_id"], account_id, note_id, person_ids[author["key"]] if author else None,
                         r["text"], to_time(r["created_ms"]), r["like_count"], r["sub_comment_count"],
                         r["platform_status"], r["pictures"], r["ip_location"], is_ours, parent, parent_id,
                         root_id, depth, r["crawled_ms"], r["fingerprint"], r["raw"], self.import_id))
        self.bulk.insert(Comment.__table__, COMMENT_COLUMNS, rows)
        self.counts["comment"]["new"] += len(rows)
        if ids:
            low, high = self.new_comment_ids or (ids[0], ids[-1])
            self.new_comment_ids = (min(low, ids[0]), max(high, ids[-1]))
        if len(threads) > CACHE_LIMIT:
            threads.clear()

    def _thread_parents(self, new: list[dict]) -> None:
        """Where the parents of this batch's replies sit in their threads: (id, root id, depth)."""
        threads = self.threads
        wanted = {r["parent_platform_id"] for r in new if r["parent_platform_id"]}
        wanted -= threads.keys()
        wanted -= {r["platform_id"] for r in new}
        for chunk in _chunks(list(wanted)):
            for pid, cid, root_id, depth in self.conn.execute(
                    select(Comment.platform_id, Comment.id, Comment.root_id, Comment.depth)
                    .where(Comment.platform_id.in_(chunk))):
                threads[pid] = (cid, root_id, depth)

    # -- shared mechanics --------------------------------------------------------------------
    def _latest(self, batch: list[tuple[str, dict]]) -> list[tuple[str, dict]]:
        """A file may carry a record twice (a re-crawl appended): the later crawl wins."""
        seen: dict[str, int] = {}
        out: list[tuple[str, dict]] = []
        for item in batch:
            key = item[1]["platform_id"]
            if key in seen:
                index = seen[key]
                if (item[1].get("crawled_ms") or 0) >= (out[index][1].get("crawled_ms") or 0):
                    out[index] = item
                self.counts[item[1]["kind"]]["unchanged"] += 1
            else:
                seen[key] = len(out)
                out.append(item)
        return out

    def _existing(self, table: Table, keys: list[str], *, scope=None, with_stub: bool = False) -> dict:
        columns = [table.c.platform_id, table.c.id, table.c.fingerprint]
        columns.append(table.c.crawled_ms if "crawled_ms" in table.c else literal(None))
        columns.append(table.c.is_stub if with_stub else literal(False))
        found = {}
        for chunk in _chunks(keys):
            condition = table.c.platform_id.in_(chunk)
            if scope is not None:
                condition = and_(condition, scope)
            for key, row_id, fp, crawled, stub in self.conn.execute(select(*columns).where(condition)):
                found[key] = (row_id, fp, crawled, stub)
        return found

    def _upsert(self, table: Table, kind: str, rows: list[dict], existing: dict, *,
                keep: tuple[str, ...] = ("import_id",), stub_column: bool = False) -> None:
        """Insert what is new; rewrite what changed (unless an older crawl); count the rest."""
        new, changed = [], []
        for row in rows:
            found = existing.get(row["platform_id"])
            if found is None:
                new.append(row)
                continue
            row_id, fp, crawled, stub = found
            older = crawled is not None and row.get("crawled_ms") is not None and row["crawled_ms"] < crawled
            if (fp == row["fingerprint"] and not stub) or older:
                self.counts[kind]["unchanged"] += 1
                continue
            values = {k: v for k, v in row.items() if k not in keep}
            values["_id"] = row_id
            changed.append(values)
        if new:
            self.conn.execute(insert(table), new)
            self.counts[kind]["new"] += len(new)
        if changed:
            columns = [k for k in changed[0] if k != "_id"]
            statement = update(table).where(table.c.id == bindparam("_id")).values(
                {c: bindparam(c) for c in columns})
            self.conn.execute(statement, changed)
            self.counts[kind]["updated"] += len(changed)

    # -- the set-based pass ------------------------------------------------------------------
    def finish(self) -> dict[str, Counter]:
        """Write what is buffered and what it means for people, threads and the interaction log."""
        self.flush()
        self._write_person_facts()
        if self.new_comment_ids:
            seen_in_comments(self.session, import_id=self.import_id, comment_ids=self.new_comment_ids)
        link_threads(self.session)
        log_interactions(self.session, import_id=self.import_id, comment_ids=self.new_comment_ids)
        self.new_comment_ids = None
        return self.counts


def _as_ms_time(value, to_time):
    if value is None:
        return None
    return to_time(int((value - EPOCH).total_seconds() * 1000))
