"""`fandesk questions`: an account's month of questions grouped for the FAQ, answered or not, and a
template made from one."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from sqlalchemy import select

from fandesk.db import transaction
from fandesk.errors import Invalid
from fandesk.inbox.models import InboxItem
from fandesk.members.service import add_member
from fandesk.questions.service import common_questions, month_bounds, template_from_question
from fandesk.replies.models import ReplyTemplate
from fandesk.workspace.service import add_account

# (text, received in UTC, replied)
ASKED = [
    ("求链接[哭惹R]", datetime(2026, 5, 3, 4), True),
    ("有链接吗", datetime(2026, 5, 9, 12), False),
    ("link pls", datetime(2026, 5, 20, 8), False),
    ("多少钱呀", datetime(2026, 5, 21, 9), True),
    ("这个价格多少", datetime(2026, 5, 22, 9), False),
    ("适合油皮吗", datetime(2026, 5, 23, 9), False),
    ("适合干皮吗", datetime(2026, 5, 24, 9), False),
    ("四月的链接？", datetime(2026, 4, 29, 10), False),  # April in Shanghai: not in May
    ("五月一日零点半的链接？", datetime(2026, 4, 30, 16, 30), False),  # 00:30 on 1 May in Shanghai
]


def _item(account_id: int, index: int, text: str, received: datetime, replied: bool, *, question=True, spam=False):
    return InboxItem(account_id=account_id, channel="comment", source_id=index, text=text, received_at=received,
                     status="replied" if replied else "new", tier="routine", reply_by=received, category="product_question",
                     categories=json.dumps(["product_question"]), sentiment="neutral", sentiment_score=0.0,
                     language="zh", is_question=question, spam=spam, reasons="[]", created_at=received,
                     updated_at=received, replied_at=received if replied else None)


@pytest.fixture
def asked(workspace):
    with transaction(workspace.sessions) as session:
        account = add_account(session, handle="brand_a")
        other = add_account(session, handle="brand_b")
        for i, (text, received, replied) in enumerate(ASKED):
            session.add(_item(account.id, i, text, received, replied))
        session.add(_item(account.id, 100, "这个多少钱", datetime(2026, 5, 5), False, spam=True))
        session.add(_item(account.id, 101, "好好看啊", datetime(2026, 5, 5), False, question=False))
        session.add(_item(other.id, 102, "求链接", datetime(2026, 5, 5), False))
        return account.id


def test_questions_of_the_month_grouped_with_counts_and_answers(workspace, asked):
    with transaction(workspace.sessions) as session:
        questions = common_questions(session, account_id=asked, month="2026-05")
    by_label = {q.label: q for q in questions}
    link = next(q for q in questions if "链接" in q.topics)
    assert (link.count, link.answered, link.unanswered) == (4, 1, 3)  # three in May + the one at 00:30 on 1 May
    assert set(link.examples) <= {"求链接[哭惹R]", "有链接吗", "link pls", "五月一日零点半的链接？"}
    price = next(q for q in questions if "价格" in q.topics)
    assert (price.count, price.answered) == (2, 1)  # the spam "这个多少钱" is not a question to answer
    assert "适合油皮吗" in by_label and "适合干皮吗" in by_label  # for different skin: different questions
    assert questions[0] is link  # most asked first
    assert sum(q.count for q in questions) == 8


def test_month_is_the_accounts_month():
    start, end = month_bounds("2026-05", "Asia/Shanghai")
    assert (start, end) == (datetime(2026, 4, 30, 16), datetime(2026, 5, 31, 16))
    with pytest.raises(Invalid, match="YYYY-MM"):
        month_bounds("2026-13")


def test_a_common_question_becomes_a_template(workspace, asked):
    with transaction(workspace.sessions) as session:
        member = add_member(session, name="经理", role="manager", accounts=["brand_a"])
        link = next(q for q in common_questions(session, account_id=asked, month="2026-05") if "链接" in q.topics)
        template = template_from_question(session, member_id=member.id, account_ids=[asked], account_id=asked,
                                          question=link, answer="@{nickname} 链接在主页橱窗第一个哦～")
        template_id = template.id
    with transaction(workspace.sessions) as session:
        saved = session.scalars(select(ReplyTemplate).where(ReplyTemplate.id == template_id)).one()
        assert (saved.account_id, saved.kind, saved.key, saved.language) == (asked, "reply", "product_question", "zh")
        assert saved.title == "常见问题：" + link.label and "主页橱窗" in saved.body
        with pytest.raises(Invalid):
            template_from_question(session, member_id=member.id, account_ids=[asked], account_id=asked,
                                   question=link, answer="  ")


def test_cli_lists_the_months_questions(workspace, asked, cli):
    result = cli("questions", "--account", "brand_a", "--month", "2026-05", "--json")
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert rows[0]["count"] == 4 and rows[0]["answered"] == 1 and "链接" in rows[0]["topics"]
    table = cli("questions", "--account", "brand_a", "--month", "2026-05")
    assert table.exit_code == 0 and "common questions" in table.output
    missing = cli("questions", "--account", "nobody", "--month", "2026-05")
    assert missing.exit_code == 2 and "no such account" in missing.output
