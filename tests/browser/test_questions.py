"""The common-questions page in a real browser, at laptop and phone size: reached from the menu, a
question's list of comments opens to as many comments as its count, nothing scrolls sideways."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.browser.conftest import sign_in
from tests.questions.test_service import _item

ASKED = ["求链接[哭惹R]", "有链接吗？", "链接在哪里呀😭", "蹲一个链接", "这个适合敏感肌吗", "敏感肌能用吗",
         "什么时候发货呀", "<script>document.title='pwned'</script>发货要几天"]


@pytest.fixture
def asked(workspace, world):
    from fandesk.db import transaction

    now = datetime.now(UTC).replace(tzinfo=None)
    with transaction(workspace.sessions) as session:
        for i, text in enumerate(ASKED):
            session.add(_item(world.accounts["brand_a"], 2000 + i, text, now - timedelta(minutes=5 + i), i == 0))


def test_the_faq_page_from_the_menu_with_its_lists(chromium, site, asked, tmp_path):
    context = chromium.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    sign_in(page, site, "manager")
    page.click("#nav-questions")
    page.wait_for_url(f"{site}/questions")
    first = page.locator("li.question").first
    count = int(first.get_attribute("data-count"))
    first.locator("details:not(.to-template) summary").click()
    assert first.locator(".question-items li").count() == count >= 3
    assert page.title() != "pwned" and "&lt;script&gt;document.title" in page.content()  # text, not run
    page.screenshot(path=str(tmp_path / "questions-1440.png"), full_page=True)
    context.close()


def test_the_faq_page_on_a_phone_has_no_sideways_scrolling(chromium, site, asked, tmp_path):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    sign_in(page, site, "manager")
    page.goto(f"{site}/questions")
    page.locator("li.question").first.wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(tmp_path / "questions-390.png"), full_page=True)
    context.close()
