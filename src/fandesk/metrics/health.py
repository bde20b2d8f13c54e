"""The community health score out of 10, the brief's quality-assessment table, and actions suggested
by the numbers.

Health score: each input is scored 0-10 on a straight line between a "0 at" and a "10 at" threshold
(clamped), then averaged with the weights below. An input with no value (nothing in the period, or
no data of that kind yet) is left out and the other weights count in its place; the score says
which inputs it used."""

from __future__ import annotations

from dataclasses import dataclass

from fandesk.metrics.values import Metric

# (input, weight, value scored 0, value scored 10)
HEALTH_INPUTS = (
    ("engagement.reply_rate", 15, 0.50, 0.90),
    ("engagement.all_within_target", 15, 0.50, 0.90),
    ("engagement.sentiment_positive", 15, 0.50, 0.90),
    ("engagement.sentiment_negative", 10, 0.20, 0.05),
    ("depth.repeat_commenters", 10, 0.0, 0.35),
    ("depth.follower_to_follower", 10, 0.0, 0.15),
    ("growth.retention", 15, 0.40, 0.85),
    ("community.nps", 10, 0.0, 70.0),
)

# the brief's "Community Quality Assessment (Q1 2026)" and dashboard example, to compare against
QUALITY_TABLE = (
    ("depth.thread_length", 6.2),
    ("depth.reply_ratio", 3.2),
    ("depth.mentions", 0.22),
    ("depth.repeat_commenters", 0.35),
    ("depth.follower_to_follower", 0.15),
    ("growth.retention", 0.85),
    ("community.ugc_posts", 85),
    ("community.referrals", 45),
    ("engagement.reply_rate", 0.905),
    ("engagement.sentiment_positive", 0.94),
    ("community.satisfaction", 4.7),
    ("community.nps", 72),
)
REPLY_RATE_TARGET = 0.90
WITHIN_TARGET = 0.90
NEGATIVE_TARGET = 0.05  # the brief: "Improve negative sentiment (target: <5%)"
RETENTION_FLOOR = 0.80
NPS_FLOOR = 50
REPEAT_FLOOR = 0.20


@dataclass
class Action:
    """A suggested action: a code the pages say in words, the metric behind it, and its parameters."""

    code: str
    metric: str
    params: dict

    def as_dict(self) -> dict:
        return {"code": self.code, "metric": self.metric, **self.params}


def _score(value: float, zero: float, ten: float) -> float:
    position = (value - zero) / (ten - zero)
    return round(10 * min(1.0, max(0.0, position)), 2)


def health_score(metrics: dict[str, Metric]) -> dict:
    """The score, and per input its value, score, weight and thresholds (for "its formula shown")."""
    inputs, total, weights = [], 0.0, 0
    for key, weight, zero, ten in HEALTH_INPUTS:
        metric = metrics.get(key)
        value = None if metric is None else metric.value
        row = {"metric": key, "weight": weight, "zero_at": zero, "ten_at": ten, "value": value, "score": None}
        if value is not None:
            row["score"] = _score(value, zero, ten)
            total += row["score"] * weight
            weights += weight
        inputs.append(row)
    score = round(total / weights, 1) if weights else None
    previous = _previous_score(metrics)
    return {"score": Metric("health.score", score, previous, unit="score"), "inputs": inputs,
            "weights_used": weights}


def _previous_score(metrics: dict[str, Metric]) -> float | None:
    total, weights = 0.0, 0
    for key, weight, zero, ten in HEALTH_INPUTS:
        metric = metrics.get(key)
        if metric is not None and metric.previous is not None:
            total += _score(metric.previous, zero, ten) * weight
            weights += weight
    return round(total / weights, 1) if weights else None


def quality_table(metrics: dict[str, Metric]) -> list[dict]:
    """The brief's quality assessment beside ours: each row, our value, the brief's example, and
    whether we are at or above it (None when we have no value)."""
    rows = []
    for key, example in QUALITY_TABLE:
        metric = metrics.get(key)
        value = None if metric is None else metric.value
        rows.append({"metric": key, "value": value, "example": example, "unit": metric.unit if metric else "number",
                     "missing": metric.missing if metric else "empty",
                     "at_or_above": None if value is None else value >= example})
    return rows


def suggested_actions(metrics: dict[str, Metric], causes: list[Metric]) -> list[Action]:
    """What the numbers suggest, most pressing first (the brief's "Actions")."""
    actions: list[Action] = []

    def value(key):
        metric = metrics.get(key)
        return None if metric is None else metric.value

    reply_rate = value("engagement.reply_rate")
    if reply_rate is not None:
        if reply_rate < REPLY_RATE_TARGET:
            actions.append(Action("raise_response_rate", "engagement.reply_rate",
                                  {"value": reply_rate, "unanswered": value("engagement.unanswered")}))
        else:
            actions.append(Action("maintain_response_rate", "engagement.reply_rate", {"value": reply_rate}))
    within = value("engagement.all_within_target")
    if within is not None and within < WITHIN_TARGET:
        actions.append(Action("faster_responses", "engagement.all_within_target",
                              {"value": within, "late": value("engagement.late")}))
    dm_within = value("engagement.dm_within_target")
    if dm_within is not None and dm_within < WITHIN_TARGET:
        actions.append(Action("prioritize_dms", "engagement.dm_within_target", {"value": dm_within}))
    negative = value("engagement.sentiment_negative")
    if negative is not None and negative >= NEGATIVE_TARGET:
        top = next((c for c in causes if c.value and c.extra["cause"] != "other"), None)
        actions.append(Action("improve_negative_sentiment", "engagement.sentiment_negative",
                              {"value": negative, "cause": top.extra["cause"] if top else None,
                               "cause_actions": top.extra["actions"] if top else []}))
    retention = value("growth.retention")
    if retention is not None and retention < RETENTION_FLOOR:
        actions.append(Action("reengage_dormant", "growth.retention", {"value": retention}))
    repeat = value("depth.repeat_commenters")
    if repeat is not None and repeat < REPEAT_FLOOR:
        actions.append(Action("spark_conversation", "depth.repeat_commenters", {"value": repeat}))
    nps = value("community.nps")
    if nps is not None and nps < NPS_FLOOR:
        actions.append(Action("improve_satisfaction", "community.nps", {"value": nps}))
    members, capacity = value("growth.tier_inner_circle"), value("growth.inner_circle_capacity")
    if members is not None and capacity and members >= capacity:
        actions.append(Action("scale_inner_circle", "growth.tier_inner_circle",
                              {"value": members, "capacity": capacity}))
    followers = metrics.get("growth.new_followers")
    if followers is not None and followers.change_percent is not None and followers.change_percent < -0.1:
        actions.append(Action("grow_followers", "growth.new_followers", {"value": followers.value,
                                                                         "previous": followers.previous}))
    ratio = value("roi.roi")
    if ratio is not None and ratio < 1:
        actions.append(Action("review_costs", "roi.roi", {"value": ratio}))
    return actions
