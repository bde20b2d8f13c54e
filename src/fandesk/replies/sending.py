"""Sending approved replies live, with retries. Each reply is claimed in its own short transaction
(approved -> sending), posted outside any transaction, then its result is written: posted (the item is
answered, as when a person marks it posted) or failed with the reason, kept in the outbox. A reply left
in `sending` by a killed process is never resent by itself: a person checks and retries.

This module is the sender's job runner: it takes the session factory, not a session, because a claim
must commit before the network call and the result after it."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from fandesk.audit.service import record
from fandesk.clock import utcnow
from fandesk.db import transaction
from fandesk.errors import Conflict, Invalid
from fandesk.inbox.models import InboxItem
from fandesk.replies.models import Reply
from fandesk.replies.sender import (
    REASONS,
    SEND_TIMEOUT,
    SIGN_TIMEOUT,
    STOPS_THE_RUN,
    Sender,
    SendError,
    Target,
    plan_target,
)
from fandesk.replies.service import _targets, record_posted, reply_overtaken, visible_reply
from fandesk.workspace.models import Account


class RetryRefused(Conflict):
    """A retry that would risk a double post or makes no sense; code is one of sender.REASONS."""

    def __init__(self, code: str, **params):
        self.code, self.params = code, params
        super().__init__(REASONS[code] % params if params else REASONS[code])


@dataclass(frozen=True)
class SendPolicy:
    """How often and how patiently to try; sleep and clock are injectable so tests never wait."""

    max_attempts: int = 3
    backoff_seconds: float = 2.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], datetime] = utcnow

    @classmethod
    def from_settings(cls, settings, **overrides) -> SendPolicy:
        return cls(max_attempts=settings.send_max_attempts, backoff_seconds=settings.send_backoff_seconds,
                   **overrides)

    def delay(self, attempt: int) -> float:
        """Seconds to wait after the given (1-based) attempt failed: base, 2 x base, 4 x base..."""
        return self.backoff_seconds * 2 ** (attempt - 1)

    def interrupted_after(self) -> timedelta:
        """How long a reply may sit in `sending` before it must have been cut off: one attempt's
        signing and posting, the longest wait between attempts, and a margin."""
        return timedelta(seconds=SIGN_TIMEOUT + SEND_TIMEOUT + self.delay(self.max_attempts) + 30)


@dataclass
class SendOutcome:
    """One reply's result: posted, failed (kept, with the reason), held (a person posts it) or
    refused (not approved, or someone else is sending it)."""

    reply_id: int
    outcome: str
    code: str | None = None
    detail: str = ""
    attempts: int = 0
    account: str = ""
    params: dict = field(default_factory=dict)


def is_interrupted(*, status: str, last_attempt_at: datetime | None, now: datetime, policy: SendPolicy) -> bool:
    return status == "sending" and (last_attempt_at is None or now - last_attempt_at > policy.interrupted_after())


def sender_account_id(session: Session, *, handle: str) -> int:
    """The account the cookie signs in as: the one named, or the only one the workspace has."""
    handle = handle.strip().lstrip("@")
    if handle:
        found = session.scalar(select(Account.id).where(Account.handle == handle))
        if found is None:
            raise Invalid(f"FANDESK_XHS_ACCOUNT names {handle!r}, which is not an account here: "
                          "use a handle from `fandesk account list`")
        return found
    ids = session.scalars(select(Account.id).limit(2)).all()
    if len(ids) != 1:
        raise Invalid("FANDESK_XHS_ACCOUNT is empty but the workspace runs several accounts: set it to the "
                      "handle of the account the cookie signs in as")
    return ids[0]


def send_reply(sessions: sessionmaker[Session], *, reply_id: int, account_ids: list[int], member_id: int | None,
               sender: Sender, policy: SendPolicy, sender_account: int) -> SendOutcome:
    """Send one approved reply: claim it, post it with retries on transient errors, record the result."""
    planned = _plan(sessions, reply_id=reply_id, account_ids=account_ids, sender_account=sender_account)
    if isinstance(planned, SendOutcome):
        return planned
    target, account = planned
    claimed = _claim(sessions, reply_id=reply_id, member_id=member_id, now=policy.clock())
    if claimed is None:
        return SendOutcome(reply_id, "refused", "in_flight", account=account)
    text, total = claimed  # total: attempts over all runs, which also proves the reply is still ours
    attempt = 1
    while True:
        try:
            comment_id = sender.post(target, text)
        except SendError as exc:
            error = exc
        except Exception as exc:  # a sender that broke its promise: treat as maybe-posted, never resend
            error = SendError("uncertain", type(exc).__name__)
        else:
            # not ours any more means a person marked it posted meanwhile: posted either way
            _finish(sessions, reply_id=reply_id, total=total, member_id=member_id, now=policy.clock(),
                    comment_id=comment_id)
            return SendOutcome(reply_id, "posted", attempts=attempt, account=account)
        if error.transient and attempt < policy.max_attempts:
            policy.sleep(policy.delay(attempt))
            if not _next_attempt(sessions, reply_id=reply_id, total=total, now=policy.clock()):
                return SendOutcome(reply_id, "refused", "in_flight", attempts=attempt, account=account)
            attempt, total = attempt + 1, total + 1
            continue
        _finish(sessions, reply_id=reply_id, total=total, member_id=member_id, now=policy.clock(), error=error)
        return SendOutcome(reply_id, "failed", error.code, error.detail, attempts=attempt, account=account)


def send_outbox(sessions: sessionmaker[Session], *, account_ids: list[int], member_id: int | None, sender: Sender,
                policy: SendPolicy, sender_account: int, reply_ids: list[int] | None = None,
                limit: int = 100) -> list[SendOutcome]:
    """Send the chosen replies, or every approved one on the accounts, oldest approval first. An error that
    would fail every reply (expired cookie, captcha, no network) stops the run: the rest stay approved."""
    if reply_ids is None:
        with transaction(sessions) as session:
            reply_ids = list(session.scalars(
                select(Reply.id).where(Reply.account_id.in_(account_ids), Reply.status == "approved")
                .order_by(Reply.approved_at, Reply.id).limit(limit)))
    outcomes: list[SendOutcome] = []
    stopped = False
    for reply_id in reply_ids[:limit]:
        if stopped:
            outcomes.append(SendOutcome(reply_id, "refused", "run_stopped"))
            continue
        outcome = send_reply(sessions, reply_id=reply_id, account_ids=account_ids, member_id=member_id,
                             sender=sender, policy=policy, sender_account=sender_account)
        outcomes.append(outcome)
        stopped = outcome.outcome == "failed" and outcome.code in STOPS_THE_RUN
    return outcomes


def retry(session: Session, *, reply_id: int, account_ids: list[int], member_id: int, policy: SendPolicy) -> Reply:
    """A failed or interrupted send goes back to the outbox as approved, to be sent again or posted by hand."""
    reply = visible_reply(session, reply_id=reply_id, account_ids=account_ids)
    now = policy.clock()
    if reply.status == "sending" and not is_interrupted(status=reply.status, last_attempt_at=reply.last_attempt_at,
                                                        now=now, policy=policy):
        raise RetryRefused("in_flight")
    if reply.status not in ("failed", "sending"):
        raise RetryRefused("not_retryable", status=reply.status)
    before = {"status": reply.status, "code": reply.send_error_code, "error": reply.send_error}
    # one guarded update: of two people retrying at once (or a retry and a send finishing), one wins
    retried = session.execute(
        update(Reply).where(Reply.id == reply.id, Reply.status == reply.status,
                            Reply.send_attempts == reply.send_attempts)
        .values(status="approved", send_error=None, send_error_code=None, updated_at=now)
        .execution_options(synchronize_session=False)).rowcount
    session.refresh(reply)
    if retried != 1:
        raise reply_overtaken(session, reply)
    record(session, member_id=member_id, account_id=reply.account_id, action="reply.retry", object_type="reply",
           object_id=reply.id, before=before, after={"status": "approved"})
    return reply


def _plan(sessions, *, reply_id: int, account_ids: list[int], sender_account: int) -> tuple[Target, str] | SendOutcome:
    """Read-only: is the reply approved, and where would it go?"""
    with transaction(sessions) as session:
        reply = visible_reply(session, reply_id=reply_id, account_ids=account_ids)
        account = session.scalar(select(Account.handle).where(Account.id == reply.account_id)) or ""
        if reply.status == "sending":
            return SendOutcome(reply_id, "refused", "in_flight", account=account)
        if reply.status != "approved":
            return SendOutcome(reply_id, "refused", "not_approved", account=account,
                               params={"status": reply.status})
        item = session.get(InboxItem, reply.item_id)
        targets = _targets(session, item)
        target = plan_target(kind=reply.kind, channel=item.channel, note_id=targets["note_id"],
                             comment_id=targets["comment_id"])
        if isinstance(target, str):
            return SendOutcome(reply_id, "held", target, account=account)
        if reply.account_id != sender_account:
            handle = session.scalar(select(Account.handle).where(Account.id == sender_account))
            return SendOutcome(reply_id, "held", "other_account", account=account, params={"handle": handle})
        return target, account


def _claim(sessions, *, reply_id: int, member_id: int | None, now: datetime) -> tuple[str, int] | None:
    """approved -> sending, the first attempt counted, in one statement: of two workers or two clicks,
    exactly one gets the reply. Returns its text and attempt count, or None when someone else has it."""
    with transaction(sessions) as session:
        claimed = session.execute(
            update(Reply).where(Reply.id == reply_id, Reply.status == "approved")
            .values(status="sending", send_attempts=Reply.send_attempts + 1, last_attempt_at=now, updated_at=now)
            .execution_options(synchronize_session=False)).rowcount
        if claimed != 1:
            return None
        reply = session.get(Reply, reply_id)
        record(session, member_id=member_id, account_id=reply.account_id, action="reply.send", object_type="reply",
               object_id=reply.id, before={"status": "approved"},
               after={"status": "sending", "send_attempts": reply.send_attempts})
        return reply.text, reply.send_attempts


def _still_ours(reply_id: int, total: int):
    """Still `sending` with our count of attempts: nobody marked it posted or retried it meanwhile."""
    return update(Reply).where(Reply.id == reply_id, Reply.status == "sending", Reply.send_attempts == total)


def _next_attempt(sessions, *, reply_id: int, total: int, now: datetime) -> bool:
    with transaction(sessions) as session:
        return session.execute(
            _still_ours(reply_id, total).values(send_attempts=total + 1, last_attempt_at=now, updated_at=now)
            .execution_options(synchronize_session=False)).rowcount == 1


def _finish(sessions, *, reply_id: int, total: int, member_id: int | None, now: datetime,
            comment_id: str | None = None, error: SendError | None = None) -> bool:
    """Write the result if the reply is still ours; a person may have marked it meanwhile."""
    with transaction(sessions) as session:
        # The guarded write comes first: it takes the row (and SQLite's write lock) before anything is read.
        mine = session.execute(_still_ours(reply_id, total).values(updated_at=now)
                               .execution_options(synchronize_session=False)).rowcount == 1
        if not mine:
            return False
        reply = session.get(Reply, reply_id)
        if error is None:
            record_posted(session, reply=reply, member_id=member_id, now=now, platform_comment_id=comment_id,
                          attempts=total)
            return True
        reply.status, reply.send_error, reply.send_error_code = "failed", error.detail or None, error.code
        session.flush()
        record(session, member_id=member_id, account_id=reply.account_id, action="reply.send_failed",
               object_type="reply", object_id=reply.id, before={"status": "sending"},
               after={"status": "failed", "code": error.code, "error": error.detail, "attempts": total})
        return True

