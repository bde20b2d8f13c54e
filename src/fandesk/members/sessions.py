"""Signed-in sessions, kept on the server: the browser holds a random token and the database its SHA-256.
Every request looks the session up, so ending it (sign-out, a new password, deactivation, or its owner
from another browser) takes effect on that session's next request, in every worker process."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import bindparam, delete, func, or_, select, update
from sqlalchemy.orm import Session

from fandesk.clock import utcnow
from fandesk.db import write_if_free
from fandesk.errors import NotFound
from fandesk.members.models import AccountMember, Member, WebSession

IDLE = timedelta(hours=12)  # a session nobody used for this long has ended
LIFETIME = timedelta(days=7)  # and none lasts longer than this, used or not
SEEN_EVERY = timedelta(minutes=1)  # last_seen_at (and the idle expiry) is written at most this often
SEEN_WAIT_MS = 50  # on the request's path: skipped, not waited for, while an import writes
TOKEN_BYTES = 32  # 256 random bits: the cookie's whole content


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """What the database keeps of a token: a leaked table opens no session."""
    return hashlib.sha256(token.encode()).hexdigest()


def looks_like_token(value: str | None) -> bool:
    """A cookie value shaped like our tokens (43 URL-safe characters); anything else is not looked up."""
    return bool(value) and len(value) == 43 and all(c.isalnum() or c in "-_" for c in value)


def start_session(session: Session, *, member_id: int, user_agent: str = "", address: str = "",
                  now: datetime | None = None) -> str:
    """A new session for a member who just proved their password; returns the token for the cookie (the
    only time it exists outside the browser). Sessions that ended long ago are cleared out on the way."""
    now = now or utcnow()
    token = new_token()
    session.add(WebSession(token_hash=token_hash(token), member_id=member_id, created_at=now, last_seen_at=now,
                           expires_at=min(now + IDLE, now + LIFETIME), user_agent=(user_agent or "")[:200],
                           address=(address or "")[:64]))
    session.execute(delete(WebSession).where(or_(WebSession.expires_at < now - timedelta(days=1),
                                                 WebSession.revoked_at < now - timedelta(days=1))))
    session.flush()
    return token


@dataclass(frozen=True, slots=True)
class SignedIn:
    """Who a session belongs to and what they may see, as one request needs it."""

    session_id: int
    member_id: int
    name: str
    username: str
    role: str
    language: str
    account_ids: list[int]


@cache
def _lookup_statement():
    """The session, its member and their accounts: one indexed statement, built once (every request asks)."""
    return (select(WebSession.id, WebSession.member_id, WebSession.created_at, WebSession.last_seen_at,
                   WebSession.expires_at, Member.name, Member.username, Member.role, Member.language, Member.active,
                   AccountMember.account_id)
            .join(Member, Member.id == WebSession.member_id)
            .outerjoin(AccountMember, AccountMember.member_id == Member.id)
            .where(WebSession.token_hash == bindparam("token_hash"), WebSession.revoked_at.is_(None))
            .order_by(AccountMember.account_id))


@cache
def _seen_statement():
    return (update(WebSession).where(WebSession.id == bindparam("session_id"), WebSession.revoked_at.is_(None))
            .values(last_seen_at=bindparam("now"), expires_at=bindparam("expires_at")))


def signed_in(connection, token: str, *, now: datetime | None = None) -> SignedIn | None:
    """The member a session token signs in, or None when the session is unknown, ended, expired or its
    member deactivated. Runs on a plain connection (the request's hot path); writes last_seen_at only
    when it is older than SEEN_EVERY, which also moves the idle expiry on."""
    if not looks_like_token(token):
        return None
    now = now or utcnow()
    rows = connection.execute(_lookup_statement(), {"token_hash": token_hash(token)}).all()
    if not rows or not rows[0].active or rows[0].expires_at <= now:
        return None
    first = rows[0]
    if now - first.last_seen_at >= SEEN_EVERY:
        # a mark the next request makes again if it is skipped: it never waits behind an import's write,
        # and starts a transaction of its own (a SQLite read snapshot an import made stale cannot write)
        connection.rollback()
        write_if_free(connection, lambda c: c.execute(_seen_statement(), {
            "session_id": first.id, "now": now, "expires_at": min(now + IDLE, first.created_at + LIFETIME)}),
            wait_ms=SEEN_WAIT_MS)
    return SignedIn(session_id=first.id, member_id=first.member_id, name=first.name, username=first.username or "",
                    role=first.role, language=first.language or "zh",
                    account_ids=[r.account_id for r in rows if r.account_id is not None])


def end_session(session: Session, *, token: str, reason: str = "sign_out", now: datetime | None = None) -> None:
    """End the session this token opened (sign-out); an unknown or ended one is left as it is."""
    if not looks_like_token(token):
        return
    session.execute(update(WebSession).where(WebSession.token_hash == token_hash(token),
                                             WebSession.revoked_at.is_(None))
                    .values(revoked_at=now or utcnow(), revoked_reason=reason))
    session.flush()


def end_sessions(session: Session, *, member_id: int, reason: str, keep_session_id: int | None = None,
                 now: datetime | None = None) -> int:
    """End every open session of a member (a new password, deactivation, "sign out everywhere else"),
    except the one named; returns how many ended."""
    query = (update(WebSession).where(WebSession.member_id == member_id, WebSession.revoked_at.is_(None))
             .values(revoked_at=now or utcnow(), revoked_reason=reason))
    if keep_session_id is not None:
        query = query.where(WebSession.id != keep_session_id)
    ended = session.execute(query).rowcount
    session.flush()
    return ended or 0


def end_own_session(session: Session, *, member_id: int, session_id: int, now: datetime | None = None) -> None:
    """A member ends one of their own sessions (from another one); anyone else's is not found."""
    row = session.get(WebSession, session_id)
    if row is None or row.member_id != member_id:
        raise NotFound(f"no session {session_id} of yours")
    if row.revoked_at is None:
        row.revoked_at, row.revoked_reason = now or utcnow(), "ended"
    session.flush()


def open_sessions(session: Session, *, member_id: int, now: datetime | None = None) -> list[WebSession]:
    """A member's sessions that still work, the most recently used first."""
    now = now or utcnow()
    return list(session.scalars(select(WebSession).where(WebSession.member_id == member_id,
                                                         WebSession.revoked_at.is_(None),
                                                         WebSession.expires_at > now)
                                .order_by(WebSession.last_seen_at.desc(), WebSession.id.desc())))


def open_session_counts(session: Session, *, member_ids: list[int], now: datetime | None = None) -> dict[int, int]:
    """How many sessions still work, per member (Settings → Users)."""
    if not member_ids:
        return {}
    now = now or utcnow()
    rows = session.execute(select(WebSession.member_id, func.count()).where(
        WebSession.member_id.in_(member_ids), WebSession.revoked_at.is_(None), WebSession.expires_at > now)
        .group_by(WebSession.member_id)).all()
    return dict(rows)
