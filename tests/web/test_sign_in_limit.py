"""The sign-in limit (members.limits): it holds under real parallel requests against `fandesk serve`, on
SQLite and PostgreSQL, and failures from one address never lock the real person out from another."""

from __future__ import annotations

import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.web.conftest import Browser
from tests.web.factories import PASSWORD
from tests.web.served import CSRF, serving

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs the whole 127.0.0.0/8 on loopback")


def lockouts(workspace) -> list[dict]:
    import orjson

    from fandesk.audit.models import AuditEvent

    with workspace.sessions() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "sign_in.locked")
                                 .order_by(AuditEvent.id)).all()
        return [orjson.loads(e.after) | {"account_id": e.account_id, "object_id": e.object_id} for e in events]


def parallel_sign_ins(base_url: str, forms: list[dict], *, local_address: str = "127.0.0.1") -> list[int]:
    """Every form posted to /login at once, each on its own connection, all from one browser (one cookie
    and CSRF token, as a script would); the status codes, in order."""
    with httpx.Client(base_url=base_url, transport=httpx.HTTPTransport(local_address=local_address)) as first:
        page = first.get("/login")
        cookies, token = dict(first.cookies), CSRF.search(page.text).group(1)
    start = threading.Barrier(len(forms))

    def post(form: dict) -> int:
        transport = httpx.HTTPTransport(local_address=local_address)
        with httpx.Client(base_url=base_url, cookies=cookies, transport=transport, timeout=120) as client:
            start.wait()
            return client.post("/login", data=form | {"csrf_token": token}).status_code

    with ThreadPoolExecutor(len(forms)) as pool:
        return list(pool.map(post, forms))


def sign_in_from(base_url: str, local_address: str, username: str, password: str) -> httpx.Response:
    transport = httpx.HTTPTransport(local_address=local_address)
    with httpx.Client(base_url=base_url, transport=transport) as client:
        token = CSRF.search(client.get("/login").text).group(1)
        return client.post("/login", data={"username": username, "password": password, "csrf_token": token})


@linux
def test_a_hundred_parallel_wrong_passwords_get_five_checked_and_the_right_one_gets_in_from_elsewhere(
        workspace, world):
    with serving(workspace, workers=2) as url:
        statuses = parallel_sign_ins(url, [{"username": "manager", "password": f"wrong-{n}"} for n in range(100)])
        assert statuses.count(401) == 5, statuses  # checked (and wrong)
        assert statuses.count(429) == 95, statuses  # refused before the password was looked at
        # the same pair stays locked, even with the right password ...
        assert sign_in_from(url, "127.0.0.1", "manager", PASSWORD).status_code == 429
        # ... and the real person, from another address, gets in
        assert sign_in_from(url, "127.0.0.2", "manager", PASSWORD).status_code == 303
    [locked] = lockouts(workspace)
    assert locked["scope"] == "pair" and locked["username"] == "manager" and locked["address"] == "127.0.0.1"
    assert locked["object_id"] == world.members["manager"] and locked["account_id"] == world.accounts["brand_a"]


@linux
def test_one_address_trying_many_names_in_parallel_gets_twenty_checked(workspace, world):
    with serving(workspace, workers=2) as url:
        statuses = parallel_sign_ins(url, [{"username": f"guess-{n}", "password": "wrong-password"}
                                           for n in range(60)])
        assert statuses.count(401) == 20 and statuses.count(429) == 40, statuses
        # that address is refused for every name now; another is not
        assert sign_in_from(url, "127.0.0.1", "viewer", PASSWORD).status_code == 429
        assert sign_in_from(url, "127.0.0.3", "viewer", PASSWORD).status_code == 303
    assert [e["scope"] for e in lockouts(workspace)] == ["address"]


def from_address(app, host: str) -> Browser:
    b = Browser(TestClient(app, client=(host, 40000)))
    b.get("/login")
    return b


def test_failures_from_one_address_do_not_lock_out_the_right_password_from_another(app, workspace):
    attacker = from_address(app, "10.0.0.1")
    for _ in range(5):
        assert attacker.post("/login", {"username": "moderator", "password": "wrong-password"}).status_code == 401
    assert attacker.post("/login", {"username": "moderator", "password": "wrong-password"}).status_code == 429
    real = from_address(app, "10.0.0.2")
    assert real.post("/login", {"username": "moderator", "password": PASSWORD}).status_code == 303
    assert "moderator-a" in real.get("/queue").text
    # the attacker's address stays locked for that name, even with the right password
    assert attacker.post("/login", {"username": "moderator", "password": PASSWORD}).status_code == 429


def test_a_username_tried_from_many_addresses_lets_only_new_places_in(app, workspace):
    """Beyond 20 attempts on one name within the window, an address that already tried it is refused,
    and one that has not still gets its try: a right password from a new place gets in."""
    for n in range(5):
        bot = from_address(app, f"10.1.0.{n}")
        for _ in range(4):
            assert bot.post("/login", {"username": "viewer", "password": "wrong-password"}).status_code == 401
    tried = from_address(app, "10.1.0.0")  # 4 failures on this name: below the pair's limit, but the name is guarded
    assert tried.post("/login", {"username": "viewer", "password": PASSWORD}).status_code == 429
    new_place = from_address(app, "10.2.0.1")
    assert new_place.post("/login", {"username": "viewer", "password": PASSWORD}).status_code == 303
    scopes = [e["scope"] for e in lockouts(workspace)]
    assert scopes == ["user"]


def test_ipv6_addresses_count_per_64_network():
    from fandesk.members.limits import address_of

    assert address_of("2001:db8:1:2:aaaa::1") == address_of("2001:db8:1:2:bbbb::9") == "2001:db8:1:2::/64"
    assert address_of("2001:db8:1:3::1") != address_of("2001:db8:1:2::1")
    assert address_of("::ffff:10.0.0.1") == address_of("10.0.0.1") == "10.0.0.1"
    assert address_of(None) == "unknown"


def test_an_unlock_lets_the_person_try_again_now(app, workspace, cli):
    b = from_address(app, "10.0.0.9")
    for _ in range(5):
        b.post("/login", {"username": "creator", "password": "wrong-password"})
    assert b.post("/login", {"username": "creator", "password": PASSWORD}).status_code == 429
    result = cli("user", "unlock", "creator")
    assert result.exit_code == 0, result.output
    assert b.post("/login", {"username": "creator", "password": PASSWORD}).status_code == 303


def test_the_window_ends(workspace, world):
    """A locked pair may try again once its window (from its first counted attempt) is over."""
    from datetime import datetime, timedelta

    from fandesk.db import transaction
    from fandesk.members.limits import SignInLimiter

    clock = {"now": datetime(2026, 12, 1, 12, 0)}
    limiter = SignInLimiter(clock=lambda: clock["now"])
    with transaction(workspace.sessions) as session:
        for _ in range(5):
            attempt = limiter.reserve(session, username="manager", address="10.0.0.1")
            assert attempt.allowed
            limiter.failed(session, attempt)
        refused = limiter.reserve(session, username="manager", address="10.0.0.1")
        assert not refused.allowed and refused.refused_by == "pair" and 890 < refused.retry_after <= 901
        clock["now"] += timedelta(minutes=15)
        assert limiter.reserve(session, username="manager", address="10.0.0.1").pair == 1


def test_behind_a_trusted_proxy_the_forwarded_address_counts(tmp_path, monkeypatch):
    """Without a trusted proxy the connection's address is the client's; with one, uvicorn reads the
    proxy's X-Forwarded-For (otherwise everyone behind it would share one address's limit)."""
    from fandesk.settings import load_settings
    from fandesk.web.cli import proxy_options

    monkeypatch.delenv("FANDESK_TRUSTED_PROXIES", raising=False)
    assert proxy_options(load_settings(tmp_path)) == {"proxy_headers": False}
    monkeypatch.setenv("FANDESK_TRUSTED_PROXIES", "10.0.0.5, 10.0.0.6")
    assert proxy_options(load_settings(tmp_path)) == {"proxy_headers": True, "forwarded_allow_ips": "10.0.0.5, 10.0.0.6"}


def test_attempts_still_being_checked_ask_for_a_second_not_a_lockout(workspace, world):
    """Six sign-ins of one name from one address at the same moment: the sixth waits for the others to be
    checked (a second), not for the window; once five have failed, it is a lockout."""
    from fandesk.db import transaction
    from fandesk.members.limits import SignInLimiter

    limiter = SignInLimiter()
    with transaction(workspace.sessions) as session:
        pending = [limiter.reserve(session, username="manager", address="10.0.0.1") for _ in range(5)]
        busy = limiter.reserve(session, username="manager", address="10.0.0.1")
        assert not busy.allowed and busy.retry_after == 1
        for attempt in pending:
            limiter.failed(session, attempt)
        locked = limiter.reserve(session, username="manager", address="10.0.0.1")
        assert not locked.allowed and locked.retry_after > 800
