"""Triage at import: items with reasons, assignment, hidden spam with undo, closing on our replies,
and re-triage after a rule change that keeps what people decided."""

from __future__ import annotations

import json
from datetime import UTC

from sqlalchemy import select

from fandesk.db import transaction
from fandesk.inbox.actions import act_on_item
from fandesk.inbox.models import InboxItem, PlatformAction, TriageAction
from fandesk.inbox.queue import open_items
from fandesk.inbox.rules import DEFAULT_RULES
from fandesk.inbox.service import correct, undo_action
from fandesk.members.service import add_member
from fandesk.web.i18n import in_language
from fandesk.web.labels import reason_text
from tests.conftest import FIXTURES
from tests.ingest.helpers import add_fixture_accounts, rows, scalar


def _setup(workspace, cli):
    add_fixture_accounts(workspace)
    with transaction(workspace.sessions) as session:
        add_member(session, name="阿敏", role="moderator", accounts=["chengji_lab"])
        add_member(session, name="Lena", role="manager", accounts=["chengji_lab"])
    result = cli("import", str(FIXTURES / "classic"), str(FIXTURES / "api"), "--account", "chengji_lab")
    assert result.exit_code == 0, result.output
    return result


def test_import_triages_in_the_same_run(workspace, cli):
    result = _setup(workspace, cli)
    assert "closed: we replied" in result.output
    # every comment, mention and DM not written by us has exactly one item
    assert scalar(workspace, "SELECT count(*) FROM inbox_item WHERE channel = 'comment'") == \
        scalar(workspace, "SELECT count(*) FROM comment WHERE is_ours = :f", f=False)
    assert scalar(workspace, "SELECT count(*) FROM inbox_item WHERE channel = 'dm'") == 2
    # our reply closed the question it answered, with the response time
    answered = rows(workspace, """SELECT i.status, i.response_seconds FROM inbox_item i
                                  JOIN comment c ON c.id = i.source_id AND i.channel = 'comment'
                                  WHERE c.platform_id = 'c0000000000000000000001a'""")
    assert answered == [("replied", 1000)]
    dm = rows(workspace, "SELECT status, response_seconds FROM inbox_item WHERE channel = 'dm' ORDER BY received_at")
    assert dm == [("replied", 3000), ("replied", 1000)]


def test_complaint_is_urgent_with_reasons_and_assigned(workspace, cli):
    _setup(workspace, cli)
    with transaction(workspace.sessions) as session:
        items = open_items(session, account="chengji_lab", limit=100)
    complaint = next(i for i in items if "烂脸" in i["text"])
    assert complaint["tier"] == "urgent"
    with in_language("en"):
        reasons = " ".join(reason_text(r) for r in complaint["reasons"])
    assert "烂脸" in reasons and "过敏和烂脸列为紧急" in reasons
    with in_language("zh"):
        reasons = " ".join(reason_text(r) for r in complaint["reasons"])
    assert "规则“过敏和烂脸列为紧急”：烂脸" in reasons and "紧急" in reasons and "→ urgent" not in reasons
    assert complaint["status"] == "assigned"
    # the least-open rule spreads items over both on-duty members
    assert scalar(workspace, "SELECT count(DISTINCT assignee_id) FROM inbox_item WHERE assignee_id IS NOT NULL") == 2
    # what to answer first first (inbox.priority): urgent work that is due, then by tier, each by time left
    from datetime import datetime

    from fandesk.inbox.priority import RANKS, rank_of

    now = datetime.now(UTC).replace(tzinfo=None)
    order = [(RANKS.index(rank_of(i["tier"], datetime.fromisoformat(i["reply_by"]), now)), i["reply_by"])
             for i in items]
    assert order == sorted(order) and order[0][0] == 0


def test_spam_is_hidden_queued_and_undoable(workspace, cli):
    _setup(workspace, cli)
    with transaction(workspace.sessions) as session:
        spam = session.scalars(select(InboxItem).where(InboxItem.text.like("%加V%"))).one()
        assert spam.hidden and spam.spam
        assert session.scalars(select(PlatformAction.status).where(PlatformAction.item_id == spam.id)).all() == [
            "queued"]
        hide = session.scalars(select(TriageAction).where(TriageAction.item_id == spam.id,
                                                          TriageAction.action == "hide")).one()
        assert hide.rule == "隐藏垃圾评论和引流"
        assert all(i["id"] != spam.id for i in open_items(session, limit=100))
        undo_action(session, action_id=hide.id)
    with transaction(workspace.sessions) as session:
        spam = session.get(InboxItem, spam.id)
        assert not spam.hidden
        assert session.scalars(select(PlatformAction.status).where(PlatformAction.item_id == spam.id)).all() == [
            "cancelled"]
        assert any(i["id"] == spam.id for i in open_items(session, limit=100))


def test_retriage_after_rule_change_keeps_peoples_decisions(workspace, cli):
    _setup(workspace, cli)
    with transaction(workspace.sessions) as session:
        praise = session.scalars(select(InboxItem).where(InboxItem.text.like("yyds%"))).one()
        question = session.scalars(select(InboxItem).where(InboxItem.text.like("那干皮呢%"))).one()
        closed = session.scalars(select(InboxItem).where(InboxItem.text.like("%孕妇%"))).one()
        lena, everywhere = 2, [praise.account_id, closed.account_id]
        act_on_item(session, item_id=praise.id, account_ids=everywhere, member_id=lena, action="tier", tier="routine")
        act_on_item(session, item_id=praise.id, account_ids=everywhere, member_id=lena, action="assign",
                    assignee_id=lena)
        act_on_item(session, item_id=closed.id, account_ids=everywhere, member_id=lena, action="close")
        ids = (praise.id, question.id, closed.id)
    rules = workspace.settings.workspace / "new-rules.toml"
    rules.write_text(DEFAULT_RULES + '\n[[rule]]\nname = "Everything about skin"\nkind = "keyword_alert"\n'
                                     'words = ["回购", "干皮", "孕妇"]\ntier = "urgent"\n', encoding="utf-8")
    assert cli("rules", "set", str(rules)).exit_code == 0
    result = cli("triage", "--all")
    assert result.exit_code == 0, result.output
    with transaction(workspace.sessions) as session:
        praise, question, closed = (session.get(InboxItem, i) for i in ids)
        assert (praise.tier, praise.assignee_id) == ("routine", lena)  # a person's tier and assignee stay
        assert question.tier == "urgent"  # the rule's new decision applies where nobody decided
        assert "Everything about skin" in question.reasons
        assert closed.status == "closed"


def test_corrections_become_labels(workspace, cli):
    _setup(workspace, cli)
    with transaction(workspace.sessions) as session:
        item = session.scalars(select(InboxItem).where(InboxItem.text.like("yyds%"))).one()
        correct(session, item_id=item.id, field_name="category", value="ugc_share")
    result = cli("label", str(item.id), "--sentiment", "positive")
    assert result.exit_code == 0, result.output
    labels = rows(workspace, "SELECT field, value, text FROM label ORDER BY field")
    assert labels == [("category", "ugc_share", item.text), ("sentiment", "positive", item.text)]
    assert json.loads(scalar(workspace, "SELECT categories FROM inbox_item WHERE id = :i", i=item.id))[0] == "ugc_share"
    bad = cli("label", str(item.id), "--category", "gossip")
    assert bad.exit_code == 2 and "gossip" in bad.output


def test_inbox_command_lists_and_filters(workspace, cli):
    _setup(workspace, cli)
    as_json = cli("inbox", "--json", "--tier", "urgent")
    assert as_json.exit_code == 0, as_json.output
    items = [json.loads(line) for line in as_json.output.splitlines()]
    assert items and all(i["tier"] == "urgent" for i in items)
    assert {"id", "text", "reply_by", "state", "reasons"} <= set(items[0])
    table = cli("inbox", "--account", "chengji_lab")
    assert table.exit_code == 0 and "urgent" in table.output
    assert cli("inbox", "--tier", "soon").exit_code == 2


def test_business_hours_move_reply_by_to_the_next_opening(workspace, cli):
    add_fixture_accounts(workspace)
    assert cli("account", "hours", "chengji_lab", "mon-fri 09:00-18:00").exit_code == 0
    assert cli("import", str(FIXTURES / "classic" / "creator_comments_2026-11-20.jsonl"),
               "--account", "chengji_lab").exit_code == 0
    # 用了一周烂脸了 arrived 2025-11-13 03:20 UTC (11:20 Shanghai, Thursday): due 13:20 local, inside hours
    assert str(scalar(workspace, "SELECT reply_by FROM inbox_item WHERE text LIKE '%烂脸%'")).startswith(
        "2025-11-13 05:20")
    # the picture-only comment arrived Friday 2025-11-14 15:23 local; routine 4 h → 19:23, after closing:
    # Monday 09:00 local = 01:00 UTC
    assert str(scalar(workspace, "SELECT reply_by FROM inbox_item WHERE text = ''")).startswith("2025-11-17 01:00")


def test_rich_markup_in_user_text_prints_as_text(workspace, cli, tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "300")
    add_fixture_accounts(workspace)
    hostile = tmp_path / "c.jsonl"
    hostile.write_text(json.dumps({"comment_id": "h1", "create_time": 1763001000000, "note_id": "n1",
                                   "content": "[bold red]假货[/] [link=http://x]点我[/link] <script>alert(1)</script>",
                                   "user_id": "u1", "nickname": "[blink]坏人[/blink]", "parent_comment_id": 0}),
                       encoding="utf-8")
    assert cli("import", str(hostile), "--account", "chengji_lab").exit_code == 0
    listed = cli("inbox", "--limit", "5")
    assert listed.exit_code == 0
    assert "[bold red]假货" in listed.output
    assert "[blink]坏人[/blink]" in listed.output
