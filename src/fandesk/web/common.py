"""What every route shares: the signed-in user (the `CurrentUser` dependency), CSRF, the transaction,
rendering with the right language.

The busiest routes (queue, item page, presence, drafts) are `async def`, and their database work goes
through `off_loop`: on SQLite it runs on the event loop (a few short reads of a local file, cheaper than
a thread hop and the GIL hand-offs between threads under load, bench/web); on PostgreSQL in the thread
pool, so a query waiting on the network never stalls the other requests. Reads never wait for a writer
(SQLite's WAL, PostgreSQL's MVCC); a page view's only writes, the marks of who is on an item and when a
session was last used, give up at once while an import holds the write lock (db.write_if_free), the
presence mark in the thread pool. Writes and routes that wait on something slow (argon2 at sign-in, a
language model) run in the thread pool."""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, TypeVar
from zoneinfo import ZoneInfo

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from fandesk.db import transaction
from fandesk.errors import Forbidden
from fandesk.members.permissions import can, permissions_of
from fandesk.members.sessions import looks_like_token, new_token, signed_in
from fandesk.web import labels
from fandesk.web.i18n import current_language

SESSION_COOKIE = "fandesk_session"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")

T = TypeVar("T")


class NotSignedIn(Exception):
    pass


class CsrfRefused(Exception):
    pass


@dataclass
class User:
    id: int
    name: str
    username: str
    role: str
    language: str
    account_ids: list[int]
    permissions: frozenset[str] = field(default_factory=frozenset)
    session_id: int = 0  # the server-side session this request signed in with

    def can(self, permission: str) -> bool:
        return can(self.role, permission)

    def require(self, permission: str) -> None:
        if not self.can(permission):
            raise Forbidden(permission)


def workspace(request: Request):
    return request.app.state.workspace


@contextmanager
def tx(request: Request) -> Iterator[Session]:
    """The request owns the transaction: commit on success, roll back on any error."""
    with transaction(workspace(request).sessions) as session:
        yield session


def browser_token(request: Request) -> str:
    """The browser's token, from its session cookie: a signed-in session's (members.sessions), or before
    sign-in a random one that only ties the CSRF token to this browser. A browser without one gets one,
    set on the page rendered for it (render)."""
    token = getattr(request.state, "browser_token", None)
    if token is None:
        token = request.cookies.get(SESSION_COOKIE)
        if not looks_like_token(token):
            token = request.state.new_browser_token = new_token()
        request.state.browser_token = token
    return token


def csrf_token(request: Request) -> str:
    """Derived from the browser's token with the app's secret: a new one at every sign-in, nothing stored."""
    digest = hmac.new(request.app.state.secret_key, b"csrf:" + browser_token(request).encode(), hashlib.sha256)
    return base64.urlsafe_b64encode(digest.digest()).decode().rstrip("=")


async def csrf_protect(request: Request) -> None:
    """Every unsafe request carries the token of the browser's cookie, in a form field or (HTMX) a header."""
    if request.method not in UNSAFE:
        return
    if not looks_like_token(request.cookies.get(SESSION_COOKIE)):
        raise CsrfRefused()
    expected = csrf_token(request)
    sent = request.headers.get(CSRF_HEADER)
    if not sent:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            sent = form.get(CSRF_FIELD)
    if not sent or not secrets.compare_digest(str(sent), expected):
        raise CsrfRefused()


def set_session_cookie(request: Request, response, token: str, *, max_age: int | None = None) -> None:
    """The session cookie: the token and nothing else, out of scripts' reach, sent on same-site requests
    and top-level navigations only, over HTTPS only outside development."""
    response.set_cookie(SESSION_COOKIE, token, max_age=max_age, httponly=True, samesite="lax",
                        secure=request.app.state.secure_cookies)


def current_user(request: Request) -> User:
    """The signed-in member, from the server-side session the cookie names, reloaded on every request
    (an ended session, a changed role or a removed account applies now): one query, on a plain
    connection."""
    cached = getattr(request.state, "user", None)
    if cached is not None:
        return cached
    token = request.cookies.get(SESSION_COOKIE)
    if not looks_like_token(token):
        raise NotSignedIn()
    with workspace(request).engine.connect() as connection:
        found = signed_in(connection, token)
    if found is None:
        raise NotSignedIn()
    user = User(id=found.member_id, name=found.name, username=found.username, role=found.role,
                language=found.language, account_ids=found.account_ids, permissions=permissions_of(found.role),
                session_id=found.session_id)
    request.state.user = user
    return user


async def off_loop(request: Request, fn: Callable[..., T], /, *args, **kwargs) -> T:
    """Database work from an `async def` route or dependency. On SQLite it runs right here: a few short
    reads from a local file, cheaper than a hop to the thread pool (bench/web). On PostgreSQL it runs in
    the thread pool, since its driver waits on the network and would stall every request on the event
    loop meanwhile."""
    if workspace(request).engine.dialect.name == "sqlite":
        return fn(*args, **kwargs)
    return await run_in_threadpool(fn, *args, **kwargs)


async def signed_in_user(request: Request) -> User:
    """The dependency of every page that needs someone signed in (`user: CurrentUser`)."""
    cached = getattr(request.state, "user", None)
    return cached if cached is not None else await off_loop(request, current_user, request)


CurrentUser = Annotated[User, Depends(signed_in_user)]


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def render(request: Request, template: str, context: dict | None = None, *, status_code: int = 200,
           user: User | None = None, headers: dict | None = None) -> HTMLResponse:
    env = request.app.state.templates
    data = {"request": request, "user": user, "csrf": csrf_token(request), "lang": current_language(),
            "htmx": is_htmx(request), "L": labels.translated()}
    data.update(context or {})
    response = HTMLResponse(env.get_template(template).render(data), status_code=status_code, headers=headers)
    new = getattr(request.state, "new_browser_token", None)
    if new is not None:
        set_session_cookie(request, response, new)
    return response


def back_to(request: Request, url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def local_time(value: datetime | None, time_zone: str = "Asia/Shanghai", fmt: str = "%m-%d %H:%M") -> str:
    if value is None:
        return ""
    return value.replace(tzinfo=UTC).astimezone(ZoneInfo(time_zone)).strftime(fmt)


def form_ids(values: list) -> list[int]:
    return [int(v) for v in values if str(v).isdigit()][:500]
