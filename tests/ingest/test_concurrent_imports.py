"""Two imports at once on one workspace (SQLite and PostgreSQL): the second says that another import is
running, whose, and waits; both finish; the workspace holds what importing one after the other gives.
Before the import lock, the second failed with `database is locked` after 30 s on SQLite."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tests.ingest.helpers import add_fixture_accounts, scalar
from tests.ingest.test_bad_input import GOOD

# `fandesk import ...` that, once its first write step is done and the lock is its, says so in HELD_FILE
# and waits for GO_FILE while still inside that step's transaction (as an import is, most of its time).
HOLDS_AFTER_FIRST_STEP = """
import os, sys, time
from pathlib import Path
import fandesk.ingest.store as store
finish, steps = store.ImportWriter.finish, []
def finish_then_hold(self):
    counts = finish(self)
    steps.append(1)
    if len(steps) == 1:
        Path(os.environ["HELD_FILE"]).touch()
        deadline = time.monotonic() + 300
        while not Path(os.environ["GO_FILE"]).exists() and time.monotonic() < deadline:
            time.sleep(0.05)
    return counts
store.ImportWriter.finish = finish_then_hold
from fandesk.cli import main
sys.argv = ["fandesk", *sys.argv[1:]]
main()
"""
FANDESK = "import sys; from fandesk.cli import main; sys.argv = ['fandesk', *sys.argv[1:]]; main()"
RECORDS = 6000  # three write steps each
PEOPLE = 300
WAIT = 300


def _crawl(path: Path, first: int, last: int) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for i in range(first, last):
            handle.write(json.dumps(dict(GOOD, comment_id=f"k{i}", user_id=f"u{i % PEOPLE}", nickname=f"用户{i % PEOPLE}",
                                         note_id=f"note{i % 30}", content=f"过敏烂脸了 {i}" if i % 5 else "好用",
                                         create_time=1763001000000 + i * 1000), ensure_ascii=False) + "\n")
    return path


class Stderr:
    """A process's stderr, read as it comes (a thread), so the test can wait for a message."""

    def __init__(self, process: subprocess.Popen):
        self.text = ""
        self.thread = threading.Thread(target=self._read, args=(process,), daemon=True)
        self.thread.start()

    def _read(self, process):
        for line in process.stderr:
            self.text += line

    def flat(self) -> str:
        return " ".join(self.text.split())


def _wait_for(condition, what: str, *processes: tuple[subprocess.Popen, Stderr]) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline or any(p.poll() not in (None, 0) for p, _ in processes):
            pytest.fail(f"never saw {what}: " + " / ".join(err.text for _, err in processes))
        time.sleep(0.05)


def test_a_second_import_waits_for_the_first_says_so_and_both_land(workspace, tmp_path):
    add_fixture_accounts(workspace)
    monday = _crawl(tmp_path / "monday.jsonl", 0, RECORDS)
    tuesday = _crawl(tmp_path / "tuesday.jsonl", RECORDS // 2, RECORDS + RECORDS // 2)  # half the same, same people
    held, go = tmp_path / "held", tmp_path / "go"
    base = ["--workspace", str(workspace.settings.workspace), "import"]
    env = dict(os.environ, HELD_FILE=str(held), GO_FILE=str(go))
    first = subprocess.Popen([sys.executable, "-c", HOLDS_AFTER_FIRST_STEP, *base, str(monday), "--account",
                              "chengji_lab"], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first_err = Stderr(first)
    try:
        _wait_for(held.exists, "the first import's first write step", (first, first_err))
        second = subprocess.Popen([sys.executable, "-c", FANDESK, *base, str(tuesday), "--account", "chengji_lab"],
                                  env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        second_err = Stderr(second)
        _wait_for(lambda: "waiting for it to finish" in second_err.flat(), "the second import waiting",
                  (first, first_err), (second, second_err))
        go.touch()
        first_out = first.communicate(timeout=WAIT)[0]
        second_out = second.communicate(timeout=WAIT)[0]
    finally:
        go.touch()
        for process in (first, *([second] if "second" in locals() else [])):
            if process.poll() is None:
                process.kill()
    first_err.thread.join(5)
    second_err.thread.join(5)
    assert first.returncode == 0, first_err.text
    assert second.returncode == 0, second_err.text
    assert f"another import is running (pid {first.pid}," in second_err.flat()
    for output in (first_out, second_out, first_err.text, second_err.text):
        assert "database is locked" not in output
    # what one import after the other gives: every comment, person, interaction and inbox item once
    everything = RECORDS + RECORDS // 2
    assert scalar(workspace, "SELECT count(*) FROM comment") == everything
    assert scalar(workspace, "SELECT count(DISTINCT platform_id) FROM comment") == everything
    assert scalar(workspace, "SELECT count(*) FROM person") == PEOPLE
    assert scalar(workspace, "SELECT count(*) FROM interaction") == everything
    assert scalar(workspace, "SELECT count(*) FROM inbox_item") == everything
    assert scalar(workspace, "SELECT count(DISTINCT source_id) FROM inbox_item") == everything
    assert scalar(workspace, "SELECT count(*) FROM import_run WHERE finished_at IS NOT NULL") == 2
    row = next(line for line in second_out.splitlines() if "comment" in line)
    assert [cell.strip() for cell in row.split("│")[2:6]] == [f"{RECORDS // 2:,}", "0", f"{RECORDS // 2:,}", "0"]
