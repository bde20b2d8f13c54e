"""No installation serves with a known secret: without FANDESK_SECRET_KEY, one is generated into the
workspace's database on first run and every worker process, restart and machine reads the same."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from fandesk.settings import load_settings
from fandesk.workspace.service import open_workspace, secret_key
from tests.web.factories import PASSWORD
from tests.web.served import CSRF, serving

DEV_SECRET = "development-only-secret"


def stored_secret(workspace) -> str | None:
    from fandesk.workspace.service import read_meta

    with workspace.sessions() as session:
        value = read_meta(session, "secret_key")
    return value and value["secret"]


@pytest.fixture(autouse=True)
def no_configured_secret(monkeypatch):
    monkeypatch.delenv("FANDESK_SECRET_KEY", raising=False)


def test_a_secret_is_generated_once_and_shared_by_every_process(workspace):
    from fandesk.web.app import create_app

    assert stored_secret(workspace) is None
    first = create_app(workspace).state.secret_key.decode()
    assert stored_secret(workspace) == first and len(first) >= 64 and first != DEV_SECRET
    # another process (its own settings and engine) and a restart read the same
    again = open_workspace(load_settings(workspace.settings.workspace), migrate=False)
    try:
        assert secret_key(again) == first and create_app(again).state.secret_key.decode() == first
    finally:
        again.dispose()


def test_processes_starting_at_once_agree_on_one_secret(workspace):
    from concurrent.futures import ThreadPoolExecutor

    def start(_):
        other = open_workspace(load_settings(workspace.settings.workspace), migrate=False)
        try:
            return secret_key(other)
        finally:
            other.dispose()

    with ThreadPoolExecutor(8) as pool:
        secrets = set(pool.map(start, range(8)))
    assert secrets == {stored_secret(workspace)}


def test_a_placeholder_is_never_used_and_a_real_secret_is(workspace, monkeypatch):
    for placeholder in (DEV_SECRET, "changeme", ""):
        monkeypatch.setenv("FANDESK_SECRET_KEY", placeholder)
        other = open_workspace(load_settings(workspace.settings.workspace), migrate=False)
        assert secret_key(other) not in (placeholder, DEV_SECRET)
        other.dispose()
    monkeypatch.setenv("FANDESK_SECRET_KEY", "k" * 48)
    configured = open_workspace(load_settings(workspace.settings.workspace), migrate=False)
    assert secret_key(configured) == "k" * 48
    configured.dispose()
    monkeypatch.setenv("FANDESK_ENVIRONMENT", "production")
    monkeypatch.setenv("FANDESK_SECRET_KEY", DEV_SECRET)
    with pytest.raises(ValueError, match="unset it"):
        load_settings(workspace.settings.workspace)


def test_the_settings_never_show_the_secret(monkeypatch, tmp_path):
    monkeypatch.setenv("FANDESK_SECRET_KEY", "s3cret-" * 8)
    assert "s3cret-" not in repr(load_settings(tmp_path))


def test_fandesk_serve_uses_the_workspace_secret_across_workers_and_restarts(workspace, world):
    """Served by two worker processes, restarted in between: a session and its CSRF token from before the
    restart still work (same secret), and the stored secret is a generated one."""
    with serving(workspace, workers=2) as url:
        with httpx.Client(base_url=url) as client:
            token = CSRF.search(client.get("/login").text).group(1)
            client.post("/login", data={"username": "manager", "password": PASSWORD, "csrf_token": token})
            cookies = dict(client.cookies)
            token = CSRF.search(client.get("/queue").text).group(1)
        # every request on a new connection, so both workers answer some of them
        for _ in range(6):
            with httpx.Client(base_url=url, cookies=cookies) as fresh:
                assert fresh.get("/settings/users").status_code == 200
                assert CSRF.search(fresh.get("/queue").text).group(1) == token
    secret = stored_secret(workspace)
    assert secret and secret != DEV_SECRET
    with serving(workspace, workers=1) as url, httpx.Client(base_url=url, cookies=cookies) as client:
        closed = client.post(f"/items/{world.items['question']}/action", data={"action": "close", "csrf_token": token})
        assert closed.status_code == 303
    assert stored_secret(workspace) == secret
    from fandesk.inbox.models import InboxItem

    with workspace.sessions() as session:
        assert session.scalar(select(InboxItem.status).where(InboxItem.id == world.items["question"])) == "closed"
