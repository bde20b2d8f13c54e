"""An account's opening hours: read from "mon-fri 09:00-18:00" lines, kept per weekday, shown back in
the same form. Reply-by deadlines count only open hours (fandesk.inbox.deadlines)."""

from __future__ import annotations

from datetime import time

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from fandesk.errors import Invalid, NotFound
from fandesk.workspace.models import Account, BusinessHours

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def parse_opening_hours(specs: list[str]) -> dict[int, tuple[str, str]]:
    """["mon-fri 09:00-18:00", "sat 10:00-16:00"] into {weekday: (opens, closes)}; days not named are closed."""
    hours: dict[int, tuple[str, str]] = {}
    for spec in specs:
        days, _, span = spec.strip().partition(" ")
        try:
            opens, closes = parse_hours(span.strip())
        except ValueError as exc:
            raise Invalid(f"business hours {spec!r}: {exc}") from None
        first, _, last = days.lower().partition("-")
        if first not in WEEKDAYS or (last and last not in WEEKDAYS):
            raise Invalid(f"business hours {spec!r}: days are mon, tue, wed, thu, fri, sat, sun (e.g. mon-fri)")
        start, end = WEEKDAYS.index(first), WEEKDAYS.index(last or first)
        for day in range(start, end + 1) if start <= end else [*range(start, 7), *range(0, end + 1)]:
            hours[day] = (opens.strftime("%H:%M"), closes.strftime("%H:%M"))
    return hours


def set_business_hours(session: Session, *, handle: str, specs: list[str]) -> dict[int, tuple[str, str]]:
    """Replace an account's opening hours (empty: always open). Re-triage to move open items' deadlines."""
    account = session.scalars(select(Account).where(Account.handle == handle)).first()
    if account is None:
        raise NotFound(f"no account {handle!r}: see `fandesk account list`")
    hours = parse_opening_hours(specs)
    session.execute(delete(BusinessHours).where(BusinessHours.account_id == account.id))
    for day, (opens, closes) in hours.items():
        session.add(BusinessHours(account_id=account.id, weekday=day, opens=opens, closes=closes))
    session.flush()
    return hours


def hours_lines(session: Session, *, account_id: int) -> list[str]:
    """An account's opening hours in the `fandesk account hours` format, runs of days with the same
    hours joined ("mon-fri 09:00-18:00"); none: always open."""
    rows = session.execute(select(BusinessHours.weekday, BusinessHours.opens, BusinessHours.closes)
                           .where(BusinessHours.account_id == account_id).order_by(BusinessHours.weekday)).all()
    runs: list[list] = []
    for day, opens, closes in rows:
        if runs and runs[-1][1] == day - 1 and runs[-1][2] == (opens, closes):
            runs[-1][1] = day
        else:
            runs.append([day, day, (opens, closes)])
    return [(WEEKDAYS[first] if first == last else f"{WEEKDAYS[first]}-{WEEKDAYS[last]}") + f" {opens}-{closes}"
            for first, last, (opens, closes) in runs]


def parse_hours(text: str) -> tuple[time, time]:
    """"09:00-18:00" into (opens, closes)."""
    try:
        start, end = (part.strip() for part in text.split("-", 1))
        opens, closes = time.fromisoformat(start), time.fromisoformat(end)
    except ValueError:
        raise ValueError(f"{text!r} is not opening hours like 09:00-18:00") from None
    if closes <= opens:
        raise ValueError(f"{text!r}: closing time must be after opening time")
    return opens, closes
