"""The dashboard: every section of one scope (accounts, period) computed once, so the page, the
report and the JSON show the same numbers. Read-only."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from fandesk.clock import utcnow
from fandesk.errors import Invalid, NotFound
from fandesk.metrics import community, depth, engagement, feedback, growth, health, roi, team
from fandesk.metrics.periods import KINDS, Period, Scope, current_period, parse_period
from fandesk.metrics.values import Metric
from fandesk.workspace.models import Account


@dataclass
class Dashboard:
    """Everything a dashboard or a monthly report shows, for one scope."""

    scope: Scope
    accounts: list[dict]
    metrics: dict[str, Metric]
    charts: dict
    feedback: dict
    team: dict
    top_contributors: list[dict]
    roi: dict
    health: dict
    quality: list[dict]
    actions: list[dict]
    sections: dict[str, list[str]] = field(default_factory=dict)

    @property
    def period(self) -> Period:
        return self.scope.period

    def metric(self, key: str) -> Metric:
        return self.metrics[key]


def scope_for(session: Session, *, account_ids: list[int], period: str | None = None, kind: str = "month",
              now: datetime | None = None) -> Scope:
    """The accounts (with their time zones) and the period: a label (2026-03, 2026-W10, 2026-03-05),
    else the current period of `kind` in the first account's zone."""
    now = now or utcnow()
    rows = session.execute(select(Account.id, Account.time_zone).where(Account.id.in_(account_ids))
                           .order_by(Account.id)).all()
    if not rows:
        raise NotFound("no account to measure: none of the accounts asked for is yours")
    accounts = {account_id: zone or "Asia/Shanghai" for account_id, zone in rows}
    if period:
        chosen = parse_period(period)
    else:
        if kind not in KINDS:
            raise Invalid(f"period kind {kind!r}: use day, week or month")
        chosen = current_period(kind, rows[0][1] or "Asia/Shanghai", now)
    every = session.scalar(select(func.count()).select_from(Account)) == len(accounts)
    return Scope(accounts=accounts, period=chosen, now=now, every_account=every)


def dashboard(session: Session, scope: Scope) -> Dashboard:
    """Every metric of the scope, current against previous, with the charts' series, the team table,
    ROI, health score, quality table and suggested actions."""
    sections: dict[str, list[str]] = {}
    metrics: dict[str, Metric] = {}

    def add(section: str, found: dict[str, Metric]) -> None:
        sections[section] = []
        for metric in found.values():
            metrics[metric.key] = metric
            sections[section].append(metric.key)

    e = engagement.engagement(session, scope)
    add("engagement", e["metrics"])
    d = depth.depth(session, scope)
    add("depth", d["metrics"])
    g = growth.growth(session, scope)
    add("growth", g["metrics"])
    c = community.community(session, scope)
    add("community", c["metrics"])
    f = feedback.feedback(e["causes"])
    add("feedback", {"total": f["total"], **{m.key: m for m in f["causes"]}})
    t = team.team(session, scope, e["answered_totals"])
    add("team", t["time"])
    r = roi.roi(session, scope)
    add("roi", r["metrics"])
    h = health.health_score(metrics)
    metrics["health.score"] = h["score"]
    sections["health"] = ["health.score"]
    actions = [a.as_dict() for a in health.suggested_actions(metrics, f["causes"])]
    accounts = [{"id": a.id, "handle": a.handle, "name": a.name, "time_zone": a.time_zone}
                for a in session.scalars(select(Account).where(Account.id.in_(scope.account_ids)).order_by(Account.id))]
    return Dashboard(scope=scope, accounts=accounts, metrics=metrics, charts={**e["charts"], **g["charts"],
                                                                            "causes": e["causes"]},
                     feedback=f, team=t, top_contributors=c["top_contributors"], roi=r, health=h,
                     quality=health.quality_table(metrics), actions=actions, sections=sections)



def accounts(session: Session, *, account_ids: list[int]) -> list[Account]:
    """The accounts a person may measure, for the dashboard's filter."""
    return list(session.scalars(select(Account).where(Account.id.in_(account_ids)).order_by(Account.handle)))


def account_ids_for(session: Session, *, account_ids: list[int], handle: str | None) -> list[int]:
    """One account by its handle (it must be one of `account_ids`), or all of them."""
    if not handle:
        return list(account_ids)
    found = session.scalar(select(Account.id).where(Account.handle == handle.strip().lstrip("@"),
                                                    Account.id.in_(account_ids)))
    if found is None:
        raise NotFound(f"account {handle!r}: not one of yours")
    return [found]
