"""Crisis detection: 14 vs 15 negative comments on a thread, spikes on flat and noisy baselines, flags."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import text

from fandesk.crisis.service import detect_crises, flag_thread
from fandesk.db import transaction
from tests.ingest.helpers import add_fixture_accounts, rows, scalar

T0 = 1763000000000  # 2025-11-13 02:13 UTC
HOUR = 3600_000


def _comments(workspace, cli, tmp_path, specs):
    """specs: (note, ms, negative?) → imported comments whose items carry that sentiment."""
    path = tmp_path / "comments.jsonl"
    lines = [json.dumps({"comment_id": f"k{i}", "create_time": ms, "note_id": note, "content": f"评论{i}",
                         "user_id": f"u{i % 50}", "nickname": f"用户{i % 50}", "parent_comment_id": 0,
                         "like_count": 0}, ensure_ascii=False) for i, (note, ms, _) in enumerate(specs)]
    path.write_text("\n".join(lines), encoding="utf-8")
    assert cli("import", str(path), "--account", "chengji_lab").exit_code == 0
    negatives = [f"k{i}" for i, (_, _, negative) in enumerate(specs) if negative]
    with workspace.engine.begin() as conn:
        conn.execute(text("UPDATE inbox_item SET sentiment = 'neutral'"))
        for pid in negatives:
            conn.execute(text("""UPDATE inbox_item SET sentiment = 'negative' WHERE channel = 'comment'
                                 AND source_id = (SELECT id FROM comment WHERE platform_id = :p)"""), {"p": pid})


def _detect(workspace):
    with transaction(workspace.sessions) as session:
        return detect_crises(session, now=datetime(2026, 11, 24))


def test_fourteen_negative_comments_are_not_a_crisis_fifteen_are(workspace, cli, tmp_path):
    add_fixture_accounts(workspace)
    specs = [("note-a", T0 + i * HOUR, True) for i in range(14)]
    specs += [("note-b", T0 + i * HOUR, True) for i in range(15)]
    specs += [("note-b", T0 + 30 * HOUR + i, False) for i in range(5)]
    _comments(workspace, cli, tmp_path, specs)
    assert _detect(workspace) == 1
    crisis = rows(workspace, "SELECT n.platform_id, c.trigger, c.evidence FROM crisis c JOIN note n ON n.id = c.note_id")
    assert [(n, t) for n, t, _ in crisis] == [("note-b", "negative_thread")]
    assert json.loads(crisis[0][2])["negative_comments"] == 15
    assert scalar(workspace, "SELECT count(*) FROM crisis_evidence") == 15
    # the thread's open items are escalated to the manager, with the crisis as the reason
    assert scalar(workspace, """SELECT count(*) FROM inbox_item i JOIN note n ON n.id = i.note_id
                                WHERE n.platform_id = 'note-b' AND i.escalated""") >= 15
    assert _detect(workspace) == 0  # not opened twice


def test_fifteen_negatives_spread_over_days_are_not_a_thread_crisis(workspace, cli, tmp_path):
    add_fixture_accounts(workspace)
    _comments(workspace, cli, tmp_path, [("note-a", T0 + i * 6 * HOUR, True) for i in range(15)])
    assert _detect(workspace) == 0


def test_spike_on_a_flat_baseline(workspace, cli, tmp_path):
    add_fixture_accounts(workspace)
    quiet = [(f"note-{d}", T0 + d * 24 * HOUR, False) for d in range(14)]
    burst = [(f"note-x{i}", T0 + 14 * 24 * HOUR + i * 1000, True) for i in range(6)]
    _comments(workspace, cli, tmp_path, quiet + burst)
    assert _detect(workspace) == 1
    trigger, evidence = rows(workspace, "SELECT trigger, evidence FROM crisis")[0]
    assert trigger == "negative_spike"
    assert json.loads(evidence)["negatives"] == 6 and json.loads(evidence)["z"] >= 3


def test_same_hour_on_a_noisy_baseline_is_no_spike(workspace, cli, tmp_path):
    add_fixture_accounts(workspace)
    specs = []
    for hour in range(14 * 24):
        for k in range((hour * 7) % 9):  # 0..8 negatives an hour, mean 4
            specs.append((f"note-{hour % 20}", T0 + hour * HOUR + k * 1000, True))
    specs += [(f"note-y{i}", T0 + 14 * 24 * HOUR + i * 1000, True) for i in range(6)]
    _comments(workspace, cli, tmp_path, specs)
    with transaction(workspace.sessions) as session:
        detect_crises(session, now=datetime(2026, 11, 24))
    assert scalar(workspace, "SELECT count(*) FROM crisis WHERE trigger = 'negative_spike'") == 0


def test_a_flagged_thread_opens_a_crisis(workspace, cli, tmp_path):
    add_fixture_accounts(workspace)
    _comments(workspace, cli, tmp_path, [("note-f", T0, False)])
    note_id = scalar(workspace, "SELECT id FROM note WHERE platform_id = 'note-f'")
    with transaction(workspace.sessions) as session:
        flag_thread(session, note_id=note_id, member_id=None, reason="有人在带节奏说假货", now=datetime(2026, 11, 24))
    assert _detect(workspace) == 1
    assert json.loads(scalar(workspace, "SELECT evidence FROM crisis WHERE trigger = 'flagged'"))["reasons"] == [
        "有人在带节奏说假货"]
