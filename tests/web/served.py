"""`fandesk serve` in a subprocess over the test workspace, for tests that need real parallel requests
against the served app (several worker processes, a real socket, real client addresses)."""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@contextlib.contextmanager
def serving(workspace, *, workers: int = 2, port: int | None = None) -> Iterator[str]:
    """Serve the workspace as a user would (`fandesk serve`); yields the base URL and stops the server
    and its workers afterwards. The environment (database, no FANDESK_SECRET_KEY) is the test's."""
    port = port or free_port()
    fandesk = Path(sys.executable).with_name("fandesk")
    log_path = workspace.settings.workspace / f"serve-{port}.log"
    log = log_path.open("wb")
    server = subprocess.Popen([str(fandesk), "--workspace", str(workspace.settings.workspace), "serve",
                               "--port", str(port), "--workers", str(workers)],
                              stdout=log, stderr=log, env=os.environ.copy(), start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while not _answers(port):
            if server.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("fandesk serve did not start: " + log_path.read_text()[-2000:])
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGKILL)
            server.wait(10)
        log.close()
