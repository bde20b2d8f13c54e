"""The limit on sign-in attempts, counted in the database so it holds across worker processes and
machines, and counted *before* the password is checked, in one atomic upsert per key, so parallel
attempts cannot slip past it.

Three counters, each over a window that starts at its first attempt:
- a (username, address) pair: `limit` checked attempts, then that pair waits for the window to end;
- an address, over every username: `address_limit` (one address trying many names);
- a username, over every address: beyond `user_limit` the username is guarded, and only addresses that
  have not tried it within the window get an attempt. So failures from one place never lock the real
  person out from another: their correct password from a new place still gets in.

An attempt counts as soon as it is let through, and is pending while its password is checked; a
correct password takes its count back. A refusal caused only by pending attempts (several sign-ins at
the same moment, not failures) asks to retry in a second rather than at the window's end."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from sqlalchemy import bindparam, case, delete, or_, select, update
from sqlalchemy.orm import Session

from fandesk.audit.service import record
from fandesk.members.models import Member, SignInCounter
from fandesk.members.sign_in import account_ids_of

NO_LIMIT = 2**31 - 1


def address_of(host: str | None) -> str:
    """The address a limit counts: an IPv4 address, or an IPv6 /64 network (one subscriber's usual
    allocation: counting single IPv6 addresses would let one machine try from millions)."""
    if not host:
        return "unknown"
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return host[:64]
    if ip.version == 6:
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _name_of(username: str) -> str:
    return username.strip().lower()[:100]


@dataclass(frozen=True)
class Attempt:
    """One sign-in attempt as the limiter saw it: let through (and counted), or refused for a while."""

    username: str
    address: str
    allowed: bool
    retry_after: int = 0  # seconds, when refused
    refused_by: str = ""  # pair | address | user
    pair: int = 0  # each counter after this attempt (when let through)
    by_address: int = 0
    by_user: int = 0

    @property
    def keys(self) -> tuple[str, str, str]:
        name = _name_of(self.username)
        return f"pair:{name}|{self.address}", f"addr:{self.address}", f"user:{name}"


@cache
def _count_statement(dialect: str):
    """Count one attempt on a key unless it is already at its limit, in one statement: a new window
    when the last one is over. Returns the new count, or no row when the key is at its limit."""
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    table = SignInCounter.__table__
    over = table.c.window_start <= bindparam("window_over")
    statement = insert(table).values(key=bindparam("key"), attempts=1, pending=1, window_start=bindparam("now"))
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.key],
        set_={"attempts": case((over, 1), else_=table.c.attempts + 1),
              "pending": case((over, 1), else_=table.c.pending + 1),
              "window_start": case((over, statement.excluded.window_start), else_=table.c.window_start)},
        where=or_(over, table.c.attempts < bindparam("limit")))
    return statement.returning(table.c.attempts)


class SignInLimiter:
    def __init__(self, limit: int = 5, address_limit: int = 20, user_limit: int = 20, window: float = 900.0,
                 clock=None):
        self.limit, self.address_limit, self.user_limit = limit, address_limit, user_limit
        self.window = timedelta(seconds=window)
        self.clock = clock or (lambda: datetime.now(UTC).replace(tzinfo=None))

    def _count(self, session: Session, key: str, limit: int, now: datetime) -> int | None:
        statement = _count_statement(session.get_bind().dialect.name)
        return session.execute(statement, {"key": key[:200], "now": now, "window_over": now - self.window,
                                           "limit": limit}).scalar()

    def _take_back(self, session: Session, *keys: str) -> None:
        """The attempt no longer counts (refused after all, or the right password)."""
        session.execute(update(SignInCounter).where(SignInCounter.key.in_([k[:200] for k in keys]))
                        .values(attempts=case((SignInCounter.attempts > 0, SignInCounter.attempts - 1), else_=0),
                                pending=case((SignInCounter.pending > 0, SignInCounter.pending - 1), else_=0)))

    def _settle(self, session: Session, *keys: str) -> None:
        """The attempt was checked and failed: it keeps counting, no longer pending."""
        session.execute(update(SignInCounter).where(SignInCounter.key.in_([k[:200] for k in keys]),
                                                    SignInCounter.pending > 0)
                        .values(pending=SignInCounter.pending - 1))

    def _wait(self, session: Session, key: str, limit: int, now: datetime) -> int:
        """Seconds until this key may try again: the window's end, or a second when it is full only of
        attempts still being checked."""
        row = session.execute(select(SignInCounter.attempts, SignInCounter.pending, SignInCounter.window_start)
                              .where(SignInCounter.key == key[:200])).first()
        if row is None:
            return 1
        if row.attempts - row.pending < limit:
            return 1
        return max(1, int((row.window_start + self.window - now).total_seconds()) + 1)

    def reserve(self, session: Session, *, username: str, address: str) -> Attempt:
        """Count an attempt before its password is checked, or refuse it. The caller commits before
        checking the password (argon2 takes a while; the counters must not stay locked meanwhile)."""
        now = self.clock()
        probe = Attempt(username, address, allowed=False)
        pair_key, address_key, user_key = probe.keys
        pair = self._count(session, pair_key, self.limit, now)
        if pair is None:
            return Attempt(username, address, False, self._wait(session, pair_key, self.limit, now), "pair")
        by_address = self._count(session, address_key, self.address_limit, now)
        if by_address is None:
            self._take_back(session, pair_key)
            return Attempt(username, address, False, self._wait(session, address_key, self.address_limit, now),
                           "address")
        by_user = self._count(session, user_key, NO_LIMIT, now)
        if by_user > self.user_limit and pair > 1:  # guarded: only places that have not tried it yet
            self._take_back(session, pair_key, address_key, user_key)
            return Attempt(username, address, False, self._wait(session, pair_key, 1, now), "user")
        session.flush()
        return Attempt(username, address, True, pair=pair, by_address=by_address, by_user=by_user)

    def failed(self, session: Session, attempt: Attempt) -> None:
        """A wrong password: its count stays. The failure that reaches a limit is written to the audit
        log, once per lockout."""
        self._settle(session, *attempt.keys)
        reached = [(scope, limit) for scope, count, limit in (("pair", attempt.pair, self.limit),
                                                               ("address", attempt.by_address, self.address_limit),
                                                               ("user", attempt.by_user, self.user_limit))
                   if count == limit]
        if reached:
            _record_lockout(session, attempt, reached, minutes=int(self.window.total_seconds() // 60))

    def succeeded(self, session: Session, attempt: Attempt) -> None:
        """The right password: the pair starts afresh and the attempt is taken back from the address and
        the username. Counters whose window is over are cleared out on the way."""
        pair_key, address_key, user_key = attempt.keys
        session.execute(delete(SignInCounter).where(SignInCounter.key == pair_key[:200]))
        self._take_back(session, address_key, user_key)
        session.execute(delete(SignInCounter).where(SignInCounter.window_start <= self.clock() - self.window))
        session.flush()

    def unlock(self, session: Session, *, username: str) -> int:
        """Forget a username's counted attempts, from every address (`fandesk user unlock`)."""
        name = _name_of(username)
        gone = session.execute(delete(SignInCounter).where(
            or_(SignInCounter.key == f"user:{name}", SignInCounter.key.startswith(f"pair:{name}|", autoescape=True))))
        session.flush()
        return gone.rowcount or 0


def _record_lockout(session: Session, attempt: Attempt, reached: list[tuple[str, int]], *, minutes: int) -> None:
    member = session.scalars(select(Member).where(Member.username == attempt.username.strip())).first()
    accounts = account_ids_of(session, member.id) if member is not None else []
    for scope, limit in reached:
        record(session, member_id=None, account_id=accounts[0] if accounts else None, action="sign_in.locked",
               object_type="member", object_id=member.id if member is not None else None,
               after={"username": attempt.username.strip()[:64], "address": attempt.address, "scope": scope,
                      "attempts": limit, "minutes": minutes})
