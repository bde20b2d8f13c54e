"""The item page: thread, reasons, follower card; actions and card edits, all in the audit log."""

from __future__ import annotations

import orjson
from sqlalchemy import text

from tests.web.test_auth import status_of


def test_item_page_shows_thread_reasons_and_card(world, browser):
    page = browser("moderator").get(f"/items/{world.items['question']}").text
    assert "敏感肌修护精华实测" in page  # the note
    assert "我也想知道" in page and "我们之前回复过哦" in page  # the tree, with our earlier reply
    # triage's reasons, in the page's language
    assert "产品咨询 (求链接) → 紧急" in page and "2 小时内回复（紧急目标），顺延到下一个营业时间" in page
    assert "product question" not in page
    assert "小鹿" in page and "skin_type" in page and "敏感肌" in page and "澄肌修护精华" in page  # the card
    assert 'class="comment depth-1' in page


def test_triage_reasons_follow_the_language_switch(world, browser):
    b = browser("moderator")
    b.post("/language", {"lang": "en"})
    page = b.get(f"/items/{world.items['question']}").text
    assert "product question (求链接) → urgent" in page
    assert "reply within 2 h (urgent target), moved to the next opening" in page and "→ 紧急" not in page


def test_reasons_written_before_they_were_codes_still_show(workspace, world, browser):
    """Items triaged by an earlier version carry their reasons as words in both languages."""
    legacy = orjson.dumps([{"kind": "category", "text": "asks about the product", "zh": "询问产品"}]).decode()
    with workspace.engine.begin() as connection:
        connection.execute(text("UPDATE inbox_item SET reasons = :reasons WHERE id = :id"),
                           {"reasons": legacy, "id": world.items["question"]})
    b = browser("moderator")
    assert "询问产品" in b.get(f"/items/{world.items['question']}").text
    b.post("/language", {"lang": "en"})
    assert "asks about the product" in b.get(f"/items/{world.items['question']}").text


def test_actions_assign_tier_close_reopen_and_the_audit_log(workspace, world, browser):
    b = browser("moderator")
    q = world.items["question"]
    page = b.post(f"/items/{q}/action", {"action": "assign"}, htmx=True).text
    assert "moderator-a" in page and status_of(workspace, q) == "assigned"
    b.post(f"/items/{q}/action", {"action": "tier", "tier": "routine"})
    b.post(f"/items/{q}/action", {"action": "close"})
    assert status_of(workspace, q) == "closed"
    b.post(f"/items/{q}/action", {"action": "reopen"})
    assert status_of(workspace, q) == "assigned"
    assert b.post(f"/items/{q}/action", {"action": "assign", "assignee": str(world.members["viewer"])}).status_code == 400
    assert b.get("/audit").status_code == 403
    audit = browser("manager").get("/audit?action=item.").text
    # each change in words, in the reader's language, linking to the item
    for words in (f"分配了事项 #{q}", f"更改了事项 #{q} 的优先级", f"关闭了事项 #{q}", f"重新打开了事项 #{q}"):
        assert words in audit
    assert f'<a href="/items/{q}">' in audit and ">item.assign<" not in audit
    assert "moderator-a" in audit
    english = browser("manager")
    english.post("/language", {"lang": "en"})
    assert f"reopened item #{q}" in english.get("/audit?action=item.").text


def test_tags_notes_and_fields_are_edited_on_the_card(world, browser):
    b = browser("moderator")
    q = world.items["question"]
    b.post(f"/items/{q}/tags", {"tags": "vip, 敏感肌 #回购"})
    b.post(f"/items/{q}/notes", {"text": "上次送了小样"})
    b.post(f"/items/{q}/fields", {"name": "skin_type", "value": "混油"})
    page = b.get(f"/items/{q}").text
    assert "#vip" in page and "#回购" in page and "上次送了小样" in page and 'value="混油"' in page
    assert [world.items["question"]] == [int(i) for i in __import__("re").findall(
        r'data-id="(\d+)"', b.get("/queue?tag=vip").text)]


def test_two_people_on_one_item_see_each_other(world, browser):
    q = world.items["question"]
    first, second = browser("moderator"), browser("manager")
    first.get(f"/items/{q}")
    assert "moderator-a" in second.get(f"/items/{q}").text.split('id="presence"')[1][:400]
    assert "manager-a" in first.get(f"/items/{q}/presence").text
    assert "moderator-a" in second.get("/queue").text.split(f'data-id="{q}"')[1][:1500]
