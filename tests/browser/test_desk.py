"""The day's work in a real browser: sign in, the queue by keyboard, a reply from a template with the
quality check, a manager's approval, the outbox export, the language switch, and hostile text."""

from __future__ import annotations

from tests.browser.conftest import serve, sign_in

HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">click</a>'


def test_sign_in_and_work_the_queue_with_the_keyboard(chromium, site, world, workspace):
    page = chromium.new_context(bypass_csp=True).new_page()
    sign_in(page, site, "moderator")
    rows = page.locator(".queue-row")
    assert rows.count() == 3
    assert page.locator(".queue-row.selected").get_attribute("data-id") == str(world.items["complaint"])
    page.keyboard.press("j")
    assert page.locator(".queue-row.selected").get_attribute("data-id") == str(world.items["question"])
    page.keyboard.press("j")
    page.keyboard.press("k")
    assert page.locator(".queue-row.selected").get_attribute("data-id") == str(world.items["question"])
    page.keyboard.press("?")
    assert page.locator("#help").is_visible()
    page.keyboard.press("Escape")
    assert not page.locator("#help").is_visible()
    page.keyboard.press("a")  # assign to me: the row refreshes without a reload
    page.wait_for_function("document.querySelector('.queue-row.selected td:last-child').textContent.includes('moderator-a')")
    page.keyboard.press("e")  # close
    page.wait_for_function("document.querySelectorAll('.queue-row').length === 2")
    from tests.web.test_auth import status_of

    assert status_of(workspace, world.items["question"]) == "closed"
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site}/items/*")
    page.keyboard.press("u")
    page.wait_for_url(f"{site}/queue")


def test_reply_from_a_template_with_the_quality_check_approval_and_export(chromium, site, world, tmp_path):
    moderator = chromium.new_context(bypass_csp=True).new_page()
    sign_in(moderator, site, "moderator")
    moderator.goto(f"{site}/items/{world.items['complaint']}")
    moderator.keyboard.press("r")  # no draft yet: r drafts from the best template
    editor = moderator.locator("#reply-text")
    editor.wait_for()
    assert editor.input_value().startswith("@路人甲 抱歉回复晚了！")
    answer = moderator.locator('[data-check="answers_question"]')
    assert "miss" in answer.get_attribute("class")
    editor.fill("@路人甲 看到你说过敏烂脸真的很抱歉，建议先停用并冷敷，我们安排顾问联系你。方便私信我们订单号吗？")
    moderator.wait_for_function(
        "document.querySelector('[data-check=\"answers_question\"]').classList.contains('ok')")
    assert moderator.locator(".checklist .miss").count() == 0
    moderator.click("#submit-reply")
    moderator.locator("#awaiting-text").wait_for()

    manager_context = chromium.new_context(accept_downloads=True, bypass_csp=True)
    manager = manager_context.new_page()
    sign_in(manager, site, "manager")
    manager.goto(f"{site}/queue?view=awaiting")
    manager.click(f'.queue-row[data-id="{world.items["complaint"]}"] a.open')
    manager.click("#approve")
    manager.locator(".sent-reply.approved").wait_for()
    manager.goto(f"{site}/outbox")
    assert manager.locator(".outbox-row").count() == 1
    with manager.expect_download() as download:
        manager.click("#export-csv")
    path = tmp_path / "outbox.csv"
    download.value.save_as(path)
    text = path.read_text(encoding="utf-8-sig")
    assert "笔记 ID,评论 ID" in text.splitlines()[0] and "冷敷" in text  # columns in the reader's words
    # what they wrote beside our reply; Copy puts the reply on the clipboard exactly as written
    row = manager.locator(".outbox-row")
    assert "过敏烂脸" in row.locator(".their-text").inner_text()
    manager_context.grant_permissions(["clipboard-read", "clipboard-write"], origin=site)
    row.locator("button.copy").click()
    manager.wait_for_function("document.querySelector('button.copy').classList.contains('copied')")
    assert manager.evaluate("navigator.clipboard.readText()") == row.locator(".copy-source").inner_text()
    assert row.locator("button.copy").inner_text() == "已复制"
    manager.screenshot(path=str(tmp_path / "outbox-1440.png"), full_page=True)
    manager.set_viewport_size({"width": 390, "height": 844})
    manager.screenshot(path=str(tmp_path / "outbox-390.png"), full_page=True)
    manager.set_viewport_size({"width": 1440, "height": 900})
    manager.check('.outbox-row input[type="checkbox"]')
    manager.click("#mark-posted")
    manager.locator(".empty").wait_for()
    assert "已将 1 条回复标记为已发布" in manager.locator("#posted-summary").inner_text()


def test_switch_language_sticks(chromium, site):
    page = chromium.new_context(bypass_csp=True).new_page()
    sign_in(page, site, "creator")
    assert page.locator("header nav a").first.inner_text() == "待办队列"
    page.click("#lang-switch")
    page.wait_for_url(f"{site}/queue")
    assert page.locator("header nav a").first.inner_text() == "Queue"
    page.goto(f"{site}/outbox")
    assert page.locator("h1").inner_text() == "Outbox"


def test_hostile_text_renders_as_text(chromium, workspace):
    from tests.web.factories import build_world

    world = build_world(workspace, nickname=HOSTILE, text=HOSTILE)
    base, stop = serve(workspace)
    try:
        # Without the Content-Security-Policy: escaping alone must keep the text inert.
        page = chromium.new_context(bypass_csp=True).new_page()
        dialogs = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        sign_in(page, base, "moderator")
        row = page.locator(f'.queue-row[data-id="{world.items["question"]}"]')
        assert "<script>alert(1)</script>" in row.locator(".nick").inner_text()
        page.goto(f"{base}/items/{world.items['question']}")
        page.click("#draft-template")
        page.locator("#reply-text").wait_for()
        assert "<img src=x onerror=alert(1)>" in page.locator(".comment.current .comment-text").inner_text()
        assert "<script>alert(1)</script>" in page.locator(".follower-name").inner_text()
        for selector in ("img[src='x']", "a[href^='javascript']", "main script"):
            assert page.locator(selector).count() == 0, selector
        page.wait_for_timeout(300)
        assert dialogs == []
    finally:
        stop()


def test_the_queue_and_an_item_on_a_phone_and_a_laptop(chromium, site, world, workspace, tmp_path):
    """At 390×844 the queue is a list of cards and the item page one column: nothing scrolls sideways,
    the message is readable at full width and every button is big enough for a thumb. The screenshots
    at both sizes are kept with the test's files."""
    from fandesk.clock import utcnow
    from fandesk.content.models import DmConversation, DmMessage
    from fandesk.db import transaction

    with transaction(workspace.sessions) as session:  # a DM conversation, shown as bubbles
        conversation = DmConversation(account_id=world.accounts["brand_a"], person_id=world.people["fan"])
        session.add(conversation)
        session.flush()
        for n, (ours, text) in enumerate([(False, "在吗？想问下敏感肌能用吗[哭惹R]"), (True, "在的～可以先耳后试用两天哦"),
                                          (False, "好的谢谢！😊")]):
            session.add(DmMessage(conversation_id=conversation.id, platform_id=f"m{n}", is_ours=ours, text=text,
                                  created_at=utcnow()))
    for width, height in ((1440, 900), (390, 844)):
        page = chromium.new_context(viewport={"width": width, "height": height}).new_page()
        sign_in(page, site, "moderator")
        page.screenshot(path=str(tmp_path / f"queue-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
        first = page.locator(".queue-row").first
        if width == 390:
            box = first.locator(".text").bounding_box()
            assert box["width"] > 300  # the message spans the card
            assert page.locator("table.queue thead").is_hidden()
        first.locator("a.open").click()
        page.wait_for_url(f"{site}/items/*")
        page.goto(f"{site}/items/{world.items['question']}")
        page.screenshot(path=str(tmp_path / f"item-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        bubbles = page.locator(".dms .bubble")
        assert bubbles.count() == 3 and "ours" in bubbles.nth(1).get_attribute("class")
        if width == 390:
            assert page.locator("#card").bounding_box()["y"] > page.locator(".thread").bounding_box()["y"]
            for button in page.locator("#item-main button:visible").all():
                assert button.bounding_box()["height"] >= 36, button.inner_text()
        page.context.close()
