"""Periods (a day, an ISO week, a month) in an account's time zone, and the scope a dashboard reads:
which accounts, which period, and the periods before it for trends.

The database keeps naive UTC times; a period is local calendar days, so its bounds are turned into
UTC per time zone. Accounts that share a zone share bounds, and a condition over several zones is an
OR of one range per zone: every comparison stays a plain range on an indexed time column."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, case, false, literal_column, null, or_, union_all
from sqlalchemy.sql.elements import ColumnElement

from fandesk.errors import Invalid

KINDS = ("day", "week", "month")

_MONTH = re.compile(r"(\d{4})-(\d{2})")
_WEEK = re.compile(r"(\d{4})-W(\d{2})")
_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


@dataclass(frozen=True, order=True)
class Period:
    """Local calendar days [start, end): a day, a Monday-to-Sunday ISO week, or a month."""

    kind: str
    start: date

    @property
    def end(self) -> date:
        if self.kind == "day":
            return self.start + timedelta(days=1)
        if self.kind == "week":
            return self.start + timedelta(days=7)
        year, month = self.start.year + self.start.month // 12, self.start.month % 12 + 1
        return date(year, month, 1)

    @property
    def label(self) -> str:
        if self.kind == "day":
            return self.start.isoformat()
        if self.kind == "week":
            year, week, _ = self.start.isocalendar()
            return f"{year}-W{week:02d}"
        return self.start.strftime("%Y-%m")

    def previous(self) -> Period:
        return self.shift(-1)

    def shift(self, steps: int) -> Period:
        if self.kind == "day":
            return Period("day", self.start + timedelta(days=steps))
        if self.kind == "week":
            return Period("week", self.start + timedelta(days=7 * steps))
        index = self.start.year * 12 + self.start.month - 1 + steps
        return Period("month", date(index // 12, index % 12 + 1, 1))

    def bounds(self, time_zone: str) -> tuple[datetime, datetime]:
        """[start, end) as naive UTC times, the way the database keeps times."""
        return to_utc(self.start, time_zone), to_utc(self.end, time_zone)

    def contains(self, day: date) -> bool:
        return self.start <= day < self.end


def to_utc(day: date, time_zone: str) -> datetime:
    """Local midnight starting `day`, as naive UTC."""
    local = datetime(day.year, day.month, day.day, tzinfo=ZoneInfo(time_zone))
    return local.astimezone(UTC).replace(tzinfo=None)


def parse_period(text: str) -> Period:
    """'2026-03' (a month), '2026-W10' (an ISO week) or '2026-03-05' (a day)."""
    text = (text or "").strip()
    try:
        if match := _DAY.fullmatch(text):
            return Period("day", date(int(match[1]), int(match[2]), int(match[3])))
        if match := _WEEK.fullmatch(text):
            return Period("week", date.fromisocalendar(int(match[1]), int(match[2]), 1))
        if (match := _MONTH.fullmatch(text)) and 1 <= int(match[2]) <= 12:
            return Period("month", date(int(match[1]), int(match[2]), 1))
    except ValueError:
        pass
    raise Invalid(f"period {text!r}: give a month (2026-03), an ISO week (2026-W10) or a day (2026-03-05)")


def current_period(kind: str, time_zone: str, now: datetime) -> Period:
    """The period of this kind that holds `now` (naive UTC) in the zone."""
    if kind not in KINDS:
        raise Invalid(f"period kind {kind!r}: use day, week or month")
    today = now.replace(tzinfo=UTC).astimezone(ZoneInfo(time_zone)).date()
    if kind == "day":
        return Period("day", today)
    if kind == "week":
        return Period("week", today - timedelta(days=today.weekday()))
    return Period("month", today.replace(day=1))


@dataclass
class Scope:
    """The accounts a dashboard reads (id -> time zone), its period, and `now` (naive UTC): the moment
    the numbers are computed at, so an item still open counts as late only once its target has passed."""

    accounts: dict[int, str]
    period: Period
    now: datetime
    every_account: bool = False  # the scope holds every account of the workspace
    _zones: dict[str, list[int]] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._zones = {}
        for account_id, zone in sorted(self.accounts.items()):
            self._zones.setdefault(zone, []).append(account_id)

    @property
    def account_ids(self) -> list[int]:
        return sorted(self.accounts)

    @property
    def previous(self) -> Period:
        return self.period.previous()

    @property
    def periods(self) -> list[Period]:
        """[previous, current]: bucket 0 is the previous period, 1 the scope's."""
        return [self.previous, self.period]

    def steps(self) -> list[tuple[str, datetime]]:
        """The current period's steps for its trend charts, as (label, local start): its days (its hours,
        for a day)."""
        start = datetime(self.period.start.year, self.period.start.month, self.period.start.day)
        if self.period.kind == "day":
            return [(f"{hour:02d}:00", start + timedelta(hours=hour)) for hour in range(24)]
        days = (self.period.end - self.period.start).days
        return [((start + timedelta(days=d)).strftime("%m-%d"), start + timedelta(days=d)) for d in range(days)]

    def within(self, account_column, time_column, period: Period | None = None, *,
               first: Period | None = None, margin: timedelta = timedelta(0)) -> ColumnElement[bool]:
        """The rows of the scope's accounts whose time falls in `period` (default: the scope's), or from
        the start of `first` to the end of `period`, widened at the start by `margin`: per time zone,
        `account IN (...) AND time >= start AND time < end`, a range an index on (account, time) serves."""
        period = period or self.period
        first = first or period
        ranges = []
        for zone, ids in self._zones.items():
            start, end = to_utc(first.start, zone) - margin, to_utc(period.end, zone)
            ranges.append(and_(account_column.in_(ids), time_column >= start, time_column < end))
        if not ranges:
            return false()
        return ranges[0] if len(ranges) == 1 else or_(*ranges)

    def both(self, account_column, time_column, *, margin: timedelta = timedelta(0)) -> ColumnElement[bool]:
        """The previous and the current period together."""
        return self.within(account_column, time_column, self.period, first=self.previous, margin=margin)

    def before(self, account_column, time_column, period: Period | None = None) -> ColumnElement[bool]:
        """Times before the start of `period` (default: the scope's) in the account's zone."""
        period = period or self.period
        ranges = [and_(account_column.in_(ids), time_column < to_utc(period.start, zone))
                  for zone, ids in self._zones.items()]
        if not ranges:
            return false()
        return ranges[0] if len(ranges) == 1 else or_(*ranges)

    def per_period(self, make, periods: list[Period] | None = None):
        """`make(b, period)` for each period (default: previous and current), as one UNION ALL subquery:
        each part a plain range scan that carries its period's index `b` as a constant, cheaper than
        working out every row's period with a CASE."""
        periods = periods or self.periods
        return union_all(*[make(literal_column(str(i)).label("b"), p) for i, p in enumerate(periods)]).subquery()

    def any_account_before(self, account_column, time_column, period: Period | None = None):
        """`before`, for a lookup by person: when the scope holds every account and one time zone, a
        plain time bound (an index on (person, time) answers it alone)."""
        if self.every_account and len(self._zones) == 1:
            zone = next(iter(self._zones))
            return time_column < to_utc((period or self.period).start, zone)
        return and_(account_column.in_(self.account_ids), self.before(account_column, time_column, period))

    def bucket(self, account_column, time_column, periods: list[Period] | None = None):
        """The index of the period a row falls in (0 = the previous period, 1 = the scope's), NULL outside
        them: one CASE per time zone, its branches in time order so the database stops at the first match."""
        periods = periods or self.periods
        return self._case(account_column, time_column,
                          lambda zone: [to_utc(p.start, zone) for p in periods] + [to_utc(periods[-1].end, zone)])

    def step(self, account_column, time_column):
        """The index of the current period's step (day, or hour) a row falls in, NULL outside the period."""
        steps = self.steps()

        def edges(zone):
            local = ZoneInfo(zone)
            out = [s.replace(tzinfo=local).astimezone(UTC).replace(tzinfo=None) for _, s in steps]
            return out + [to_utc(self.period.end, zone)]

        return self._case(account_column, time_column, edges)

    def _case(self, account_column, time_column, edges_of):
        per_zone = []
        for zone, ids in self._zones.items():
            edges = edges_of(zone)
            whens = [(time_column < edges[0], null())]
            whens += [(time_column < edges[i + 1], literal_column(str(i))) for i in range(len(edges) - 1)]
            per_zone.append((ids, case(*whens, else_=null())))
        if len(per_zone) == 1:
            return per_zone[0][1]
        return case(*[(account_column.in_(ids), expression) for ids, expression in per_zone], else_=null())
