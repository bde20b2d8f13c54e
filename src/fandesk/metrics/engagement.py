"""Engagement: comments per note, reply rate, response times (mean, median, p90) for comments and DMs,
the share answered within target, sentiment, repeat engagement; and the trends and distribution the
dashboard draws. What counts is written in `fandesk.metrics.items` and docs/metrics.md."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import func, select

from fandesk.inbox.models import InboxItem
from fandesk.metrics.items import (
    PUBLIC,
    RESPONSE_EDGES_HOURS,
    counted,
    daily_facts,
    dm_facts,
    in_period,
    item_facts,
    percentiles,
    response_values,
)
from fandesk.metrics.periods import Scope
from fandesk.metrics.values import Metric, mean, share

SENTIMENTS = ("positive", "neutral", "negative")
CAUSES = ("product_failure", "customer_service", "shipping_delay", "pricing", "other")


class Tally:
    """The fact rows of one query, summed on demand: `tally.count(b, channel=..., answered=1)`."""

    def __init__(self, rows):
        self.by_bucket: dict = defaultdict(list)
        for row in rows:
            self.by_bucket[row.b].append(row)

    def count(self, b: int, **where) -> int:
        return sum(row.n for row in self._match(b, where))

    def seconds(self, b: int, **where) -> float:
        return float(sum(row.seconds or 0 for row in self._match(b, where)))

    def _match(self, b: int, where: dict):
        for row in self.by_bucket.get(b, ()):
            for name, wanted in where.items():
                value = getattr(row, name)
                if name == "channel" and wanted == "public":
                    if value not in PUBLIC:
                        break
                elif name == "cause":
                    if (value or "other") != wanted:
                        break
                elif value != wanted:
                    break
            else:
                yield row


def _notes(session, scope: Scope) -> dict[int, tuple[int, int]]:
    """{b: (comments, notes that got them)}, for comments per note."""
    per = scope.per_period(lambda b, period: select(b, func.count().label("n"),
                                                    func.count(InboxItem.note_id.distinct()).label("notes"))
                           .where(in_period(scope, period, channels=("comment",)), counted()))
    return {b: (n, notes) for b, n, notes in session.execute(select(per.c.b, per.c.n, per.c.notes)).all()}


def engagement(session, scope: Scope) -> dict:
    """The engagement section: metrics (current against previous) and the charts' series."""
    items = Tally(item_facts(session, scope))
    dms = Tally(dm_facts(session, scope))
    days = Tally(daily_facts(session, scope))
    cur, prev = 1, 0
    pcts = percentiles(session, response_values(scope), partition=("b", "grp"))
    notes = _notes(session, scope)
    notes = (notes.get(cur, (0, 0)), notes.get(prev, (0, 0)))
    m: dict[str, Metric] = {}

    def both(fn):
        return fn(cur), fn(prev)

    public = {"channel": "public", "counted": 1}
    to_answer_n = both(lambda b: items.count(b, **public))
    answered_n = both(lambda b: items.count(b, **public, answered=1))
    m["comments"] = Metric("engagement.comments", to_answer_n[0], to_answer_n[1], drill="items:to_answer")
    m["replies"] = Metric("engagement.replies", answered_n[0], answered_n[1], drill="items:answered")
    m["reply_rate"] = Metric("engagement.reply_rate", share(answered_n[0], to_answer_n[0]),
                             share(answered_n[1], to_answer_n[1]), unit="share", drill="items:answered",
                             part=answered_n[0], whole=to_answer_n[0], whole_drill="items:to_answer")
    m["unanswered"] = Metric("engagement.unanswered", to_answer_n[0] - answered_n[0], to_answer_n[1] - answered_n[1],
                             drill="items:unanswered")
    m["comments_per_note"] = Metric("engagement.comments_per_note",
                                    notes[0][0] / notes[0][1] if notes[0][1] else None,
                                    notes[1][0] / notes[1][1] if notes[1][1] else None, unit="ratio",
                                    drill="items:on_notes", part=notes[0][0], whole=notes[0][1],
                                    whole_drill="notes:commented")
    seconds = both(lambda b: items.seconds(b, **public, answered=1))
    m["response_mean"] = Metric("engagement.response_mean", mean(seconds[0], answered_n[0]),
                                mean(seconds[1], answered_n[1]), unit="seconds", drill="items:answered",
                                part=answered_n[0])
    for name in ("median", "p90"):
        m[f"response_{name}"] = Metric(f"engagement.response_{name}", pcts.get((1, "comments"), {}).get(name),
                                       pcts.get((0, "comments"), {}).get(name), unit="seconds",
                                       drill="items:answered", part=answered_n[0])
    ok = both(lambda b: items.count(b, **public, std=1))
    due = both(lambda b: items.count(b, **public, due=1))
    m["within_target"] = Metric("engagement.within_target", share(ok[0], due[0]), share(ok[1], due[1]), unit="share",
                                drill="items:on_time", part=ok[0], whole=due[0], whole_drill="items:due")
    m["late"] = Metric("engagement.late", due[0] - ok[0], due[1] - ok[1], drill="items:late")
    kept = both(lambda b: items.count(b, **public, by_reply_by=1))
    due_by = both(lambda b: items.count(b, **public, due_reply_by=1))
    m["by_reply_by"] = Metric("engagement.by_reply_by", share(kept[0], due_by[0]), share(kept[1], due_by[1]),
                              unit="share", drill="items:by_reply_by", part=kept[0], whole=due_by[0],
                              whole_drill="items:due_reply_by")
    # DMs: waiting stretches
    stretches = both(lambda b: dms.count(b))
    dm_answered = both(lambda b: dms.count(b, answered=1))
    m["dm_conversations"] = Metric("engagement.dm_conversations", stretches[0], stretches[1], drill="dms:stretches")
    m["dm_answered"] = Metric("engagement.dm_answered", dm_answered[0], dm_answered[1], drill="dms:answered")
    m["dm_reply_rate"] = Metric("engagement.dm_reply_rate", share(dm_answered[0], stretches[0]),
                                share(dm_answered[1], stretches[1]), unit="share", drill="dms:answered",
                                part=dm_answered[0], whole=stretches[0], whole_drill="dms:stretches")
    dm_seconds = both(lambda b: dms.seconds(b, answered=1))
    m["dm_response_mean"] = Metric("engagement.dm_response_mean", mean(dm_seconds[0], dm_answered[0]),
                                   mean(dm_seconds[1], dm_answered[1]), unit="seconds", drill="dms:answered",
                                   part=dm_answered[0])
    for name in ("median", "p90"):
        m[f"dm_response_{name}"] = Metric(f"engagement.dm_response_{name}", pcts.get((1, "dms"), {}).get(name),
                                          pcts.get((0, "dms"), {}).get(name), unit="seconds",
                                          drill="dms:answered", part=dm_answered[0])
    dm_ok = both(lambda b: dms.count(b, std=1))
    dm_due = both(lambda b: dms.count(b, due=1))
    m["dm_within_target"] = Metric("engagement.dm_within_target", share(dm_ok[0], dm_due[0]),
                                   share(dm_ok[1], dm_due[1]), unit="share", drill="dms:on_time", part=dm_ok[0],
                                   whole=dm_due[0], whole_drill="dms:due")
    # everything within the team standard, comments and DMs together: the moderators' 90% target
    all_ok, all_due = (ok[0] + dm_ok[0], ok[1] + dm_ok[1]), (due[0] + dm_due[0], due[1] + dm_due[1])
    m["all_within_target"] = Metric("engagement.all_within_target", share(all_ok[0], all_due[0]),
                                    share(all_ok[1], all_due[1]), unit="share", part=all_ok[0], whole=all_due[0])
    # sentiment of what followers wrote (comments, mentions and DMs; spam and hidden left out)
    said = both(lambda b: items.count(b, counted=1))
    for sentiment in SENTIMENTS:
        n = both(lambda b, s=sentiment: items.count(b, counted=1, sentiment=s))
        m[f"sentiment_{sentiment}"] = Metric(f"engagement.sentiment_{sentiment}", share(n[0], said[0]),
                                             share(n[1], said[1]), unit="share", drill=f"items:sentiment:{sentiment}",
                                             part=n[0], whole=said[0], whole_drill="items:counted")
    excluded = both(lambda b: items.count(b, counted=0))
    m["excluded"] = Metric("engagement.excluded", excluded[0], excluded[1], drill="items:excluded")

    steps = range(len(scope.steps()))
    labels = [label for label, _ in scope.steps()]
    charts = {
        "response_distribution": _distribution(items, dms, cur),
        "on_time_trend": {"steps": labels,
                          "comments": [share(days.count(b, **public, std=1), days.count(b, **public, due=1))
                                       for b in steps],
                          "reply_rate": [share(days.count(b, **public, answered=1), days.count(b, **public))
                                         for b in steps],
                          "comments_count": [days.count(b, **public) for b in steps]},
        "sentiment_trend": {"steps": labels, **{s: [days.count(b, counted=1, sentiment=s) for b in steps]
                                                for s in SENTIMENTS}},
    }
    totals = {b: {"answered": items.count(b, counted=1, answered=1), "seconds": items.seconds(b, counted=1, answered=1),
                  "std": items.count(b, counted=1, std=1)} for b in (0, 1)}
    return {"metrics": m, "charts": charts, "causes": _causes(items, scope), "answered_totals": totals}


def _distribution(items: Tally, dms: Tally, b: int) -> dict:
    """The response-time bars of the period: comments and DMs, plus those not answered yet."""
    labels = []
    low = 0
    for hours in RESPONSE_EDGES_HOURS:
        labels.append((low, hours))
        low = hours
    labels.append((low, None))
    public = {"channel": "public", "counted": 1}
    return {"buckets": [{"from_hours": lo, "to_hours": hi} for lo, hi in labels],
            "comments": [items.count(b, **public, rt=i) for i in range(len(labels))],
            "dms": [dms.count(b, rt=i) for i in range(len(labels))],
            "comments_open": items.count(b, **public, answered=0),
            "dms_open": dms.count(b, answered=0)}


def _causes(items: Tally, scope: Scope) -> dict:
    """Negative feedback by cause: {cause: [previous, current]}."""
    return {"periods": [p.label for p in scope.periods],
            "counts": {cause: [items.count(b, counted=1, sentiment="negative", cause=cause) for b in (0, 1)]
                       for cause in CAUSES}}
