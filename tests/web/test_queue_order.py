"""The queue says what to answer first (issue #12, point 1; inbox.priority): a fresh urgent complaint
is above old routine work however late that is, late urgent work says why it is first, and hidden spam is
never overdue."""

from __future__ import annotations

from datetime import timedelta

from fandesk.db import transaction
from fandesk.inbox.queue import open_items
from tests.web.factories import make_comment


def test_what_to_answer_first_a_fresh_urgent_complaint_above_old_routine_work(workspace, world, browser):
    from tests.web.factories import make_item

    with transaction(workspace.sessions) as session:
        a, note_id, fan = world.accounts["brand_a"], world.note_id, world.people["fan"]
        for n in range(30):  # last week's thanks, long overdue
            old = make_comment(session, account_id=a, note_id=note_id, person_id=fan, text=f"谢谢分享{n}")
            make_item(session, comment=old, category="praise", sentiment="positive", tier="routine",
                      due_in=timedelta(days=-3, minutes=n))
        fresh = make_comment(session, account_id=a, note_id=note_id, person_id=fan, text="用了烂脸了！！怎么办")
        complaint = make_item(session, comment=fresh, category="complaint", sentiment="negative", tier="urgent",
                              due_in=timedelta(hours=1, minutes=40)).id
    page = browser("moderator").get("/queue").text
    ids = [int(r.split('data-id="')[1].split('"')[0]) for r in page.split('class="queue-row')[1:]]
    routine = [i for i in ids if i not in world.items.values() and i != complaint]
    assert len(routine) == 30 and ids.index(complaint) < min(ids.index(i) for i in routine)  # however late
    assert "排在最前" not in page.split(f'data-id="{complaint}"')[1].split("</tr>")[0]  # due in 1 h 40: urgent
    # `fandesk inbox` orders the same way
    with transaction(workspace.sessions) as session:
        listed = [i["id"] for i in open_items(session, account="brand_a", limit=100)]
    assert listed.index(complaint) < min(listed.index(i) for i in routine)


def test_late_urgent_work_says_it_is_first_and_hidden_spam_is_never_overdue(workspace, world, browser):
    from tests.web.factories import make_item

    with transaction(workspace.sessions) as session:
        late = make_comment(session, account_id=world.accounts["brand_a"], note_id=world.note_id,
                            person_id=world.people["fan"], text="客服呢？？？三天了没人回")
        late_id = make_item(session, comment=late, category="complaint", sentiment="negative", tier="urgent",
                            due_in=timedelta(hours=-5)).id
        spam = make_comment(session, account_id=world.accounts["brand_a"], note_id=world.note_id,
                            person_id=world.people["other"], text="加V看私房照 vx123")
        make_item(session, comment=spam, category="spam", tier="routine", due_in=timedelta(days=-2), hidden=True)
    moderator = browser("moderator")
    page = moderator.get("/queue").text
    row = page.split(f'data-id="{late_id}"')[1].split("</tr>")[0]
    assert "排在最前" in row and "已超时" in row
    hidden = moderator.get("/queue?view=hidden").text
    assert "加V看私房照" in hidden and 'class="badge breached"' not in hidden


def test_only_those_who_may_act_on_rows_get_checkboxes(world, browser):
    assert 'name="ids"' not in browser("viewer").get("/queue").text
    assert 'name="ids"' not in browser("creator").get("/queue").text
    assert 'name="ids"' in browser("moderator").get("/queue").text
