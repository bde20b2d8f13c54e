"""A small world for web tests: two accounts, one login per role on the first, a stranger on the second,
a note with a thread, and inbox items made directly (no import, no model)."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import orjson

from fandesk.content.models import Comment, Note
from fandesk.db import transaction
from fandesk.inbox.models import InboxItem
from fandesk.members.service import add_member
from fandesk.members.sign_in import set_login
from fandesk.people.models import Person, PersonField, Purchase
from fandesk.replies.templates import seed_templates
from fandesk.workspace.service import add_account

PASSWORD = "test-password-1"
ROLES = ("manager", "moderator", "creator", "viewer")
_ids = itertools.count(1)


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass
class World:
    accounts: dict[str, int] = field(default_factory=dict)
    members: dict[str, int] = field(default_factory=dict)  # username -> id
    items: dict[str, int] = field(default_factory=dict)
    people: dict[str, int] = field(default_factory=dict)
    note_id: int = 0


def make_person(session, nickname: str) -> Person:
    n = next(_ids)
    person = Person(person_key=f"uid:u{n}", platform_user_id=f"u{n}", nickname=nickname, first_seen_at=now())
    session.add(person)
    session.flush()
    return person


def make_comment(session, *, account_id: int, note_id: int, person_id: int | None, text: str, ours: bool = False,
                 parent: Comment | None = None, at: datetime | None = None) -> Comment:
    n = next(_ids)
    comment = Comment(platform_id=f"c{n}", account_id=account_id, note_id=note_id, person_id=person_id, text=text,
                      created_at=at or now() - timedelta(minutes=30), is_ours=ours,
                      parent_platform_id=parent.platform_id if parent else None,
                      parent_id=parent.id if parent else None,
                      root_id=(parent.root_id or parent.id) if parent else None, depth=(parent.depth or 0) + 1 if parent else 0)
    session.add(comment)
    session.flush()
    if parent is None:
        comment.root_id = comment.id
    return comment


def make_item(session, *, comment: Comment, category: str = "product_question", sentiment: str = "neutral",
              tier: str = "urgent", language: str = "zh", due_in: timedelta = timedelta(hours=1),
              channel: str = "comment", escalated: bool = False, hidden: bool = False) -> InboxItem:
    t = now()
    item = InboxItem(account_id=comment.account_id, channel=channel, source_id=comment.id, person_id=comment.person_id,
                     note_id=comment.note_id, text=comment.text, received_at=t - timedelta(minutes=30),
                     status="new", tier=tier, reply_by=t + due_in, category=category,
                     categories=f'["{category}"]', sentiment=sentiment, sentiment_score=-0.6 if sentiment == "negative" else 0.1,
                     cause=None, language=language, is_question=category.endswith("question"), spam=False,
                     hidden=hidden, escalated=escalated,
                     reasons=orjson.dumps([  # as triage writes them: codes with parameters (inbox.triage)
                         {"kind": "category", "code": "category", "category": category, "cues": ["求链接"],
                          "tier": tier},
                         {"kind": "deadline", "code": "deadline_tier", "hours": 2.0, "channel": channel, "tier": tier,
                          "moved": True}]).decode(), created_at=t, updated_at=t)
    session.add(item)
    session.flush()
    return item


def build_world(workspace, *, nickname: str = "小鹿", text: str = "这个精华敏感肌能用吗？") -> World:
    world = World()
    with transaction(workspace.sessions) as session:
        a = add_account(session, handle="brand_a", name="品牌A")
        b = add_account(session, handle="brand_b", name="Brand B")
        world.accounts = {"brand_a": a.id, "brand_b": b.id}
        for role in ROLES:
            member = add_member(session, name=f"{role}-a", role=role, accounts=["brand_a"])
            set_login(session, member_id=member.id, password=PASSWORD, username=role, language="zh")
            world.members[role] = member.id
        stranger = add_member(session, name="moderator-b", role="moderator", accounts=["brand_b"])
        set_login(session, member_id=stranger.id, password=PASSWORD, username="stranger")
        world.members["stranger"] = stranger.id
        seed_templates(session)
        note = Note(account_id=a.id, platform_id="n1", title="敏感肌修护精华实测", text="用了28天的真实记录", created_at=now())
        session.add(note)
        session.flush()
        world.note_id = note.id
        fan = make_person(session, nickname)
        other = make_person(session, "路人甲")
        world.people = {"fan": fan.id, "other": other.id}
        session.add(PersonField(account_id=a.id, person_id=fan.id, name="skin_type", value="敏感肌"))
        session.add(Purchase(account_id=a.id, person_id=fan.id, order_ref="o1", product="澄肌修护精华 30ml", amount=199,
                             purchased_at=now() - timedelta(days=40), raw="{}"))
        root = make_comment(session, account_id=a.id, note_id=note.id, person_id=fan.id, text=text)
        make_comment(session, account_id=a.id, note_id=note.id, person_id=other.id, text="我也想知道", parent=root)
        ours = make_comment(session, account_id=a.id, note_id=note.id, person_id=None, text="我们之前回复过哦", ours=True,
                            parent=root)
        world.items["question"] = make_item(session, comment=root).id
        complaint = make_comment(session, account_id=a.id, note_id=note.id, person_id=other.id,
                                 text="用了过敏烂脸，太失望了")
        world.items["complaint"] = make_item(session, comment=complaint, category="complaint", sentiment="negative",
                                             due_in=timedelta(hours=-1)).id
        praise = make_comment(session, account_id=a.id, note_id=note.id, person_id=other.id, text="回购第三瓶了，绝绝子",
                              parent=ours)
        world.items["praise"] = make_item(session, comment=praise, category="praise", sentiment="positive",
                                          tier="routine", due_in=timedelta(hours=20)).id
        note_b = Note(account_id=b.id, platform_id="n2", title="B note", created_at=now())
        session.add(note_b)
        session.flush()
        secret = make_comment(session, account_id=b.id, note_id=note_b.id, person_id=other.id, text="account B secret")
        world.items["other_account"] = make_item(session, comment=secret).id
    return world
