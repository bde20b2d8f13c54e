"""Negative feedback by cause, month over month, with the brief's suggested actions per cause.

Negative feedback is every counted item (comments, mentions and DMs; spam and hidden left out) the
desk read as negative; its cause is the one the desk found (product didn't work, customer service,
shipping delay, pricing), or "other" when none fits."""

from __future__ import annotations

from fandesk.metrics.values import Metric, share

# the brief's action items per cause (codes; the pages say them in words)
CAUSE_ACTIONS = {
    "product_failure": ("product_descriptions", "product_samples", "product_not_for_you"),
    "customer_service": ("service_live_chat", "service_hours", "service_help_center"),
    "shipping_delay": ("shipping_carriers", "shipping_processing", "shipping_tracking"),
    "pricing": ("pricing_bundles", "pricing_education", "pricing_tiers"),
    "other": (),
}


def feedback(causes: dict) -> dict:
    """From the engagement pass's cause counts: per cause this period and the one before, its share of
    the negative feedback, and what to do about it; the causes ordered by this period's count."""
    counts = causes["counts"]
    negative_total = (sum(series[-1] for series in counts.values()), sum(series[-2] for series in counts.values()))
    rows = []
    for cause, series in counts.items():
        now, before = series[-1], series[-2]
        rows.append(Metric(f"feedback.{cause}", now, before, drill=f"items:negative:{cause}", part=now,
                           whole=negative_total[0], whole_drill="items:sentiment:negative",
                           extra={"cause": cause, "share": share(now, negative_total[0]),
                                  "previous_share": share(before, negative_total[1]),
                                  "actions": list(CAUSE_ACTIONS.get(cause, ()))}))
    rows.sort(key=lambda metric: (-(metric.value or 0), list(CAUSE_ACTIONS).index(metric.extra["cause"])))
    total = Metric("feedback.negative", negative_total[0], negative_total[1], drill="items:sentiment:negative")
    return {"total": total, "causes": rows, "trend": causes}
