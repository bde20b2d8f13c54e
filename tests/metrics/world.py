"""A small hand-made community for the metrics tests: every row written with its time in UTC (what the
database keeps) and the local time it stands for in a comment, so each expected value can be worked out
by hand in the test."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from sqlalchemy import insert

from fandesk.content.models import Comment, Note
from fandesk.inbox.models import InboxItem
from fandesk.people.models import Interaction, Person, Referral, SurveyAnswer
from fandesk.replies.models import Reply, ReplyWork
from fandesk.workspace.models import Account

SHANGHAI = 8  # hours ahead of UTC, all year
NOW = datetime(2026, 4, 10)  # the moment the numbers are computed at: every March item is past its target


def local(year, month, day, hour=0, minute=0, second=0) -> datetime:
    """A Shanghai wall-clock time, as the naive UTC time the database keeps."""
    return datetime(year, month, day, hour, minute, second) - timedelta(hours=SHANGHAI)


class World:
    """Builds rows fast (bulk inserts) with sensible defaults; ids are handed out here."""

    def __init__(self, session):
        self.session = session
        self._ids = itertools.count(1)
        self.accounts: dict[str, int] = {}
        self.notes: dict[str, int] = {}
        self.people: dict[str, int] = {}

    def account(self, handle: str, time_zone: str = "Asia/Shanghai") -> int:
        account = Account(handle=handle, name=handle, time_zone=time_zone, created_at=NOW)
        self.session.add(account)
        self.session.flush()
        self.accounts[handle] = account.id
        return account.id

    def note(self, account: str, key: str = "n", at: datetime | None = None) -> int:
        note = Note(account_id=self.accounts[account], platform_id=f"{account}-{key}", title=key,
                    created_at=at or local(2026, 1, 1))
        self.session.add(note)
        self.session.flush()
        self.notes[f"{account}/{key}"] = note.id
        return note.id

    def person(self, name: str) -> int:
        person = Person(person_key=f"uid:{name}", platform_user_id=name, nickname=name)
        self.session.add(person)
        self.session.flush()
        self.people[name] = person.id
        return person.id

    def comment(self, account: str, note: str, who: str | None, at: datetime, text: str = "好用",
                parent: Comment | None = None, ours: bool = False, interaction: bool = True) -> Comment:
        n = next(self._ids)
        comment = Comment(platform_id=f"c{n}", account_id=self.accounts[account], note_id=self.notes[f"{account}/{note}"],
                          person_id=self.people[who] if who else None, text=text, created_at=at, is_ours=ours,
                          parent_platform_id=parent.platform_id if parent else None,
                          parent_id=parent.id if parent else None,
                          root_id=(parent.root_id if parent else None), depth=(parent.depth + 1) if parent else 0)
        self.session.add(comment)
        self.session.flush()
        if parent is None:
            comment.root_id = comment.id
        if interaction and who and not ours:
            self.interaction(account, who, "replied" if parent else "commented", at, ref=f"comment:{comment.platform_id}")
        return comment

    def item(self, account: str, at: datetime, *, channel: str = "comment", source: Comment | None = None,
             who: str | None = None, answered_after: timedelta | None = None, sentiment: str = "neutral",
             cause: str | None = None, spam: bool = False, hidden: bool = False, tier: str = "routine",
             reply_by: datetime | None = None, source_id: int | None = None) -> int:
        replied = at + answered_after if answered_after is not None else None
        person = self.people[who] if who else (source.person_id if source is not None else None)
        values = dict(
            account_id=self.accounts[account], channel=channel,
            source_id=source.id if source is not None else (source_id or 1_000_000 + next(self._ids)),
            person_id=person, note_id=source.note_id if source is not None else None,
            text=source.text if source is not None else "", received_at=at,
            status="replied" if replied else "new", tier=tier, reply_by=reply_by or at + timedelta(hours=4),
            category="casual", categories="[]", sentiment=sentiment, sentiment_score=0.0, cause=cause,
            language="zh", is_question=False, spam=spam, hidden=hidden or spam, escalated=False, reasons="[]",
            tier_by_person=False, assignee_by_person=False, status_by_person=False, replied_at=replied,
            response_seconds=int(answered_after.total_seconds()) if answered_after is not None else None,
            created_at=at, updated_at=at)
        return self.session.execute(insert(InboxItem).returning(InboxItem.id), [values]).scalar_one()

    def items(self, account: str, rows: list[dict]) -> None:
        """Many items at once: each dict gives at least `at`; the rest as in item()."""
        for row in rows:
            self.item(account, **row)

    def interaction(self, account: str, who: str, kind: str, at: datetime, ref: str | None = None,
                    amount: float | None = None) -> None:
        self.session.execute(insert(Interaction), [{
            "account_id": self.accounts[account], "person_id": self.people[who], "kind": kind, "occurred_at": at,
            "source_ref": ref or f"{kind}:{next(self._ids)}", "amount": amount}])

    def desk_reply(self, item_id: int, author: int, posted_at: datetime, account: str, *, work_seconds: int = 120,
                   channel: str = "comment") -> None:
        reply = Reply(item_id=item_id, account_id=self.accounts[account], kind="reply", status="posted", text="谢谢",
                      draft_text="谢谢", source="template", author_id=author, approver_id=author,
                      created_at=posted_at - timedelta(seconds=work_seconds), updated_at=posted_at,
                      submitted_at=posted_at, approved_at=posted_at, posted_at=posted_at)
        self.session.add(reply)
        self.session.flush()
        self.session.add(ReplyWork(reply_id=reply.id, item_id=item_id, account_id=self.accounts[account],
                                   member_id=author, channel=channel, opened_at=posted_at - timedelta(seconds=work_seconds),
                                   done_at=posted_at, seconds=work_seconds))

    def referral(self, account: str, referrer: str, at: datetime, revenue: float) -> None:
        self.session.add(Referral(account_id=self.accounts[account], referrer_id=self.people[referrer],
                                  row_key=f"r{next(self._ids)}", referred_at=at, revenue=revenue, raw="{}"))

    def survey(self, account: str, who: str | None, at: datetime, satisfaction: int | None, nps: int | None) -> None:
        self.session.add(SurveyAnswer(account_id=self.accounts[account], person_id=self.people[who] if who else None,
                                      row_key=f"s{next(self._ids)}", answered_at=at, satisfaction=satisfaction,
                                      nps=nps, raw="{}"))
