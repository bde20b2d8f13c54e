"""Bad input: one clear message naming file, record and field; a non-zero exit; nothing written.
With --skip-bad the good records land and every bad one is kept, with its reason, in a rejects file."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.ingest.helpers import add_fixture_accounts, scalar, snapshot

GOOD = {"comment_id": "g1", "create_time": 1763001000000, "note_id": "6650a1b2c3d4e5f600000001",
        "content": "绝绝子[赞R]", "user_id": "u1", "nickname": "小鹿", "parent_comment_id": 0, "like_count": "3"}


def _jsonl(path: Path, records) -> Path:
    path.write_text("\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records) + "\n",
                    encoding="utf-8")
    return path


def _refused(workspace, cli, *args, expect: list[str]):
    before = snapshot(workspace)
    result = cli("import", *args, "--account", "chengji_lab")
    assert result.exit_code == 2, result.output
    for word in expect:
        assert word in result.output, result.output
    assert snapshot(workspace) == before
    return result


@pytest.fixture
def ready(workspace, cli):
    add_fixture_accounts(workspace)
    return workspace


def test_truncated_json_array(ready, cli, tmp_path):
    text = (FIXTURES / "teaching" / "creator_comments_2026-11-20.json").read_text(encoding="utf-8")
    cut = tmp_path / "creator_comments_cut.json"
    cut.write_text(text[: len(text) * 2 // 3], encoding="utf-8")
    _refused(ready, cli, str(cut), expect=["creator_comments_cut.json", "record 3", "cut short"])


def test_truncated_jsonl_line(ready, cli, tmp_path):
    path = tmp_path / "comments.jsonl"
    path.write_text(json.dumps(GOOD) + "\n" + json.dumps(dict(GOOD, comment_id="g2"))[:40], encoding="utf-8")
    _refused(ready, cli, str(path), expect=["comments.jsonl", "line 2", "cut short"])


def test_record_missing_its_id(ready, cli, tmp_path):
    path = _jsonl(tmp_path / "c.jsonl", [GOOD, {k: v for k, v in GOOD.items() if k != "comment_id"} | {"x": 1}])
    _refused(ready, cli, str(path), expect=["c.jsonl", "line 2", "comment_id", "missing id"])


def test_timestamp_in_the_future(ready, cli, tmp_path):
    path = _jsonl(tmp_path / "c.jsonl", [dict(GOOD, create_time=int(time.time() * 1000) + 10 * 86400_000)])
    _refused(ready, cli, str(path), expect=["line 1", "create_time", "in the future", "clock"])


def test_timestamp_in_seconds_instead_of_milliseconds(ready, cli, tmp_path):
    path = _jsonl(tmp_path / "c.jsonl", [dict(GOOD, create_time=1763001000)])
    _refused(ready, cli, str(path), expect=["line 1", "create_time", "looks like seconds"])


def test_wrong_column_set(ready, cli, tmp_path):
    path = tmp_path / "export.csv"
    path.write_text("日期,销量,备注\n2026-11-01,3,好\n", encoding="utf-8")
    _refused(ready, cli, str(path), expect=["export.csv", "日期", "not MediaCrawler's"])
    forced = _refused(ready, cli, str(path), "--format", "mediacrawler", expect=["line 2", "日期"])
    assert "MediaCrawler" in forced.output


def test_empty_file(ready, cli, tmp_path):
    path = tmp_path / "empty.jsonl"
    path.write_bytes(b"")
    _refused(ready, cli, str(path), expect=["empty.jsonl", "empty"])


def test_binary_file_found_out_without_reading_it_all(ready, cli, tmp_path):
    path = tmp_path / "video.mp4.json"
    with path.open("wb") as handle:
        handle.write(b"\x00\x00\x00\x18ftypmp42" + bytes(range(256)) * 10)
        handle.truncate(2 * 1024**3)  # a sparse 2 GB file
    read_before = _bytes_read()
    _refused(ready, cli, str(path), expect=["video.mp4.json", "binary"])
    assert _bytes_read() - read_before < 16 * 1024**2


def _bytes_read() -> int:
    for line in Path("/proc/self/io").read_text().splitlines():
        if line.startswith("rchar:"):
            return int(line.split()[1])
    raise AssertionError("no /proc/self/io")


def test_one_bad_file_among_good_ones_changes_nothing(ready, cli, tmp_path):
    bad = _jsonl(tmp_path / "bad.jsonl", [dict(GOOD, comment_id="g9", create_time="昨天")])
    _refused(ready, cli, str(FIXTURES / "classic"), str(bad), expect=["bad.jsonl", "create_time", "昨天"])
    assert scalar(ready, "SELECT count(*) FROM comment") == 0


def test_skip_bad_lands_good_records_and_writes_rejects(ready, cli, tmp_path):
    path = _jsonl(tmp_path / "c.jsonl", [GOOD, dict(GOOD, comment_id="g2", like_count="很多"),
                                         dict(GOOD, comment_id="g3", create_time=1763001000),
                                         dict(GOOD, comment_id="g4", content="yyds 回购")])
    result = cli("import", str(path), "--account", "chengji_lab", "--skip-bad")
    assert result.exit_code == 0, result.output
    assert scalar(ready, "SELECT count(*) FROM comment") == 2
    rejects = list((ready.settings.workspace / "rejects").glob("*.jsonl"))
    assert len(rejects) == 1 and str(rejects[0]) in result.output.replace("\n", "")
    lines = [json.loads(line) for line in rejects[0].read_text(encoding="utf-8").splitlines()]
    assert [(r["where"], r["field"]) for r in lines] == [("line 2", "like_count"), ("line 3", "create_time")]
    assert all(r["file"] == str(path) for r in lines)


# Runs `fandesk import ...` and kills itself (SIGKILL) inside the Nth write step, before it commits:
# deterministic, whatever the machine's speed. N = 0 kills it in the first pass, before any write.
KILLED_AT = """
import os, signal, sys
import fandesk.ingest.check as check
import fandesk.ingest.store as store
step = int(os.environ["KILL_AT_STEP"])
if step == 0:
    checked = check.Preflight.check
    def check_then_die(self, *args, **kwargs):
        checked(self, *args, **kwargs)
        os.kill(os.getpid(), signal.SIGKILL)
    check.Preflight.check = check_then_die
else:
    finish, steps = store.ImportWriter.finish, []
    def finish_or_die(self):
        counts = finish(self)
        steps.append(1)
        if len(steps) == step:
            os.kill(os.getpid(), signal.SIGKILL)
        return counts
    store.ImportWriter.finish = finish_or_die
from fandesk.cli import main
sys.argv = ["fandesk", *sys.argv[1:]]
main()
"""
KILL_RECORDS = 30_000
KILL_PEOPLE = 700


@pytest.fixture(scope="module")
def big_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("kill") / "big.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for i in range(KILL_RECORDS):
            parent = f"k{i - 1 - (i % 7)}" if i % 3 and i > 10 else 0
            handle.write(json.dumps(dict(GOOD, comment_id=f"k{i}", user_id=f"u{i % KILL_PEOPLE}",
                                         nickname=f"用户{i % KILL_PEOPLE}", content=f"过敏烂脸了 {i}" if i % 5 else "好用",
                                         note_id=f"note{i % 40}" if not parent else f"note{(i - 1 - (i % 7)) % 40}",
                                         parent_comment_id=parent, create_time=1763001000000 + i * 1000),
                                    ensure_ascii=False) + "\n")
    return path


@pytest.mark.parametrize(("kill_at", "triage"), [(0, False), (3, False), (5, True)],
                         ids=["in the first pass", "in the third write step", "in the fifth step, with triage"])
def test_killed_import_then_rerun_equals_one_clean_import(ready, big_file, kill_at, triage):
    from fandesk.pipeline import CHUNK_RECORDS

    command = [sys.executable, "-c", KILLED_AT, "--workspace", str(ready.settings.workspace), "import",
               str(big_file), "--account", "chengji_lab", *([] if triage else ["--no-triage"])]
    env = dict(os.environ, KILL_AT_STEP=str(kill_at))
    killed = subprocess.run(command, env=env, capture_output=True, text=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    # what the killed import left is whole: the steps before the kill, each complete
    written = max(0, kill_at - 1) * CHUNK_RECORDS
    assert scalar(ready, "SELECT count(*) FROM comment") == written
    assert scalar(ready, "SELECT count(*) FROM comment WHERE root_id IS NULL") == 0
    assert scalar(ready, "SELECT count(*) FROM interaction") == written
    if triage:
        assert scalar(ready, "SELECT count(*) FROM inbox_item") == written  # every visible comment has its item
    finished = subprocess.run(command, env=dict(os.environ, KILL_AT_STEP="-1"), capture_output=True, text=True)
    assert finished.returncode == 0, finished.stderr
    assert scalar(ready, "SELECT count(*) FROM comment") == KILL_RECORDS
    assert scalar(ready, "SELECT count(*) FROM comment WHERE root_id IS NULL") == 0
    assert scalar(ready, "SELECT count(*) FROM person") == KILL_PEOPLE
    assert scalar(ready, "SELECT count(*) FROM interaction") == KILL_RECORDS
    # the stopped file's import run was finished by the second run, not repeated
    assert scalar(ready, "SELECT count(*) FROM import_run") == 1
    assert scalar(ready, "SELECT count(*) FROM import_run WHERE finished_at IS NULL") == 0
    if triage:
        assert scalar(ready, "SELECT count(*) FROM inbox_item") == KILL_RECORDS
        assert scalar(ready, "SELECT count(DISTINCT source_id) FROM inbox_item") == KILL_RECORDS
