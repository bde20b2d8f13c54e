"""Stopping the server stops it: a closed terminal (SIGHUP), SIGTERM and Ctrl-C end `fandesk serve`'s
parent and its workers, and the port is free again; a worker whose parent is killed outright ends too."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc for the worker processes")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _children(pid: int) -> set[int]:
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.add(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _answers(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _wait(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.fixture
def served(workspace):
    """`fandesk serve` with two workers, as a user starts it; yields (parent, port, worker pids)."""
    port = _free_port()
    fandesk = Path(sys.executable).with_name("fandesk")
    parent = subprocess.Popen([str(fandesk), "--workspace", str(workspace.settings.workspace), "serve",
                               "--port", str(port), "--workers", "2"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=os.environ.copy())
    try:
        assert _wait(lambda: _answers(port) and len(_children(parent.pid)) >= 2, 60), "the server did not start"
        workers = _children(parent.pid)
        yield parent, port, workers
    finally:
        for pid in [parent.pid, *_children(parent.pid)]:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        parent.wait(10)


@pytest.mark.parametrize("sig", [signal.SIGHUP, signal.SIGTERM, signal.SIGINT], ids=["SIGHUP", "SIGTERM", "SIGINT"])
def test_a_signal_to_the_parent_ends_it_and_its_workers_and_frees_the_port(served, sig):
    parent, port, workers = served
    os.kill(parent.pid, sig)
    assert parent.wait(15) == 0 or parent.returncode is not None
    assert _wait(lambda: not any(_alive(pid) for pid in workers), 10), "a worker outlived its parent"
    assert _wait(lambda: not _answers(port), 5), "the port still answers"


def test_workers_end_when_their_parent_is_killed_outright(served):
    parent, port, workers = served
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait(10)
    assert _wait(lambda: not any(_alive(pid) for pid in workers), 10), "a worker outlived its killed parent"
    assert _wait(lambda: not _answers(port), 5)
