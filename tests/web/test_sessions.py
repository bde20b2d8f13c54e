"""Sessions live on the server: a cookie is a random token and nothing else, and signing out, a password
change or deactivation ends the session everywhere, for good."""

from __future__ import annotations

import base64
import hashlib

from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.web.conftest import Browser

NEW_PASSWORD = "a-new-password-2"


def cookie_of(b: Browser) -> str:
    return b.client.cookies["fandesk_session"]


def replay(app, cookie: str) -> int:
    """A fresh client (another machine) that sends only the copied cookie: the status of /queue."""
    client = TestClient(app, cookies={"fandesk_session": cookie})
    return client.get("/queue", follow_redirects=False).status_code


def sessions_in_db(workspace, member_id: int):
    from fandesk.members.models import WebSession

    with workspace.sessions() as session:
        return session.scalars(select(WebSession).where(WebSession.member_id == member_id)
                               .order_by(WebSession.id)).all()


def test_a_cookie_replayed_after_sign_out_is_refused(app, world, workspace, browser):
    b = browser("moderator")
    cookie = cookie_of(b)
    assert replay(app, cookie) == 200  # the copy works while the session is open
    assert b.post("/logout").status_code == 303
    assert replay(app, cookie) == 303
    assert b.get("/queue", follow_redirects=False).status_code == 303
    [ended] = sessions_in_db(workspace, world.members["moderator"])
    assert ended.revoked_at is not None and ended.revoked_reason == "sign_out"


def test_a_cookie_from_before_a_deactivation_does_not_work_after_reactivation(app, world, workspace, browser):
    moderator = world.members["moderator"]
    before = cookie_of(browser("moderator"))
    manager = browser("manager")
    assert manager.post(f"/settings/users/{moderator}/active", {"active": "0"}).status_code == 303
    assert replay(app, before) == 303
    assert manager.post(f"/settings/users/{moderator}/active", {"active": "1"}).status_code == 303
    assert replay(app, before) == 303  # reactivated, but that session stays ended
    assert replay(app, cookie_of(browser("moderator"))) == 200  # a new sign-in works


def test_a_password_change_ends_every_other_session(app, world, browser):
    moderator = world.members["moderator"]
    phone, laptop = cookie_of(browser("moderator")), cookie_of(browser("moderator"))
    manager = browser("manager")
    other_manager_session = cookie_of(browser("manager"))
    assert manager.post(f"/settings/users/{moderator}/password", {"password": NEW_PASSWORD}).status_code == 303
    assert replay(app, phone) == 303 and replay(app, laptop) == 303
    # managers changing their own: the session they do it from stays, their others end
    me = world.members["manager"]
    assert manager.post(f"/settings/users/{me}/password", {"password": NEW_PASSWORD}).status_code == 303
    assert manager.get("/queue", follow_redirects=False).status_code == 200
    assert replay(app, other_manager_session) == 303


def test_the_cli_password_command_ends_sessions(app, world, browser, cli):
    cookie = cookie_of(browser("creator"))
    result = cli("user", "password", "creator", "--password", NEW_PASSWORD)
    assert result.exit_code == 0, result.output
    assert replay(app, cookie) == 303


def test_the_cookie_is_a_random_token_and_holds_nothing_of_the_member(world, workspace, browser):
    from fandesk.members.models import Member

    b = browser("manager")
    cookie = cookie_of(b)
    with workspace.sessions() as session:
        password_hash = session.get(Member, world.members["manager"]).password_hash
    padded = cookie + "=" * (-len(cookie) % 4)
    readable = cookie + base64.urlsafe_b64decode(padded).decode("latin-1")
    pieces = {password_hash[i:i + 6] for i in range(len(password_hash) - 5)}
    assert not any(piece in readable for piece in pieces)
    assert len(cookie) == 43 and "." not in cookie  # 32 random bytes, no signed payload
    # the database keeps the token's SHA-256 only: reading it opens no session
    [stored] = sessions_in_db(workspace, world.members["manager"])
    assert stored.token_hash == hashlib.sha256(cookie.encode()).hexdigest()
    assert cookie not in repr([getattr(stored, c.key) for c in stored.__table__.columns])


def test_a_cookie_forged_with_the_old_development_secret_is_refused(app, world, workspace):
    """What the issue found: with `development-only-secret`, a forged cookie opened /settings/users."""
    import json

    from itsdangerous import TimestampSigner

    from fandesk.members.models import Member

    with workspace.sessions() as session:
        password_hash = session.get(Member, world.members["manager"]).password_hash
    payload = base64.b64encode(json.dumps({"member_id": world.members["manager"], "pw": password_hash[-16:],
                                           "csrf": "x"}).encode())
    forged = TimestampSigner("development-only-secret").sign(payload).decode()
    client = TestClient(app, cookies={"fandesk_session": forged})
    page = client.get("/settings/users", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    made_up = TestClient(app, cookies={"fandesk_session": "A" * 43})
    assert made_up.get("/settings/users", follow_redirects=False).status_code == 303


def test_people_see_their_sessions_and_end_the_others(app, world, workspace, browser):
    phone = Browser(TestClient(app, headers={"User-Agent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) "
                                                           "AppleWebKit/605.1.15 Version/17.0 Mobile Safari/604.1"}))
    assert phone.sign_in("viewer").status_code == 303
    laptop = browser("viewer")
    page = laptop.get("/sessions").text
    assert page.count('class="session-row"') == 2 and "Safari · iPhone" in page and 'id="this-session"' in page
    phone_session = sessions_in_db(workspace, world.members["viewer"])[0]
    # someone else's session is not found, and stays open
    stranger = browser("stranger")
    assert stranger.post(f"/sessions/{phone_session.id}/end").status_code == 404
    assert phone.get("/queue", follow_redirects=False).status_code == 200
    # a viewer may end their own
    assert laptop.post(f"/sessions/{phone_session.id}/end").status_code == 303
    assert phone.get("/queue", follow_redirects=False).status_code == 303
    assert laptop.get("/sessions").text.count('class="session-row"') == 1
    again = browser("viewer")
    assert again.post("/sessions/end-others").status_code == 303
    assert laptop.get("/queue", follow_redirects=False).status_code == 303
    assert again.get("/queue", follow_redirects=False).status_code == 200
    assert [s.revoked_reason for s in sessions_in_db(workspace, world.members["viewer"])] == ["ended", "ended", None]


def test_managers_see_how_many_sessions_each_user_has(world, browser):
    browser("moderator"), browser("moderator")
    page = browser("manager").get("/settings/users").text
    row = page.split(f'data-member="{world.members["moderator"]}"')[1].split("</tr>")[0]
    assert '<td class="sessions-count">2</td>' in row


def test_an_idle_session_ends_and_a_used_one_moves_its_expiry_on(world, workspace, browser):
    from datetime import timedelta

    from sqlalchemy import update

    from fandesk.clock import utcnow
    from fandesk.db import transaction
    from fandesk.members.models import WebSession
    from fandesk.members.sessions import IDLE

    b = browser("moderator")
    member = world.members["moderator"]
    with transaction(workspace.sessions) as session:
        session.execute(update(WebSession).where(WebSession.member_id == member)
                        .values(last_seen_at=utcnow() - timedelta(hours=2), expires_at=utcnow() + timedelta(hours=1)))
    assert b.get("/queue", follow_redirects=False).status_code == 200
    [seen] = sessions_in_db(workspace, member)
    assert seen.expires_at > utcnow() + IDLE - timedelta(minutes=1) and seen.last_seen_at > utcnow() - timedelta(minutes=1)
    with transaction(workspace.sessions) as session:
        session.execute(update(WebSession).where(WebSession.member_id == member)
                        .values(expires_at=utcnow() - timedelta(seconds=1)))
    assert b.get("/queue", follow_redirects=False).status_code == 303


def test_signing_in_again_ends_the_browsers_earlier_session(world, workspace, browser):
    b = browser("moderator")
    first = cookie_of(b)
    b.sign_in("moderator")
    assert cookie_of(b) != first
    assert [s.revoked_reason for s in sessions_in_db(workspace, world.members["moderator"])] == ["sign_out", None]


def test_every_form_still_needs_its_csrf_token_and_a_new_one_comes_with_each_sign_in(world, browser):
    b = browser("manager")
    token = b.token
    q = world.items["question"]
    assert b.post(f"/items/{q}/action", {"action": "close", "csrf_token": "forged"}).status_code == 403
    b.post("/logout")
    b.sign_in("manager")
    assert b.token != token
    assert b.post(f"/items/{q}/action", {"action": "close", "csrf_token": token}).status_code == 403
    assert b.post(f"/items/{q}/action", {"action": "close"}).status_code == 303
