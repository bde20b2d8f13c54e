"""Importing a file again leaves crises as they were: the same records, the same evidence, the same
windows, also when an earlier import already recorded a spike that the file's data now places inside
a longer episode (issue 10, item 8)."""

from __future__ import annotations

import json

from sqlalchemy import text

from tests.ingest.helpers import add_fixture_accounts

T0 = 1763000000000  # 2025-11-13 02:13 UTC
HOUR = 3600_000
DAY = 24 * HOUR
NEGATIVE = "用了烂脸了，踩雷，太失望了"


def _write(path, records):
    lines = [json.dumps({"comment_id": cid, "create_time": ms, "note_id": note, "content": content,
                         "user_id": f"u{n % 40}", "nickname": f"用户{n % 40}", "parent_comment_id": 0,
                         "like_count": 0}, ensure_ascii=False)
             for n, (cid, ms, note, content) in enumerate(records)]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _quiet_weeks():
    """Fifteen quiet days: one neutral comment a day, so hourly negatives have a flat baseline."""
    return [(f"q{d}", T0 + d * DAY, f"note-q{d}", "收藏了") for d in range(15)]


def _burst(prefix, at_ms, count=6):
    """`count` negative comments within one hour, each on its own note (a spike, not a thread crisis)."""
    return [(f"{prefix}{i}", at_ms + i * 60_000, f"note-{prefix}{i}", NEGATIVE) for i in range(count)]


def crises(workspace):
    """Every crisis with its window and evidence, as the desk shows them."""
    with workspace.engine.connect() as conn:
        records = conn.execute(text("SELECT id, account_id, note_id, trigger, status, window_start, window_end, "
                                    "evidence FROM crisis ORDER BY id")).all()
        evidence = conn.execute(text("SELECT e.crisis_id, c.platform_id FROM crisis_evidence e "
                                     "JOIN comment c ON c.id = e.comment_id ORDER BY e.crisis_id, c.platform_id")).all()
    return [tuple(map(str, r)) for r in records], [tuple(map(str, r)) for r in evidence]


def test_the_same_file_twice_leaves_crises_as_they_were(workspace, cli, tmp_path):
    add_fixture_accounts(workspace)
    spike_at = T0 + 15 * DAY + 10 * HOUR
    everything = _write(tmp_path / "all.jsonl", _quiet_weeks() + _burst("a", spike_at) + _burst("b", spike_at - 5 * HOUR))
    assert cli("import", str(everything), "--account", "chengji_lab").exit_code == 0
    first = crises(workspace)
    assert [r[3] for r in first[0]] == ["negative_spike"] and len(first[1]) == 12
    assert cli("import", str(everything), "--account", "chengji_lab").exit_code == 0
    assert crises(workspace) == first


def test_a_file_that_reaches_back_before_a_recorded_spike_changes_nothing_the_second_time(workspace, cli, tmp_path):
    """The older crawl recorded the spike at 10:00; the newer file also holds negatives at 05:00. Its
    second import must not stretch a crisis over the other or give the 10:00 comments to both."""
    add_fixture_accounts(workspace)
    spike_at = T0 + 15 * DAY + 10 * HOUR
    older = _write(tmp_path / "older.jsonl", _quiet_weeks() + _burst("a", spike_at))
    newer = _write(tmp_path / "newer.jsonl", _quiet_weeks() + _burst("a", spike_at) + _burst("b", spike_at - 5 * HOUR))
    assert cli("import", str(older), "--account", "chengji_lab").exit_code == 0
    assert cli("import", str(newer), "--account", "chengji_lab").exit_code == 0
    after_first = crises(workspace)
    records, evidence = after_first
    # each negative comment is evidence of one crisis only
    assert len(evidence) == 12 and len({comment for _, comment in evidence}) == 12
    for _ in range(2):
        assert cli("import", str(newer), "--account", "chengji_lab").exit_code == 0
        assert crises(workspace) == after_first
