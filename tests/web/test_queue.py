"""The queue: most urgent reply-by first, badges, counts, filters, saved views, refresh, bulk actions."""

from __future__ import annotations

import re

from tests.web.test_auth import status_of

ROW = re.compile(r'class="queue-row tier-(\w+) state-(\w+)" data-id="(\d+)"')


def rows(html):
    return [(int(i), tier, state) for tier, state, i in ROW.findall(html)]


def test_most_urgent_reply_by_first_with_badges_and_counts(world, browser):
    page = browser("moderator").get("/queue").text
    found = rows(page)
    assert [r[0] for r in found] == [world.items["complaint"], world.items["question"], world.items["praise"]]
    assert found[0][2] == "breached" and found[2][2] == "on_time"
    counts = dict(re.findall(r'class="count (\w+)">[^<]*<b>(\d+)</b>', page))
    assert counts == {"urgent": "2", "important": "0", "routine": "1", "breached": "1", "total": "3"}


def test_filters_and_search(world, browser):
    b = browser("moderator")
    assert [r[0] for r in rows(b.get("/queue?tier=routine").text)] == [world.items["praise"]]
    assert [r[0] for r in rows(b.get("/queue?category=complaint").text)] == [world.items["complaint"]]
    assert [r[0] for r in rows(b.get("/queue?sentiment=positive").text)] == [world.items["praise"]]
    assert [r[0] for r in rows(b.get("/queue?q=敏感肌").text)] == [world.items["question"]]
    assert [r[0] for r in rows(b.get("/queue?q=小鹿").text)] == [world.items["question"]]  # by nickname
    assert rows(b.get("/queue?q=100%25").text) == []  # LIKE wildcards are text
    assert len(rows(b.get("/queue?account=brand_a").text)) == 3
    assert rows(b.get("/queue?account=brand_b").text) == []


def test_saved_views(world, browser):
    b = browser("moderator")
    assert [r[0] for r in rows(b.get("/queue?view=breached").text)] == [world.items["complaint"]]
    assert rows(b.get("/queue?view=mine").text) == []
    b.post(f"/items/{world.items['praise']}/action", {"action": "assign"})
    assert [r[0] for r in rows(b.get("/queue?view=mine").text)] == [world.items["praise"]]
    assert [r[0] for r in rows(b.get("/queue?assignee=me").text)] == [world.items["praise"]]
    assert rows(b.get("/queue?view=dm").text) == []
    assert rows(b.get("/queue?view=awaiting").text) == []


def test_rows_partial_for_polling(world, browser):
    b = browser("moderator")
    partial = b.get("/queue/rows?tier=urgent", headers={"HX-Request": "true"}).text
    assert "<html" not in partial and len(rows(partial)) == 2
    assert 'hx-trigger="every 15s, refresh"' in b.get("/queue").text


def test_bulk_close_and_reopen(workspace, world, browser):
    b = browser("moderator")
    ids = [str(world.items["question"]), str(world.items["praise"])]
    response = b.post("/queue/bulk", {"action": "close", "ids": ids}, htmx=True)
    assert response.status_code == 200 and rows(response.text) == [(world.items["complaint"], "urgent", "breached")]
    assert status_of(workspace, world.items["praise"]) == "closed"
    assert len(rows(b.get("/queue?status=closed").text)) == 2
    b.post("/queue/bulk", {"action": "reopen", "ids": ids})
    assert status_of(workspace, world.items["question"]) == "new"


def test_snoozed_items_leave_the_queue_until_due(workspace, world, browser):
    b = browser("moderator")
    q = world.items["question"]
    assert b.post(f"/items/{q}/action", {"action": "snooze", "until": "2999-01-01T09:00"}).status_code == 303
    assert q not in [r[0] for r in rows(b.get("/queue").text)]
    assert q in [r[0] for r in rows(b.get("/queue?status=snoozed").text)]
    assert b.post(f"/items/{q}/action", {"action": "snooze", "until": "2001-01-01T09:00"}).status_code == 400


def test_bulk_snooze_reads_the_time_in_each_items_account_zone(workspace, world, browser):
    from datetime import datetime

    from fandesk.db import transaction
    from fandesk.inbox.models import InboxItem
    from fandesk.workspace.models import Account

    with transaction(workspace.sessions) as session:
        session.get(Account, world.accounts["brand_a"]).time_zone = "America/New_York"
    ids = [str(world.items["question"]), str(world.items["praise"])]
    assert browser("moderator").post("/queue/bulk", {"action": "snooze", "ids": ids, "until": "2999-01-01T09:00"},
                                     htmx=True).status_code == 200
    with workspace.sessions() as session:
        untils = {session.get(InboxItem, int(i)).snoozed_until for i in ids}
    assert untils == {datetime(2999, 1, 1, 14, 0)}  # 09:00 in New York is 14:00 UTC (not 01:00, Shanghai's)
    response = browser("moderator").post("/queue/bulk", {"action": "snooze", "ids": ids, "until": "明天"}, htmx=True)
    assert response.status_code == 400 and "future" in response.text


def test_note_and_follower_tag_filters_in_the_page(world, browser):
    b = browser("moderator")
    b.post(f"/items/{world.items['question']}/tags", {"tags": "vip"})
    page = b.get("/queue").text
    assert f'<option value="{world.note_id}"' in page and "敏感肌修护精华实测" in page
    assert '<option value="vip">' in page.split('id="tag-names"')[1]
    assert len(rows(b.get(f"/queue?note={world.note_id}").text)) == 3
    assert f'value="{world.note_id}" selected' in b.get(f"/queue?note={world.note_id}").text
    assert [r[0] for r in rows(b.get("/queue?tag=vip").text)] == [world.items["question"]]
    assert f'href="/queue?note={world.note_id}"' in b.get(f"/items/{world.items['question']}").text
