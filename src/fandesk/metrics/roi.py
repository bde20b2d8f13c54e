"""Return on investment: what the community cost against what it brought back, every assumption shown
and editable per account (`roi_assumption`; no row: the default below).

- **Costs** are the cost rows dated in the period (imported from a costs sheet, one row per month and
  category): team hours (their amount, or hours x the hourly rate when no amount is given), tools,
  rewards, other. With no team-hours row in the period, the team's cost is the hours the desk measured
  (replies and DMs, `metrics.team`) x the hourly rate, and says so.
- **Returns**: followers from the community (new followers x the share the community brought x the
  value of a follower), referral revenue (as imported), UGC value (UGC posts x what a created post
  would cost), and LTV uplift (the period's purchases by people who took part in the community x
  uplift / (1 + uplift): the part of their spending the higher lifetime value accounts for).
- **ROI** = returns / costs, as the brief writes it (¥35,000 back on ¥12,000 in: 2.9x)."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import exists, func, select

from fandesk.audit.service import record
from fandesk.errors import Invalid
from fandesk.metrics.models import RoiAssumption
from fandesk.metrics.periods import Period, Scope
from fandesk.metrics.values import Metric, absent
from fandesk.people.models import Interaction, Purchase, Referral
from fandesk.replies.models import ReplyWork
from fandesk.workspace.models import Cost

# key: (default, smallest, largest); money in yuan, shares from 0 to 1
DEFAULTS = {
    "hourly_rate": (60.0, 0.0, 100_000.0),
    "follower_value": (0.0, 0.0, 100_000.0),
    "community_follower_share": (0.7, 0.0, 1.0),
    "ugc_post_value": (100.0, 0.0, 100_000.0),
    "ltv_uplift": (0.0, 0.0, 10.0),
}
COST_KINDS = ("team", "tools", "rewards", "other")
_KIND_WORDS = (
    ("team", re.compile(r"团队|工时|人工|人力|运营|薪|team|hour|staff|labou?r|salar", re.I)),
    ("tools", re.compile(r"工具|软件|订阅|会员|系统|tool|software|subscription|saas", re.I)),
    ("rewards", re.compile(r"奖励|礼品|礼物|赠品|券|红包|reward|gift|prize|coupon|credit", re.I)),
)
COMMUNITY_KINDS = ("commented", "replied", "mentioned", "messaged", "posted_ugc", "referred", "answered_survey")


def cost_kind(category: str) -> str:
    """team, tools, rewards or other, from the words of an imported category ("团队工时", "Tools")."""
    for kind, words in _KIND_WORDS:
        if words.search(category or ""):
            return kind
    return "other"


def assumptions(session, account_ids: list[int]) -> dict[int, dict[str, float]]:
    """Per account, every assumption: the one set for it, else the default."""
    out = {a: {key: default for key, (default, _, _) in DEFAULTS.items()} for a in account_ids}
    for row in session.scalars(select(RoiAssumption).where(RoiAssumption.account_id.in_(account_ids))):
        if row.key in DEFAULTS:
            out[row.account_id][row.key] = row.value
    return out


def set_assumption(session, *, account_id: int, key: str, value: str | float, member_id: int | None) -> RoiAssumption:
    """Change one assumption of one account (a manager's decision: audited with before and after)."""
    if key not in DEFAULTS:
        raise Invalid(f"ROI assumption {key!r}: use one of {', '.join(DEFAULTS)}")
    default, low, high = DEFAULTS[key]
    try:
        number = float(str(value).strip().replace(",", "").rstrip("%"))
    except ValueError:
        raise Invalid(f"ROI assumption {key}: {value!r} is not a number") from None
    if str(value).strip().endswith("%"):
        number /= 100
    if not low <= number <= high:
        raise Invalid(f"ROI assumption {key}: {number:g} is outside {low:g}-{high:g}")
    row = session.scalar(select(RoiAssumption).where(RoiAssumption.account_id == account_id,
                                                     RoiAssumption.key == key))
    before = default if row is None else row.value
    now = datetime.now(UTC).replace(tzinfo=None)
    if row is None:
        row = RoiAssumption(account_id=account_id, key=key, value=number, updated_by=member_id, updated_at=now)
        session.add(row)
    else:
        row.value, row.updated_by, row.updated_at = number, member_id, now
    session.flush()
    record(session, member_id=member_id, account_id=account_id, action="roi.assumption", object_type="account",
           object_id=account_id, before={key: before}, after={key: number})
    return row


def _costs(session, scope: Scope, period) -> dict[int, dict[str, dict[str, float]]]:
    """Per account and kind: amount, hours, and hours without an amount (to price at the hourly rate)."""
    rows = session.execute(
        select(Cost.account_id, Cost.category, func.coalesce(func.sum(Cost.amount), 0),
               func.coalesce(func.sum(Cost.hours), 0),
               func.coalesce(func.sum(Cost.hours).filter(Cost.amount.is_(None)), 0), func.count())
        .where(Cost.account_id.in_(scope.account_ids), Cost.incurred_on >= period.start, Cost.incurred_on < period.end)
        .group_by(Cost.account_id, Cost.category)).all()
    out: dict[int, dict[str, dict[str, float]]] = {}
    for account_id, category, amount, hours, unpriced, n in rows:
        kind = out.setdefault(account_id, {}).setdefault(cost_kind(category), {"amount": 0.0, "hours": 0.0,
                                                                                "unpriced": 0.0, "rows": 0})
        kind["amount"] += float(amount)
        kind["hours"] += float(hours)
        kind["unpriced"] += float(unpriced)
        kind["rows"] += n
    return out


def _per_account(session, query) -> dict[int, float]:
    return {a: float(v or 0) for a, v in session.execute(query).all()}


def _period_roi(session, scope: Scope, period: Period, values: dict[int, dict[str, float]]) -> dict:
    """Costs by kind and returns by source for one period, summed over the accounts, each account's
    numbers priced with its own assumptions."""
    costs = _costs(session, scope, period)

    def per_account(column, total, *where):
        return _per_account(session, select(column, total).where(*where).group_by(column))

    new_followers = per_account(Interaction.account_id, func.count(Interaction.person_id.distinct()),
                                scope.within(Interaction.account_id, Interaction.occurred_at, period),
                                Interaction.kind == "followed")
    ugc_posts = per_account(Interaction.account_id, func.count(),
                            scope.within(Interaction.account_id, Interaction.occurred_at, period),
                            Interaction.kind == "posted_ugc")
    desk_seconds = per_account(ReplyWork.account_id, func.sum(ReplyWork.seconds),
                               scope.within(ReplyWork.account_id, ReplyWork.done_at, period))
    referral = per_account(Referral.account_id, func.sum(Referral.revenue),
                           scope.within(Referral.account_id, Referral.referred_at, period))
    community_buyer = exists().where(Interaction.person_id == Purchase.person_id,
                                     Interaction.account_id == Purchase.account_id,
                                     Interaction.kind.in_(COMMUNITY_KINDS))
    community_spend = per_account(Purchase.account_id, func.sum(Purchase.amount),
                                  scope.within(Purchase.account_id, Purchase.purchased_at, period), community_buyer)
    costs_by_kind = {kind: 0.0 for kind in COST_KINDS}
    returns = {"followers": 0.0, "referrals": 0.0, "ugc": 0.0, "ltv": 0.0}
    team_from_desk, team_hours = False, 0.0
    for account_id in scope.account_ids:
        a = values[account_id]
        mine = costs.get(account_id, {})
        for kind in COST_KINDS:
            if found := mine.get(kind):
                costs_by_kind[kind] += found["amount"] + found["unpriced"] * a["hourly_rate"]
        if "team" in mine:
            team_hours += mine["team"]["hours"]
        elif desk_seconds.get(account_id):
            costs_by_kind["team"] += desk_seconds[account_id] / 3600 * a["hourly_rate"]
            team_hours += desk_seconds[account_id] / 3600
            team_from_desk = True
        returns["followers"] += (new_followers.get(account_id, 0) * a["community_follower_share"]
                                 * a["follower_value"])
        returns["referrals"] += referral.get(account_id, 0.0)
        returns["ugc"] += ugc_posts.get(account_id, 0) * a["ugc_post_value"]
        uplift = a["ltv_uplift"]
        returns["ltv"] += community_spend.get(account_id, 0.0) * uplift / (1 + uplift)
    return {"costs": costs_by_kind, "returns": returns, "any_costs": bool(costs) or team_from_desk,
            "team_from_desk": team_from_desk, "team_hours": team_hours}


def roi(session, scope: Scope) -> dict:
    """Costs, returns and ROI of the period against the previous one, with the assumptions used per
    account (the same for both periods: they are today's)."""
    values = assumptions(session, scope.account_ids)
    now, before = (_period_roi(session, scope, p, values) for p in (scope.period, scope.previous))
    m = {}
    for kind in COST_KINDS:
        m[f"cost_{kind}"] = Metric(f"roi.cost_{kind}", now["costs"][kind], before["costs"][kind], unit="yuan")
    cost_total = (sum(now["costs"].values()), sum(before["costs"].values()))
    m["cost_total"] = Metric("roi.cost_total", cost_total[0], cost_total[1], unit="yuan",
                             extra={"team_from_desk": now["team_from_desk"]})
    for name in now["returns"]:
        m[f"return_{name}"] = Metric(f"roi.return_{name}", now["returns"][name], before["returns"][name], unit="yuan")
    return_total = (sum(now["returns"].values()), sum(before["returns"].values()))
    m["return_total"] = Metric("roi.return_total", return_total[0], return_total[1], unit="yuan")
    ratio = tuple(r / c if c > 0 else None for r, c in zip(return_total, cost_total, strict=True))
    if ratio[0] is None:
        m["roi"] = absent("roi.roi", "empty" if now["any_costs"] else "no_costs", unit="ratio")
        m["roi"].previous = ratio[1]
    else:
        m["roi"] = Metric("roi.roi", ratio[0], ratio[1], unit="ratio")
    m["team_hours"] = Metric("roi.team_hours", now["team_hours"], before["team_hours"], unit="hours",
                             extra={"source": "desk" if now["team_from_desk"] else "costs"})
    return {"metrics": m, "assumptions": values, "defaults": {k: d for k, (d, _, _) in DEFAULTS.items()}}
