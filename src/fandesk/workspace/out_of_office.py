"""An account's out-of-office notice: a manager switches it on (for a window in the account's local
time, or open-ended) with a text in Chinese and English; while it is in effect, reply drafts open
with it and the queue names the account."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from fandesk.audit.service import record
from fandesk.clock import utcnow
from fandesk.errors import InvalidField
from fandesk.workspace.models import Account, OutOfOffice
from fandesk.workspace.service import visible_account

MAX_TEXT = 300  # a comment reply is read on a phone; the notice is only its opener


@dataclass(frozen=True)
class Notice:
    """A notice as the pages show it: the account, whether it is on, its window and its texts."""

    account_id: int
    account_name: str
    time_zone: str
    enabled: bool = False
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    text_zh: str = ""
    text_en: str = ""

    def in_effect(self, now: datetime | None = None) -> bool:
        """On, and now within the window when one is set."""
        now = now or utcnow()
        return (self.enabled and (self.starts_at is None or self.starts_at <= now)
                and (self.ends_at is None or now < self.ends_at))

    def text_for(self, language: str) -> str:
        """The text in the reply's language, else the other one."""
        first, second = (self.text_en, self.text_zh) if language == "en" else (self.text_zh, self.text_en)
        return (first or second).strip()

    def state(self, now: datetime | None = None) -> str:
        """off | scheduled | in_effect | ended: what the settings page says about it."""
        now = now or utcnow()
        if not self.enabled:
            return "off"
        if self.in_effect(now):
            return "in_effect"
        return "scheduled" if self.starts_at is not None and now < self.starts_at else "ended"


def _notice(account: Account, row: OutOfOffice | None) -> Notice:
    if row is None:
        return Notice(account.id, account.name, account.time_zone)
    return Notice(account.id, account.name, account.time_zone, row.enabled, row.starts_at, row.ends_at,
                  row.text_zh or "", row.text_en or "")


def notice_of(session: Session, *, account_id: int, account_ids: list[int]) -> Notice:
    account = visible_account(session, account_id=account_id, account_ids=account_ids)
    row = session.scalars(select(OutOfOffice).where(OutOfOffice.account_id == account.id)).first()
    return _notice(account, row)


def notices_in_effect(session: Session, *, account_ids: list[int], now: datetime | None = None) -> list[Notice]:
    """The member's accounts that are out of office now (one small query: the queue page asks)."""
    if not account_ids:
        return []
    rows = session.execute(_ENABLED_ON, {"account_ids": account_ids}).all()
    return [n for n in (_notice(a, o) for a, o in rows) if n.in_effect(now)]


_ENABLED_ON = (select(Account, OutOfOffice).join(OutOfOffice, OutOfOffice.account_id == Account.id)
               .where(Account.id.in_(bindparam("account_ids", expanding=True)), OutOfOffice.enabled.is_(True))
               .order_by(Account.handle))  # built once: every queue page asks
_ENABLED = select(OutOfOffice).where(OutOfOffice.account_id == bindparam("account_id"),
                                     OutOfOffice.enabled.is_(True))  # built once: every item page and draft


def notice_text(session: Session, *, account_id: int, language: str, now: datetime | None = None) -> str:
    """The text to open a reply with when the account is out of office now; empty otherwise."""
    row = session.scalars(_ENABLED, {"account_id": account_id}).first()
    if row is None:
        return ""
    notice = _notice(session.get(Account, account_id), row)
    return notice.text_for(language) if notice.in_effect(now) else ""


def _local(value: str, *, field: str, time_zone: str) -> datetime | None:
    """A date and time typed in the account's zone, as naive UTC; empty: none."""
    value = value.strip()
    if not value:
        return None
    try:
        local = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidField(f"bad_{field}", f"out-of-office {field!r}: {value!r} is not a date and time; use e.g. "
                           f"2026-02-10 09:00 ({time_zone})", value=value) from None
    return local.replace(tzinfo=ZoneInfo(time_zone)).astimezone(UTC).replace(tzinfo=None)


def set_notice(session: Session, *, account_id: int, account_ids: list[int], member_id: int, enabled: bool,
               starts: str = "", ends: str = "", text_zh: str = "", text_en: str = "") -> Notice:
    """Switch the notice on or off and set its window (account's local time; either end may be empty)
    and texts. Everything is checked before anything changes."""
    account = visible_account(session, account_id=account_id, account_ids=account_ids)
    starts_at = _local(starts, field="from", time_zone=account.time_zone)
    ends_at = _local(ends, field="until", time_zone=account.time_zone)
    text_zh, text_en = text_zh.strip(), text_en.strip()
    if starts_at and ends_at and ends_at <= starts_at:
        raise InvalidField("window_backwards", "out-of-office 'until' must be later than 'from'")
    for text in (text_zh, text_en):
        if len(text) > MAX_TEXT:
            raise InvalidField("notice_too_long", f"out-of-office text: {len(text)} characters; keep it under "
                               f"{MAX_TEXT}", size=len(text), limit=MAX_TEXT)
    if enabled and not (text_zh or text_en):
        raise InvalidField("no_notice_text", "out-of-office text: write the notice in Chinese, English or both "
                           "before switching it on")
    row = session.scalars(select(OutOfOffice).where(OutOfOffice.account_id == account.id)).first()
    before = None if row is None else _audit(_notice(account, row))
    if row is None:
        row = OutOfOffice(account_id=account.id)
        session.add(row)
    row.enabled, row.starts_at, row.ends_at, row.text_zh, row.text_en = enabled, starts_at, ends_at, text_zh, text_en
    row.updated_by, row.updated_at = member_id, utcnow()
    session.flush()
    notice = _notice(account, row)
    if _audit(notice) != before:
        record(session, member_id=member_id, account_id=account.id, action="account.out_of_office",
               object_type="account", object_id=account.id, before=before, after=_audit(notice))
    return notice


def _audit(notice: Notice) -> dict:
    return {"enabled": notice.enabled, "starts_at": notice.starts_at, "ends_at": notice.ends_at,
            "text_zh": notice.text_zh, "text_en": notice.text_en}
