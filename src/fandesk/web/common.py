"""What every route shares: the signed-in user, CSRF, the transaction, rendering with the right language.

The busiest routes (queue, item page, presence, drafts) are `async def`: their database work is a few
short queries, and running them on the event loop spares a thread hop and the GIL hand-offs between
threads, which cost more than the work under load (bench/web). Routes that wait on something slow
(argon2 at sign-in, a language model) stay plain `def` and run in the thread pool."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from sqlalchemy.orm import Session

from fandesk.auth.permissions import can, permissions_of
from fandesk.db import transaction
from fandesk.errors import Forbidden
from fandesk.web import labels
from fandesk.web.i18n import current_language

CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
UNSAFE = ("POST", "PUT", "PATCH", "DELETE")


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


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


async def csrf_protect(request: Request) -> None:
    """Every unsafe request carries the session's token, in a form field or (HTMX) a header."""
    if request.method not in UNSAFE:
        return
    expected = request.session.get("csrf")
    sent = request.headers.get(CSRF_HEADER)
    if not sent:
        content_type = request.headers.get("content-type", "")
        if content_type.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
            form = await request.form()
            sent = form.get(CSRF_FIELD)
    if not expected or not sent or not secrets.compare_digest(str(sent), str(expected)):
        raise CsrfRefused()


@cache
def _user_statement():
    """The member and their accounts, in one statement built once (every request asks)."""
    from sqlalchemy import bindparam, select

    from fandesk.team.models import AccountMember, Member

    return (select(Member.name, Member.username, Member.role, Member.language, Member.password_hash, Member.active,
                   AccountMember.account_id)
            .outerjoin(AccountMember, AccountMember.member_id == Member.id)
            .where(Member.id == bindparam("member_id")).order_by(AccountMember.account_id))


def current_user(request: Request) -> User:
    """The signed-in member, reloaded on every request (a changed role or removed account applies now):
    one query for the member and their accounts, on a plain connection."""
    cached = getattr(request.state, "user", None)
    if cached is not None:
        return cached
    member_id = request.session.get("member_id")
    if not member_id:
        raise NotSignedIn()
    with workspace(request).engine.connect() as connection:
        rows = connection.execute(_user_statement(), {"member_id": member_id}).all()
    if (not rows or not rows[0].password_hash or not rows[0].active
            or request.session.get("pw") != rows[0].password_hash[-16:]):
        request.session.clear()
        raise NotSignedIn()
    first = rows[0]
    user = User(id=member_id, name=first.name, username=first.username or "", role=first.role,
                language=first.language or "zh", account_ids=[r.account_id for r in rows if r.account_id is not None],
                permissions=permissions_of(first.role))
    request.state.user = user
    return user


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def render(request: Request, template: str, context: dict | None = None, *, status_code: int = 200,
           user: User | None = None, headers: dict | None = None) -> HTMLResponse:
    env = request.app.state.templates
    data = {"request": request, "user": user, "csrf": csrf_token(request), "lang": current_language(),
            "htmx": is_htmx(request), "L": labels.translated()}
    data.update(context or {})
    return HTMLResponse(env.get_template(template).render(data), status_code=status_code, headers=headers)


def back_to(request: Request, url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def local_time(value: datetime | None, time_zone: str = "Asia/Shanghai", fmt: str = "%m-%d %H:%M") -> str:
    if value is None:
        return ""
    return value.replace(tzinfo=UTC).astimezone(ZoneInfo(time_zone)).strftime(fmt)


def form_ids(values: list) -> list[int]:
    return [int(v) for v in values if str(v).isdigit()][:500]
