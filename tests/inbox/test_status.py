"""An item's status changes in one place (inbox.status.change_status): the replies, moderation and undo
all go through it, so each change is in the audit log with what caused it and the queue learns of it."""

from __future__ import annotations

import orjson
import pytest
from sqlalchemy import select

from fandesk.audit.models import AuditEvent, QueueRevision
from fandesk.db import transaction
from fandesk.errors import Invalid
from fandesk.inbox.models import InboxItem
from fandesk.inbox.status import change_status


def _status_events(workspace, item_id):
    with workspace.sessions() as session:
        return [(e.member_id, orjson.loads(e.before)["status"], orjson.loads(e.after))
                for e in session.scalars(select(AuditEvent).where(AuditEvent.action == "item.status",
                                                                  AuditEvent.object_id == item_id)
                                         .order_by(AuditEvent.id))]


def test_a_reply_moves_its_item_and_the_log_says_why(workspace, world, browser):
    b = browser("moderator")
    item = world.items["question"]
    page = b.post(f"/items/{item}/draft", {"source": "own"}, htmx=True).text
    reply_id = int(page.split('data-reply="')[1].split('"')[0])
    b.post(f"/replies/{reply_id}/submit", {"text": "@小鹿 敏感肌可以用，建议先耳后试用两天～你平时用什么面霜呀？"})
    b.post("/outbox/posted", {"reply_ids": [str(reply_id)]})
    moderator = world.members["moderator"]
    assert _status_events(workspace, item) == [
        (moderator, "new", {"status": "drafted", "because": "reply.draft"}),
        (moderator, "drafted", {"status": "replied", "because": "reply.posted"})]
    with workspace.sessions() as session:
        answered = session.get(InboxItem, item)
        assert answered.status_by_person and answered.replied_at is not None and answered.response_seconds >= 0
    assert "更改了事项" in browser("manager").get("/audit?action=item.status").text


def test_a_status_change_bumps_the_queue_and_refuses_what_is_not_a_status(workspace, world):
    with transaction(workspace.sessions) as session:
        before = session.scalar(select(QueueRevision.revision)) or 0
        item = session.get(InboxItem, world.items["praise"])
        assert change_status(session, item, "closed", member_id=None, because="test") is True
        assert change_status(session, item, "closed", member_id=None, because="test") is False  # already there
        assert (session.scalar(select(QueueRevision.revision)) or 0) == before + 1
        with pytest.raises(Invalid, match="status 'done'"):
            change_status(session, item, "done", member_id=None, because="test")
