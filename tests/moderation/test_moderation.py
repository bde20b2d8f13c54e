"""Moderation: each step recorded against the person with the guideline; the ladder; hidden spam review."""

from __future__ import annotations


def test_reminder_then_message_then_block_builds_the_history(workspace, world, browser):
    b = browser("moderator")
    item = world.items["praise"]
    page = b.post(f"/items/{item}/moderate", {"action": "reminder", "guideline": "shaming"}, htmx=True).text
    assert "嘲讽羞辱" in page and 'value="private_message" class="suggested"' in page
    b.post(f"/items/{item}/moderate", {"action": "private_message", "guideline": "shaming", "message": "请友善交流"})
    b.post(f"/items/{item}/moderate", {"action": "block", "guideline": "harassment"})
    from sqlalchemy import select

    from fandesk.inbox.models import InboxItem, PlatformAction
    from fandesk.moderation.models import ModerationAction

    with workspace.sessions() as session:
        steps = session.scalars(select(ModerationAction).order_by(ModerationAction.id)).all()
        assert [(s.action, s.guideline, s.person_id) for s in steps] == [
            ("reminder", "shaming", world.people["other"]), ("private_message", "shaming", world.people["other"]),
            ("block", "harassment", world.people["other"])]
        assert session.get(InboxItem, item).hidden is True
        assert "block_user" in session.scalars(select(PlatformAction.action)).all()
    # the reminder and the message wait in the outbox; the history is on the person's other items too
    assert browser("manager").get("/outbox").text.count('class="outbox-row') == 2
    assert "骚扰" in b.get(f"/items/{world.items['complaint']}").text


def test_a_guideline_is_required_and_creators_cannot_moderate(world, browser):
    b = browser("moderator")
    assert b.post(f"/items/{world.items['praise']}/moderate", {"action": "hide"}).status_code == 400
    creator = browser("creator")
    assert creator.post(f"/items/{world.items['praise']}/moderate",
                        {"action": "block", "guideline": "spam"}).status_code == 403


def test_hidden_spam_is_reviewable_and_reversible_in_bulk(workspace, world, browser):
    b = browser("moderator")
    item = world.items["praise"]
    b.post(f"/items/{item}/moderate", {"action": "hide", "guideline": "spam"})
    assert f'data-id="{item}"' not in b.get("/queue").text
    assert f'data-id="{item}"' in b.get("/queue?view=hidden").text
    b.post("/queue/bulk", {"action": "unhide", "ids": [str(item)]})
    assert f'data-id="{item}"' in b.get("/queue").text


def test_no_step_is_suggested_on_a_harmless_fans_item(workspace, world, browser):
    """A fan's question breaks no guideline: nothing is suggested and the panel stays folded, so 拉黑
    is not one click away; an item read as abuse opens it with the ladder's first step."""
    b = browser("moderator")
    page = b.get(f"/items/{world.items['question']}").text
    assert 'class="suggested"' not in page and 'id="moderation">' in page  # folded (no "open")
    assert "这里看起来没有违反社区规范" in page
    from fandesk.db import transaction
    from fandesk.inbox.models import InboxItem

    with transaction(workspace.sessions) as session:
        session.get(InboxItem, world.items["question"]).category = "abuse"
    page = b.get(f"/items/{world.items['question']}").text
    assert 'id="moderation" open>' in page and 'value="reminder" class="suggested"' in page
