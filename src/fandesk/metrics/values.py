"""What every metric is: its value, the previous period's, the change, and where it clicks through to;
or, when there is nothing to count yet, why not (a reason code the pages turn into words)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Float, case, cast, func
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

UNITS = ("count", "share", "seconds", "ratio", "number", "score", "yuan", "hours")
# why a metric has no value: nothing of that kind was ever imported or made (and what to do), or the
# period holds nothing to divide by
NO_DATA = {
    "no_programmes": "the community programmes (tiers, advocates) are not set up yet",
    "no_events": "no events yet",
    "no_ugc": "no UGC posts imported yet",
    "no_followers_sheet": "no follower sheet imported yet",
    "no_survey": "no survey answers imported yet",
    "no_referrals": "no referral sheet imported yet",
    "no_costs": "no costs entered or imported yet",
    "no_purchases": "no purchases imported yet",
    "no_desk_replies": "no replies written in the desk yet",
    "empty": "nothing in this period",
}


@dataclass
class Metric:
    """One number. `part`/`whole` say what a share or an average is made of (2,580 of 2,850); `drill`
    names the list behind `part` (or behind the value, for a count), so a page links every number to
    the items or people it counts."""

    key: str
    value: float | int | None
    previous: float | int | None = None
    unit: str = "count"
    drill: str | None = None
    part: int | None = None
    whole: int | None = None
    whole_drill: str | None = None
    missing: str | None = None
    extra: dict = field(default_factory=dict)

    @property
    def change(self) -> float | None:
        """Against the previous period: a difference (in points, for a share)."""
        if self.value is None or self.previous is None:
            return None
        return self.value - self.previous

    @property
    def change_percent(self) -> float | None:
        """For counts and amounts: the change as a share of the previous value."""
        if self.unit in ("share", "score") or self.change is None or not self.previous:
            return None
        return self.change / self.previous

    def as_dict(self) -> dict:
        out = {"key": self.key, "value": self.value, "previous": self.previous, "change": self.change,
               "change_percent": self.change_percent, "unit": self.unit}
        if self.part is not None:
            out.update(part=self.part, whole=self.whole)
        if self.missing:
            out["missing"] = self.missing
        if self.drill:
            out["drill"] = self.drill
        if self.extra:
            out.update(self.extra)
        return out


def absent(key: str, reason: str, unit: str = "count") -> Metric:
    return Metric(key, None, None, unit=unit, missing=reason)


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def mean(total: float, count: int) -> float | None:
    return total / count if count else None


class seconds_between(FunctionElement):  # noqa: N801  (an SQL function, named like one)
    """`later - earlier` in seconds, on SQLite and PostgreSQL alike."""

    type = Float()
    inherit_cache = True


@compiles(seconds_between, "sqlite")
def _seconds_sqlite(element, compiler, **kw):
    earlier, later = list(element.clauses)
    return f"((julianday({compiler.process(later, **kw)}) - julianday({compiler.process(earlier, **kw)})) * 86400.0)"


@compiles(seconds_between, "postgresql")
def _seconds_postgresql(element, compiler, **kw):
    earlier, later = list(element.clauses)
    return f"EXTRACT(EPOCH FROM ({compiler.process(later, **kw)} - {compiler.process(earlier, **kw)}))"


def as_float(expression):
    return cast(expression, Float)


def count_if(condition):
    """How many rows meet the condition (0 when none)."""
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)
