"""One import at a time per workspace: an import writes in many short transactions, and what its
writer remembers between them (ids it chose, people and threads it met) is only true while no other
import writes the same tables. A second import waits for the first and says so.

SQLite (one machine): an exclusive lock on a file beside the database. PostgreSQL (several machines):
a session-level advisory lock held by one connection for the whole import."""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import Engine

from fandesk.errors import Conflict

# pg_advisory_lock's key: any 64-bit number this application owns ("fandesk import" in ASCII hex).
ADVISORY_KEY = 0x66616E64_696D70
APPLICATION_PREFIX = "fandesk-import"  # + pid, since, host: PostgreSQL keeps 63 bytes of it
POLL_SECONDS = 0.5


def _holder() -> dict:
    return {"pid": os.getpid(), "host": socket.gethostname(),
            "since": datetime.now(UTC).replace(microsecond=0).isoformat()}


def describe(holder: dict | None) -> str:
    """'another import is running (pid 41, host desk-1, since 2026-12-01T08:00:00+00:00)'."""
    if not holder:
        return "another import is running"
    return (f"another import is running (pid {holder.get('pid')}, host {holder.get('host')}, "
            f"since {holder.get('since')})")


@contextmanager
def import_lock(engine: Engine, workspace: Path, *, on_wait: Callable[[str], None] | None = None,
                wait: bool = True) -> Iterator[None]:
    """Hold the workspace's import lock; if another import holds it, call `on_wait` once with who holds
    it and wait (or, with wait=False, raise Conflict)."""
    if engine.dialect.name == "postgresql":
        with _advisory(engine, workspace, on_wait=on_wait, wait=wait):
            yield
    else:
        with _file_lock(_lock_path(engine, workspace), on_wait=on_wait, wait=wait):
            yield


def _lock_path(engine: Engine, workspace: Path) -> Path:
    database = engine.url.database
    if database and database != ":memory:":
        return Path(database).with_name(Path(database).name + ".import-lock")
    return workspace / "import.lock"


@contextmanager
def _file_lock(path: Path, *, on_wait, wait: bool) -> Iterator[None]:
    import fcntl


    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as handle:
        told = False
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                handle.seek(0)
                try:
                    holder = json.loads(handle.read() or "null")
                except ValueError:
                    holder = None
                if not wait:
                    raise Conflict(f"{describe(holder)}: run this import again when it has finished") from None
                if not told and on_wait is not None:
                    on_wait(f"{describe(holder)}; waiting for it to finish")
                    told = True
                time.sleep(POLL_SECONDS)
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps(_holder()))
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


@contextmanager
def _advisory(engine: Engine, workspace: Path, *, on_wait, wait: bool) -> Iterator[None]:
    """The holder says who it is in its connection's application_name (pg_stat_activity shows it), so
    the waiting import names the process and machine that hold the lock, not a server backend."""
    with engine.connect() as connection:
        connection = connection.execution_options(isolation_level="AUTOCOMMIT")
        _name_holder(connection)  # before it may hold the lock, so no holder is ever nameless
        told = False
        while not connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_KEY}).scalar():
            row = connection.execute(text(
                "SELECT a.application_name, a.pid, a.client_addr, a.backend_start FROM pg_locks l "
                "JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted "
                "AND l.classid = :high AND l.objid = :low AND l.objsubid = 1 LIMIT 1"),
                {"high": ADVISORY_KEY >> 32, "low": ADVISORY_KEY & 0xFFFFFFFF}).first()
            described = describe(_holder_from(row) if row else None)
            if not wait:
                raise Conflict(f"{described}: run this import again when it has finished")
            if not told and on_wait is not None:
                on_wait(f"{described}; waiting for it to finish")
                told = True
            time.sleep(POLL_SECONDS)
        if told:
            _name_holder(connection)  # holding it since now
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_KEY})
            connection.execute(text("RESET application_name"))


def _name_holder(connection) -> None:
    holder = _holder()
    connection.execute(text("SELECT set_config('application_name', :name, false)"),
                       {"name": f"{APPLICATION_PREFIX} {holder['pid']} {holder['since']} {holder['host']}"})


def _holder_from(row) -> dict:
    """Who holds the lock, from its application_name (a holder that set none: its server backend)."""
    name, backend, address, started = row
    parts = (name or "").split(" ", 3)
    if len(parts) == 4 and parts[0] == APPLICATION_PREFIX:
        return {"pid": parts[1], "since": parts[2], "host": parts[3]}
    return {"pid": f"{backend} on the database server", "host": address or "local", "since": started.isoformat()}
