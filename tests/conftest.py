"""Test databases: SQLite by default; PostgreSQL when FANDESK_DATABASE_URL names one (CI's second run).

Each test gets a fresh, migrated database: a copy of a template migrated once per session.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import pytest

from fandesk.db import make_engine, upgrade
from fandesk.settings import load_settings
from fandesk.workspace.service import Workspace, open_workspace

FIXTURES = Path(__file__).parent / "ingest" / "fixtures"
POSTGRES_URL = os.environ.get("FANDESK_DATABASE_URL", "")
ON_POSTGRES = POSTGRES_URL.startswith("postgresql")


def _admin_url(url: str, database: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(database=database).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_template(tmp_path_factory):
    """A migrated database to copy: a file on SQLite, a template database on PostgreSQL."""
    if ON_POSTGRES:
        from sqlalchemy import text

        name = f"fandesk_tpl_{uuid.uuid4().hex[:8]}"
        admin = make_engine(_admin_url(POSTGRES_URL, "postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        engine = make_engine(_admin_url(POSTGRES_URL, name))
        upgrade(engine)
        engine.dispose()
        yield name
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    else:
        path = tmp_path_factory.mktemp("template") / "fandesk.db"
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine)
        engine.dispose()
        yield path


@pytest.fixture
def database_url(tmp_path, database_template):
    if ON_POSTGRES:
        from sqlalchemy import text

        name = f"fandesk_t_{uuid.uuid4().hex[:10]}"
        admin = make_engine(_admin_url(POSTGRES_URL, "postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{database_template}"'))
        yield _admin_url(POSTGRES_URL, name)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    else:
        target = tmp_path / "workspace" / "fandesk.db"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(database_template, target)
        yield f"sqlite:///{target}"


@pytest.fixture(scope="session", autouse=True)
def quick_password_hashes():
    """argon2 at its defaults costs a tenth of a second per hash and per check, and the web tests sign in
    hundreds of times: in-process tests hash with the cheapest parameters. Servers the tests start in
    their own process (the browser tests) hash as shipped."""
    from argon2 import PasswordHasher

    from fandesk.members import sign_in as service

    shipped = service._hasher
    service._hasher = PasswordHasher(time_cost=1, memory_cost=64, parallelism=1)
    yield
    service._hasher = shipped


@pytest.fixture
def workspace(tmp_path, database_url, monkeypatch) -> Workspace:
    """An open workspace on a fresh database; the CLI run in-process sees the same one."""
    monkeypatch.setenv("FANDESK_DATABASE_URL", database_url)
    monkeypatch.setenv("FANDESK_WORKSPACE", str(tmp_path / "workspace"))
    ws = open_workspace(load_settings(tmp_path / "workspace"))
    yield ws
    ws.dispose()


@pytest.fixture
def cli(workspace):
    """Run `fandesk ...` in-process against the test workspace; returns the click Result."""
    from typer.testing import CliRunner

    from fandesk.cli import app

    runner = CliRunner()

    def run(*args: str):
        return runner.invoke(app, ["--workspace", str(workspace.settings.workspace), *args])

    return run
