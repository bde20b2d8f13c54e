"""History is history, and the queue says what to answer first (issue #12, point 1): a backfill of months
leaves the last week's unanswered comments open and the rest history (answered ones keep their response
times for the metrics); a fresh urgent complaint is above old routine work however late that is."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from fandesk.db import transaction
from fandesk.inbox.models import InboxItem
from fandesk.workspace.models import Account
from tests.ingest.helpers import scalar
from tests.web.factories import make_comment, make_person


def _backfill(workspace, *, days: int = 60, now: datetime) -> None:
    """One comment a day for `days` days, and our reply to every third one an hour later."""
    from fandesk.content.models import Note
    from fandesk.workspace.service import add_account

    with transaction(workspace.sessions) as session:
        account = add_account(session, handle="brand_a", name="品牌A")
        note = Note(account_id=account.id, platform_id="n1", title="秋冬修护", created_at=now - timedelta(days=days + 1))
        session.add(note)
        session.flush()
        fan = make_person(session, "小鹿")
        for day in range(days):
            at = now - timedelta(days=day, hours=1)
            comment = make_comment(session, account_id=account.id, note_id=note.id, person_id=fan.id,
                                   text=f"第{day}天：这个精华敏感肌能用吗[哭惹R]", at=at)
            if day % 3 == 0:
                make_comment(session, account_id=account.id, note_id=note.id, person_id=None, ours=True,
                             text="可以的哦～", parent=comment, at=at + timedelta(hours=1))


def test_a_backfill_leaves_a_week_of_work_and_the_rest_is_history(workspace, cli):
    now = datetime.now(UTC).replace(tzinfo=None)
    _backfill(workspace, now=now)
    result = cli("triage")
    assert result.exit_code == 0, result.output
    assert "history: before the desk start" in result.output
    with transaction(workspace.sessions) as session:
        desk_start = session.scalar(select(Account.desk_start))
        newest = session.scalar(select(InboxItem.received_at).order_by(InboxItem.received_at.desc()).limit(1))
        assert desk_start == newest - timedelta(days=7)
        open_items = session.scalars(select(InboxItem).where(InboxItem.status.in_(("new", "assigned")))).all()
        assert open_items and all(i.received_at >= desk_start for i in open_items)
        # the week's unanswered: 7 days, every third answered
        assert len(open_items) == sum(1 for day in range(8) if day % 3 and now - timedelta(days=day, hours=1)
                                      >= desk_start)
    # answered history is answered, with its response time: the metrics count the past as it was
    assert scalar(workspace, "SELECT count(*) FROM inbox_item WHERE status = 'replied'") == 20
    assert scalar(workspace, "SELECT min(response_seconds) FROM inbox_item WHERE status = 'replied'") == 3600
    assert scalar(workspace, "SELECT count(*) FROM inbox_item WHERE status = 'history'") == 60 - 20 - len(open_items)
    # a second triage changes nothing
    assert cli("triage").exit_code == 0
    assert scalar(workspace, "SELECT count(*) FROM inbox_item WHERE status = 'new' OR status = 'assigned'") == \
        len(open_items)


def test_moving_the_desk_start_brings_history_back_to_work_and_back(workspace, cli):
    now = datetime.now(UTC).replace(tzinfo=None)
    _backfill(workspace, now=now)
    assert cli("triage").exit_code == 0
    week = scalar(workspace, "SELECT count(*) FROM inbox_item WHERE status IN ('new', 'assigned')")
    earlier = (now - timedelta(days=30)).strftime("%Y-%m-%d")
    moved = cli("account", "desk-start", "brand_a", earlier)
    assert moved.exit_code == 0, moved.output
    month = scalar(workspace, "SELECT count(*) FROM inbox_item WHERE status IN ('new', 'assigned')")
    assert month > week and "back to work" in moved.output
    assert cli("account", "desk-start", "brand_a", now.strftime("%Y-%m-%dT%H:%M")).exit_code == 0
    assert scalar(workspace, "SELECT count(*) FROM inbox_item WHERE status IN ('new', 'assigned')") == 0
    shown = cli("account", "desk-start", "brand_a")
    assert "the desk starts" in shown.output and "Asia/Shanghai" in shown.output
    bad = cli("account", "desk-start", "brand_a", "next tuesday")
    assert bad.exit_code == 2 and "2026-11-20T08:00" in bad.output
    future = cli("account", "desk-start", "brand_a", (now + timedelta(days=3)).strftime("%Y-%m-%d"))
    assert future.exit_code == 2 and "future" in future.output
    assert scalar(workspace, "SELECT count(*) FROM audit_event WHERE action = 'account.desk_start'") == 2
