"""More than one worker process: what one worker learns (who is on an item, failed sign-ins, a change
to the queue) the others see, because it lives in the database. Two apps over one workspace stand in
for two processes. And `fandesk serve` starts the workers."""

from __future__ import annotations

import re

import pytest

from tests.web.conftest import Browser
from tests.web.factories import PASSWORD


def counts_of(html):
    return dict(re.findall(r'class="count (\w+)">[^<]*<b>(\d+)</b>', html))


@pytest.fixture
def two_workers(workspace, world):
    from fastapi.testclient import TestClient

    from fandesk.web.app import create_app

    first, second = create_app(workspace), create_app(workspace)

    def on(app, username=None):
        b = Browser(TestClient(app))
        if username:
            assert b.sign_in(username).status_code == 303
        return b

    return lambda username=None: on(first, username), lambda username=None: on(second, username)


def test_counts_change_at_once_when_another_worker_changes_the_queue(world, two_workers):
    on_first, on_second = two_workers
    watcher, worker = on_second("manager"), on_first("moderator")
    assert counts_of(watcher.get("/queue").text)["total"] == "3"  # now cached in the second worker
    worker.post(f"/items/{world.items['praise']}/action", {"action": "close"})
    assert counts_of(watcher.get("/queue").text)["total"] == "2"


def test_who_is_on_an_item_is_seen_from_another_worker(world, two_workers):
    on_first, on_second = two_workers
    q = world.items["question"]
    on_first("moderator").get(f"/items/{q}")
    manager = on_second("manager")
    assert "moderator-a" in manager.get(f"/items/{q}").text.split('id="presence"')[1][:400]
    assert "moderator-a" in manager.get("/queue").text.split(f'data-id="{q}"')[1][:1500]


def test_the_sign_in_limit_holds_across_workers(two_workers):
    on_first, on_second = two_workers
    first = on_first()
    first.get("/login")
    for _ in range(5):
        assert first.post("/login", {"username": "manager", "password": "wrong-password"}).status_code == 401
    second = on_second()
    second.get("/login")
    blocked = second.post("/login", {"username": "manager", "password": PASSWORD})
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0


def test_a_good_sign_in_clears_the_failures(browser):
    b = browser()
    b.get("/login")
    for _ in range(4):
        b.post("/login", {"username": "manager", "password": "wrong-password"})
    assert b.post("/login", {"username": "manager", "password": PASSWORD}).status_code == 303
    other = browser()
    other.get("/login")
    assert other.post("/login", {"username": "manager", "password": "wrong-password"}).status_code == 401


def test_serve_runs_one_worker_per_core_from_an_import_string(workspace, monkeypatch):
    import uvicorn

    from fandesk.web import cli

    calls = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: calls.append((app, options)))
    # several workers go through uvicorn's supervisor (_serve_workers, which builds its Config from the
    # import string fandesk.web.cli:worker_app): recorded here, never started
    monkeypatch.setattr(cli, "_serve_workers", lambda options, workers: calls.append((workers, options)))
    monkeypatch.setattr(cli, "_frozen", lambda app: app)  # the test process keeps its collector as it is
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    cli.serve_workspace(workspace, host="127.0.0.1", port=8123)
    workers, options = calls[0]
    assert workers == 2 and options["port"] == 8123
    assert options["proxy_headers"] is False  # no proxy trusted: the connection's address counts
    # a worker opens the same workspace from what the parent passed on
    assert cli.worker_app().state.workspace.settings.database_url == workspace.settings.database_url
    cli.serve_workspace(workspace, host="127.0.0.1", port=8123, workers=1)
    assert not isinstance(calls[1][0], str)


def test_a_serving_process_hides_its_long_lived_objects_from_the_collector():
    import gc

    from fandesk.web import cli

    threshold = gc.get_threshold()
    try:
        app = object()
        assert cli._frozen(app) is app
        assert gc.get_freeze_count() > 0 and gc.get_threshold()[0] > threshold[0]
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)


def test_a_kept_alive_connection_is_asked_to_reconnect_after_a_hundred_answers(workspace):
    """So connections spread over the worker processes as their load shifts (web/app.py)."""
    from fastapi.testclient import TestClient

    from fandesk.web.app import create_app

    with TestClient(create_app(workspace)) as client:  # one client address and port: one connection
        closes = [client.get("/login").headers.get("connection") for _ in range(200)]
    assert [i + 1 for i, value in enumerate(closes) if value == "close"] == [100, 200]
