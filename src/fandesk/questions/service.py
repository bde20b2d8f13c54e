"""The questions of an account's month, grouped into the same question asked in other words, with
whether we answered them; and a reply template made from one of them."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from fandesk.errors import Invalid, NotFound
from fandesk.inbox.models import InboxItem
from fandesk.replies.templates import save_template
from fandesk.understanding.questions import cluster_questions
from fandesk.workspace.models import Account

MONTH = re.compile(r"(\d{4})-(\d{2})")
# what a question is about -> the template library's reply key it belongs under
TEMPLATE_KEYS = {"发货": "shipping", "用法": "advice_request", "顺序": "advice_request", "教程": "advice_request"}


@dataclass
class AskedItem:
    """One item of a common question: the list behind its count."""

    id: int
    text: str
    answered: bool


@dataclass
class CommonQuestion:
    """One question as an account's followers asked it in a month."""

    label: str  # the wording asked most often
    count: int
    answered: int  # how many of those items we replied to
    examples: list[str]
    item_ids: list[int] = field(default_factory=list)
    topics: list[str] = field(default_factory=list)
    items: list[AskedItem] = field(default_factory=list)  # as many as `count`, in the order they came

    @property
    def unanswered(self) -> int:
        return self.count - self.answered


def month_bounds(month: str, time_zone: str = "UTC") -> tuple[datetime, datetime]:
    """The month 'YYYY-MM' in the account's time zone, as naive UTC times [start, end) like the inbox keeps."""
    match = MONTH.fullmatch(month.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise Invalid(f"--month {month!r}: give a month as YYYY-MM, e.g. 2026-05")
    year, number = int(match.group(1)), int(match.group(2))
    zone = ZoneInfo(time_zone)
    start = datetime(year, number, 1, tzinfo=zone)
    end = datetime(year + number // 12, number % 12 + 1, 1, tzinfo=zone)
    return (start.astimezone(UTC).replace(tzinfo=None), end.astimezone(UTC).replace(tzinfo=None))


def this_month(time_zone: str, now: datetime | None = None) -> str:
    """The current month 'YYYY-MM' in the account's time zone (1 December 00:30 in Shanghai is December,
    though it is still November in UTC)."""
    return (now or datetime.now(UTC)).astimezone(ZoneInfo(time_zone or "UTC")).strftime("%Y-%m")


def common_questions(session: Session, *, account_id: int, month: str, limit: int | None = 20) -> list[CommonQuestion]:
    """The month's questions on one account (items the desk read as questions, spam left out), grouped into
    the same question asked in other words, most asked first; an item counts as answered once we replied."""
    account = session.get(Account, account_id)
    if account is None:
        raise NotFound(f"no account {account_id}")
    start, end = month_bounds(month, account.time_zone or "UTC")
    rows = session.execute(
        select(InboxItem.id, InboxItem.text, InboxItem.status, InboxItem.replied_at)
        .where(InboxItem.account_id == account_id, InboxItem.is_question.is_(True), InboxItem.spam.is_(False),
               InboxItem.received_at >= start, InboxItem.received_at < end)
        .order_by(InboxItem.received_at, InboxItem.id)).all()
    clusters = cluster_questions([row.text for row in rows])
    out = []
    for cluster in clusters[:limit] if limit else clusters:
        members = [rows[i] for i in cluster.members]
        items = [AskedItem(row.id, row.text, row.status == "replied" or row.replied_at is not None)
                 for row in members]
        out.append(CommonQuestion(cluster.label, cluster.count, sum(i.answered for i in items), cluster.examples,
                                  [row.id for row in members], cluster.topics, items))
    return out


def template_from_question(session: Session, *, member_id: int, account_ids: list[int], account_id: int,
                           question: CommonQuestion, answer: str, language: str | None = None):
    """Add a common question's answer to the account's template library ("add to the template library"),
    titled after the question, under the reply key its topic belongs to; the library checks and audits it."""
    if not answer.strip():
        raise Invalid("a template from a common question needs the answer to give")
    if language is None:
        language = "zh" if re.search(r"[\u4e00-\u9fff]", question.label) else "en"
    key = next((TEMPLATE_KEYS[t] for t in question.topics if t in TEMPLATE_KEYS), "product_question")
    prefix = "常见问题：" if language == "zh" else "FAQ: "
    return save_template(session, member_id=member_id, account_ids=account_ids, template_id=None, kind="reply",
                         key=key, language=language, title=(prefix + question.label)[:120], body=answer,
                         account_id=account_id)
