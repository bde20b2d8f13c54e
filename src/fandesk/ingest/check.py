"""The first pass of an import: read every record of every file and find everything that would stop
it, before anything is written. The second pass (ImportWriter, in short transactions) then meets no
error that this pass could have found, so a bad file changes nothing and an import never stops half
way through its writes because of its input.

The checks that need the workspace (which account a note belongs to, whether a comment's note is
known) mirror the writer's: `ImportWriter` refuses exactly what is refused here."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from fandesk.content.models import Note
from fandesk.errors import BadRecord

LOOKUP_CHUNK = 900


@dataclass
class CheckedFile:
    """What the first pass learnt of one file: how many records, which are bad (with --skip-bad), and
    who the follower of its DM messages is when a message does not say."""

    records: int = 0
    rejected: list[dict] = field(default_factory=list)
    rejected_kinds: Counter = field(default_factory=Counter)  # kind of record -> how many were bad
    bad_places: set[str] = field(default_factory=set)  # `where` of every bad record, passed over when writing
    dm_followers: set[str] = field(default_factory=set)  # receivers of the account's own messages in the file


def no_account_for_note(file: str, where: str) -> BadRecord:
    return BadRecord(file, where, "user_id", "this note belongs to no account of this workspace",
                     "pass --account HANDLE (see `fandesk account list`)")


def unknown_note(file: str, where: str, note_platform_id: str) -> BadRecord:
    return BadRecord(file, where, "note_id", f"note {note_platform_id} is not imported and no account was named",
                     "import the notes file first, or pass --account HANDLE")


def needs_account(file: str, where: str, kind: str) -> BadRecord:
    what = {"mention": "mentions need the account they were sent to",
            "dm_conversation": "conversations need their account"}[kind]
    return BadRecord(file, where, None, what, "pass --account HANDLE")


def needs_account_user_id(file: str, where: str) -> BadRecord:
    return BadRecord(file, where, "receiver_id",
                     "cannot tell the follower from the account without the account's user id",
                     "pass --account HANDLE for an account with its Xiaohongshu user id set")


def names_no_follower(file: str, where: str) -> BadRecord:
    return BadRecord(file, where, "sender_id", "a message to the account that names no follower",
                     "include sender_id, or save the history as dm_history_<follower user id>.json")


def dm_follower(record: dict, *, ours: str, followers: set[str]) -> str | None:
    """The follower a DM message belongs to: the other party; for a message to the account without a
    sender id, the follower the file names, or the one the account's own messages in the file went to."""
    if record["receiver_id"] != ours:
        return record["receiver_id"]
    follower = record["sender_id"] or record.get("follower_hint") or (
        next(iter(followers)) if len(followers) == 1 else None)
    return None if follower == ours else follower


class Preflight:
    """Checks the records of one import, file after file; remembers the notes the import brings so a
    comment in a later file finds its note."""

    def __init__(self, session: Session, accounts, *, skip_bad: bool):
        self.session = session
        self.accounts = accounts
        self.skip_bad = skip_bad
        self.notes: set[str] = set()

    def check(self, file: str, records: Iterator[tuple[str, dict | BadRecord]],
              progress: Callable[[int], None] | None = None) -> CheckedFile:
        result = CheckedFile()
        accounts, default = self.accounts, self.accounts.default
        waiting: list[tuple[str, str]] = []  # (where, note id) of comments whose note is not known yet
        messages: list[tuple[str, dict]] = []
        for where, record in records:
            result.records += 1
            if progress is not None and result.records % 1000 == 0:
                progress(result.records)
            if isinstance(record, BadRecord):
                self._bad(result, record, "record")
                continue
            kind = record["kind"]
            if kind == "note":
                if accounts.for_author(record["author"]) is None:
                    self._bad(result, no_account_for_note(file, where), kind)
                else:
                    self.notes.add(record["platform_id"])
            elif kind == "comment":
                if default is None and record["note_platform_id"] not in self.notes:
                    waiting.append((where, record["note_platform_id"]))
            elif kind in ("mention", "dm_conversation"):
                if default is None:
                    self._bad(result, needs_account(file, where, kind), kind)
            elif kind == "dm_message":
                if default is None or not default.platform_user_id:
                    self._bad(result, needs_account_user_id(file, where), kind)
                else:
                    messages.append((where, record))
        self._check_notes(file, result, waiting)
        self._check_messages(file, result, messages)
        return result

    def _bad(self, result: CheckedFile, error: BadRecord, kind: str) -> None:
        if not self.skip_bad:
            raise error
        result.rejected.append(error.as_dict())
        result.rejected_kinds[kind] += 1
        result.bad_places.add(error.where)

    def _check_notes(self, file: str, result: CheckedFile, waiting: list[tuple[str, str]]) -> None:
        unknown = sorted({note for _, note in waiting if note not in self.notes})
        known: set[str] = set()
        for start in range(0, len(unknown), LOOKUP_CHUNK):
            known.update(self.session.scalars(select(Note.platform_id).where(
                Note.platform_id.in_(unknown[start:start + LOOKUP_CHUNK]))))
        for where, note in waiting:
            if note not in self.notes and note not in known:
                self._bad(result, unknown_note(file, where, note), "comment")

    def _check_messages(self, file: str, result: CheckedFile, messages: list[tuple[str, dict]]) -> None:
        ours = self.accounts.default.platform_user_id if messages else None
        result.dm_followers = {r["receiver_id"] for _, r in messages if r["receiver_id"] != ours}
        for where, record in messages:
            if not dm_follower(record, ours=ours, followers=result.dm_followers):
                self._bad(result, names_no_follower(file, where), "dm_message")
