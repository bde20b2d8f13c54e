"""Signing in: argon2 password hashes on team members, and the accounts a member may see. Sessions are
in members.sessions, the limit on attempts in members.limits."""

from __future__ import annotations

from contextlib import suppress
from datetime import UTC, datetime
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from fandesk.errors import Conflict, Invalid, NotFound
from fandesk.members.models import AccountMember, Member
from fandesk.members.sessions import end_sessions
from fandesk.workspace.models import Account

LANGUAGES = ("zh", "en")
MIN_PASSWORD = 8
_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise Invalid(f"a password needs at least {MIN_PASSWORD} characters")
    return _hasher.hash(password)


def set_login(session: Session, *, member_id: int, password: str, username: str | None = None,
              language: str | None = None, keep_session_id: int | None = None) -> Member:
    """Give a team member a sign-in (username defaults to their name) or a new password. A new password
    ends every session the member has open, except `keep_session_id` (the one changing it)."""
    member = session.get(Member, member_id)
    if member is None:
        raise NotFound(f"no team member {member_id}")
    username = (username or member.username or member.name).strip()
    if not username:
        raise Invalid("a sign-in needs a username")
    clash = session.scalars(select(Member).where(Member.username == username, Member.id != member.id)).first()
    if clash is not None:
        raise Conflict(f"the username {username!r} belongs to {clash.name}: choose another with --username")
    member.username = username
    member.password_hash = hash_password(password)
    end_sessions(session, member_id=member.id, reason="password", keep_session_id=keep_session_id)
    if language:
        set_language(session, member_id=member.id, language=language)
    session.flush()
    return member


def set_language(session: Session, *, member_id: int, language: str) -> None:
    if language not in LANGUAGES:
        raise Invalid(f"language {language!r}: use zh or en")
    session.get(Member, member_id).language = language
    session.flush()


def authenticate(session: Session, *, username: str, password: str) -> Member | None:
    """The member with this username and password, or None. Verifies a dummy hash when the user is
    unknown or deactivated, so timing does not tell which usernames exist."""
    member = session.scalars(select(Member).where(Member.username == username)).first()
    if member is None or not member.password_hash or not member.active:
        with suppress(VerificationError):
            _hasher.verify(_dummy_hash(), password)
        return None
    try:
        _hasher.verify(member.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if _hasher.check_needs_rehash(member.password_hash):
        member.password_hash = _hasher.hash(password)
    member.last_sign_in_at = datetime.now(UTC).replace(tzinfo=None)
    session.flush()
    return member


@cache
def _dummy_hash() -> str:
    return _hasher.hash("not-a-real-password")


def account_ids_of(session: Session, member_id: int) -> list[int]:
    """The accounts a member works on: everything they see is limited to these."""
    return list(session.scalars(select(AccountMember.account_id).where(AccountMember.member_id == member_id)
                                .order_by(AccountMember.account_id)))


def accounts_of(session: Session, member_id: int) -> list[Account]:
    ids = account_ids_of(session, member_id)
    return list(session.scalars(select(Account).where(Account.id.in_(ids)).order_by(Account.handle))) if ids else []
