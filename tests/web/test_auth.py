"""Sign-in, sign-out, CSRF, the failed sign-in limit, and the language that sticks."""

from __future__ import annotations

from tests.web.factories import PASSWORD


def status_of(workspace, item_id):
    from fandesk.inbox.models import InboxItem

    with workspace.sessions() as session:
        return session.get(InboxItem, item_id).status


def test_pages_need_a_sign_in(browser):
    b = browser()
    response = b.get("/queue", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")
    htmx = b.client.get("/queue/rows", headers={"HX-Request": "true"})
    assert htmx.status_code == 401 and htmx.headers["HX-Redirect"].startswith("/login")


def test_sign_in_and_out(browser):
    b = browser()
    b.get("/login")
    response = b.post("/login", {"username": "moderator", "password": PASSWORD, "next": "/queue"})
    assert response.status_code == 303 and response.headers["location"] == "/queue"
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "moderator-a" in b.get("/queue").text
    assert b.post("/logout").status_code == 303
    assert b.get("/queue", follow_redirects=False).status_code == 303


def test_wrong_password_and_open_redirects(browser):
    b = browser()
    b.get("/login")
    assert b.post("/login", {"username": "moderator", "password": "nope-nope"}).status_code == 401
    ok = b.post("/login", {"username": "moderator", "password": PASSWORD, "next": "//evil.example/x"})
    assert ok.headers["location"] == "/queue"


def test_failed_sign_ins_are_limited(browser):
    b = browser()
    b.get("/login")
    for _ in range(5):
        assert b.post("/login", {"username": "manager", "password": "wrong-password"}).status_code == 401
    blocked = b.post("/login", {"username": "manager", "password": PASSWORD})
    assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) > 0


def test_secure_cookie_outside_development(workspace, world):
    from fastapi.testclient import TestClient

    from fandesk.web.app import create_app

    client = TestClient(create_app(workspace, secure_cookies=True), base_url="https://testserver")
    page = client.get("/login")
    assert "secure" in page.headers["set-cookie"].lower()


def test_posts_without_csrf_are_refused(workspace, world, browser):
    b = browser("manager")
    q = world.items["question"]
    assert b.post(f"/items/{q}/action", {"action": "close"}, csrf=False).status_code == 403
    assert b.post(f"/items/{q}/action", {"action": "close", "csrf_token": "forged"}).status_code == 403
    htmx = b.client.post(f"/items/{q}/action", data={"action": "close"}, headers={"HX-Request": "true"})
    assert htmx.status_code == 403
    assert status_of(workspace, q) == "new"  # nothing changed
    # the header form works, as HTMX sends it
    ok = b.client.post(f"/items/{q}/action", data={"action": "close"},
                       headers={"HX-Request": "true", "X-CSRF-Token": b.token})
    assert ok.status_code == 200 and status_of(workspace, q) == "closed"
    other = browser()
    other.get("/login")
    assert other.post("/login", {"username": "manager", "password": PASSWORD}, csrf=False).status_code == 403


def test_a_new_password_signs_out_old_sessions(workspace, world, browser):
    from fandesk.db import transaction
    from fandesk.members.sign_in import set_login

    b = browser("moderator")
    with transaction(workspace.sessions) as session:
        set_login(session, member_id=world.members["moderator"], password="another-password")
    assert b.get("/queue", follow_redirects=False).status_code == 303


def test_chinese_by_default_and_the_switch_sticks(browser):
    b = browser()
    assert "登录" in b.get("/login").text
    b.sign_in("creator")
    assert "待办队列" in b.get("/queue").text
    assert b.post("/language", {"lang": "en", "next": "/queue"}).status_code == 303
    page = b.get("/queue").text
    assert "Queue" in page and "待办队列" not in page
    # on the member: a new session (another browser) opens in English
    fresh = browser("creator")
    assert "Awaiting approval" in fresh.get("/queue").text
