"""Two people acting on one thing at once (issue 10, item 3): the app is served on a real socket, each
person signs in with their own client, and their requests leave together from threads. Exactly one
wins; every other is told, in their language, who won and what they did; the audit log has one event.
Runs on SQLite and, with FANDESK_DATABASE_URL, on PostgreSQL."""

from __future__ import annotations

import re
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import select

from fandesk.audit.models import AuditEvent
from fandesk.db import transaction
from fandesk.inbox.models import InboxItem
from fandesk.members.models import Member
from fandesk.members.service import add_member
from fandesk.members.sign_in import set_login
from fandesk.replies import service as replies
from fandesk.replies.models import Reply
from tests.web.factories import PASSWORD

CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')
MANAGERS = [("经理A", "zh"), ("经理B", "zh"), ("经理C", "en"), ("经理D", "zh"), ("经理E", "en"), ("经理F", "zh")]
MODERATORS = [("阿敏", "zh"), ("小周", "zh"), ("Coco", "en"), ("小鹿", "zh"), ("Lena", "en"), ("阿珍", "zh")]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def served(app):
    """The app on a real port (uvicorn in a thread): sync routes run in its thread pool, so requests that
    arrive together run together, each in its own database transaction."""
    import uvicorn

    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=_free_port(), log_level="warning",
                                           access_log=False))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the app did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{server.config.port}"
    finally:
        server.should_exit = True
        thread.join(15)


class Person:
    """One team member with their own client (own session cookie and CSRF token)."""

    def __init__(self, base: str, name: str, username: str, member_id: int):
        self.name, self.member_id = name, member_id
        self.client = httpx.Client(base_url=base, timeout=60)
        self.client.get("/login")
        signed_in = self.client.post("/login", data={"username": username, "password": PASSWORD, "next": "/queue",
                                                     "csrf_token": self.token()})
        assert signed_in.status_code == 303, signed_in.text[:500]

    def token(self, url: str = "/login") -> str:
        return CSRF.search(self.client.get(url).text).group(1)

    def post(self, url: str, data: dict):
        return self.client.post(url, data={**data, "csrf_token": self._token})

    def ready(self, page: str) -> Person:
        self._token = self.token(page)
        return self


def people(workspace, world, base, team, role) -> list[Person]:
    out = []
    with transaction(workspace.sessions) as session:
        for number, (name, language) in enumerate(team):
            member = add_member(session, name=name, role=role, accounts=["brand_a"])
            set_login(session, member_id=member.id, password=PASSWORD, username=f"{role}{number}", language=language)
            out.append((name, f"{role}{number}", member.id, language))
    signed_in = []
    for name, username, member_id, language in out:
        person = Person(base, name, username, member_id)
        person.language = language
        signed_in.append(person)
    return signed_in


def together(calls):
    """Fire every (person, url, data) at once: each thread waits at a barrier, then posts."""
    barrier = threading.Barrier(len(calls))

    def go(call):
        person, url, data = call
        barrier.wait()
        return person, person.post(url, data)

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(go, calls))


def events(workspace, action, object_id):
    with workspace.sessions() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action,
                                                             AuditEvent.object_id == object_id)))


def awaiting_reply(workspace, world) -> int:
    """A moderator's reply to the complaint, waiting for a manager (negative: the default approval rule)."""
    with transaction(workspace.sessions) as session:
        moderator = session.get(Member, world.members["moderator"])
        reply = replies.start_draft(session, item_id=world.items["complaint"], account_ids=[world.accounts["brand_a"]],
                                    member_id=moderator.id)
        replies.submit(session, reply_id=reply.id, account_ids=[world.accounts["brand_a"]], member=moderator,
                       text="@路人甲 抱歉让你不舒服了，先停用冷敷，我们私信你安排退换。现在还疼吗？")
        assert reply.status == "awaiting_approval"
        return reply.id


def told_in_their_language(person, response, zh: str, en: str) -> bool:
    expected = zh if person.language == "zh" else en
    return response.status_code == 409 and expected in response.text


def test_managers_reviewing_one_reply_at_once_one_wins_the_others_are_told(workspace, world, served):
    reply_id = awaiting_reply(workspace, world)
    managers = [m.ready(f"/items/{world.items['complaint']}") for m in people(workspace, world, served, MANAGERS,
                                                                              "manager")]
    decisions = ["approve" if n % 2 else "reject" for n in range(len(managers))]
    answers = together([(m, f"/replies/{reply_id}/review", {"decision": d, "note": f"{m.name}看过"})
                        for m, d in zip(managers, decisions, strict=True)])
    winners = [(m, d) for (m, r), d in zip(answers, decisions, strict=True) if r.status_code == 303]
    assert len(winners) == 1, [(m.name, r.status_code) for m, r in answers]
    winner, decision = winners[0]
    with workspace.sessions() as session:
        reply = session.get(Reply, reply_id)
        assert reply.status == ("approved" if decision == "approve" else "rejected")
        assert reply.approver_id == winner.member_id and reply.review_note == f"{winner.name}看过"
    zh, en = ("批准", "approved") if decision == "approve" else ("驳回", "rejected")
    for person, response in answers:
        if person is not winner:
            assert told_in_their_language(person, response, f"已被 {winner.name} {zh}",
                                          f"Already {en} by {winner.name}"), (person.name, response.text[-800:])
    assert len(events(workspace, "reply.approve", reply_id) + events(workspace, "reply.reject", reply_id)) == 1


def test_moderators_claiming_one_item_at_once_one_wins_the_others_are_told(workspace, world, served):
    item_id = world.items["question"]
    moderators = [m.ready(f"/items/{item_id}") for m in people(workspace, world, served, MODERATORS, "moderator")]
    answers = together([(m, f"/items/{item_id}/action", {"action": "assign", "assignee": str(m.member_id),
                                                         "seen_assignee": "none", "seen_status": "new"})
                        for m in moderators])
    winners = [m for m, r in answers if r.status_code == 303]
    assert len(winners) == 1, [(m.name, r.status_code) for m, r in answers]
    winner = winners[0]
    with workspace.sessions() as session:
        assert session.get(InboxItem, item_id).assignee_id == winner.member_id
    for person, response in answers:
        if person is not winner:
            assert told_in_their_language(person, response, f"已被 {winner.name} 认领",
                                          f"Already claimed by {winner.name}"), (person.name, response.text[-800:])
    assert len(events(workspace, "item.assign", item_id)) == 1


def test_moderators_sending_one_draft_on_at_once_one_wins(workspace, world, served):
    with transaction(workspace.sessions) as session:
        reply = replies.start_draft(session, item_id=world.items["complaint"], account_ids=[world.accounts["brand_a"]],
                                    member_id=world.members["moderator"])
        reply_id = reply.id
    moderators = [m.ready(f"/items/{world.items['complaint']}")
                  for m in people(workspace, world, served, MODERATORS[:4], "moderator")]
    answers = together([(m, f"/replies/{reply_id}/submit", {"text": f"@路人甲 抱歉！{m.name}先帮你看看，现在好点了吗？"})
                        for m in moderators])
    winners = [m for m, r in answers if r.status_code == 303]
    assert len(winners) == 1, [(m.name, r.status_code) for m, r in answers]
    for person, response in answers:
        if person is not winners[0]:
            assert told_in_their_language(person, response, f"已被 {winners[0].name} 送审",
                                          f"Already sent for approval by {winners[0].name}"), response.text[-800:]
    assert len(events(workspace, "reply.submit", reply_id)) == 1


def test_two_people_marking_one_reply_posted_at_once_one_wins(workspace, world, served):
    reply_id = awaiting_reply(workspace, world)
    with transaction(workspace.sessions) as session:
        replies.review(session, reply_id=reply_id, account_ids=[world.accounts["brand_a"]],
                       member=session.get(Member, world.members["manager"]), approve=True)
    moderators = [m.ready("/outbox") for m in people(workspace, world, served, MODERATORS[:4], "moderator")]
    answers = together([(m, "/outbox/posted", {"reply_ids": [str(reply_id)]}) for m in moderators])
    winners = [m for m, r in answers if r.status_code == 303]
    assert len(winners) == 1, [(m.name, r.status_code) for m, r in answers]
    for person, response in answers:
        if person is not winners[0]:
            assert told_in_their_language(person, response, f"已被 {winners[0].name} 标记为已发布",
                                          f"Already marked posted by {winners[0].name}"), response.text[-800:]
    assert len(events(workspace, "reply.posted", reply_id)) == 1
