"""The common-questions page (the FAQ): one of the person's accounts, a month in the account's time zone,
each question's count clicking through to exactly that many comments, and a manager's "add to the
template library"."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from fandesk.db import transaction
from fandesk.replies.models import ReplyTemplate
from tests.questions.test_service import ASKED, _item

HOSTILE = "<script>alert(1)</script>什么时候发货[笑哭R]"


@pytest.fixture
def asked(workspace, world):
    with transaction(workspace.sessions) as session:
        account_id = world.accounts["brand_a"]
        for i, (text, received, replied) in enumerate(ASKED):
            session.add(_item(account_id, 1000 + i, text, received, replied))
        session.add(_item(account_id, 1100, HOSTILE, datetime(2026, 5, 25, 9), False))
        session.add(_item(world.accounts["brand_b"], 1101, "brand_b 的链接在哪", datetime(2026, 5, 25, 9), False))
    return account_id


def questions(page: str) -> list[tuple[int, int]]:
    """(the count a question shows, how many comments its list holds), in page order."""
    blocks = page.split('<li class="question"')[1:]
    return [(int(re.search(r'data-count="(\d+)"', b).group(1)), b.split('class="question-items"')[1]
             .split("</ul>")[0].count("<li>")) for b in blocks]


def test_the_months_questions_most_asked_first_and_each_count_is_its_list(asked, browser):
    page = browser("moderator").get("/questions?account=brand_a&month=2026-05")
    assert page.status_code == 200
    shown = questions(page.text)
    assert shown and all(count == listed for count, listed in shown)
    assert shown[0][0] == 4 and sum(count for count, _ in shown) == 9  # the link question first
    assert "被问了 4 次" in page.text and "已回复 1 条，还有 3 条未回复" in page.text
    assert "四月的链接" not in page.text  # 29 April in Shanghai belongs to April
    assert "brand_b 的链接在哪" not in page.text
    assert "<script>alert(1)</script>" not in page.text and "&lt;script&gt;" in page.text
    assert 'action="/questions/template"' not in page.text  # the library is a manager's


def test_an_account_that_is_not_yours_is_refused(asked, browser):
    refused = browser("moderator").get("/questions?account=brand_b&month=2026-05")
    assert refused.status_code == 400 and "not one of yours" in refused.text
    bad_month = browser("moderator").get("/questions?account=brand_a&month=2026-13")
    assert bad_month.status_code == 400 and "YYYY-MM" in bad_month.text


def test_this_month_by_default_at_the_real_current_time(workspace, world, browser):
    now = datetime.now(UTC).replace(tzinfo=None)
    with transaction(workspace.sessions) as session:
        session.add(_item(world.accounts["brand_a"], 1200, "这个怎么用呀", now, False))
    page = browser("viewer").get("/questions")
    assert page.status_code == 200 and "这个怎么用呀" in page.text


def test_a_manager_adds_a_question_to_the_template_library(asked, browser, workspace):
    manager = browser("manager")
    page = manager.get("/questions?account=brand_a&month=2026-05")
    assert 'action="/questions/template"' in page.text
    answer = "@{nickname} 链接在主页橱窗第一个哦～"
    saved = manager.post("/questions/template", {"account": "brand_a", "month": "2026-05", "rank": "1",
                                                 "answer": answer})
    assert saved.status_code == 303 and saved.headers["location"].startswith("/templates?edit=")
    with transaction(workspace.sessions) as session:
        template = session.scalars(select(ReplyTemplate).where(ReplyTemplate.body == answer)).one()
        assert template.account_id == asked and template.title.startswith("常见问题：")
    assert answer.replace("~", "") in manager.get(saved.headers["location"]).text.replace("~", "")
    empty = manager.post("/questions/template", {"account": "brand_a", "month": "2026-05", "rank": "1",
                                                 "answer": "  "})
    assert empty.status_code == 400
    gone = manager.post("/questions/template", {"account": "brand_a", "month": "2026-05", "rank": "99",
                                                "answer": answer})
    assert gone.status_code == 400 and "open it again" in gone.text
