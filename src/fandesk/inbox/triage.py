"""Deciding what an incoming item is and how urgent: tier, reply-by, escalation, hiding, assignment,
each with the reasons a person can read. Pure decisions here; `inbox.service` reads and writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time

from fandesk.inbox.deadlines import TIER_HOURS, reply_by, reply_window
from fandesk.inbox.rules import RuleSet

URGENT_CATEGORIES = {"complaint", "product_question", "crisis"}
IMPORTANT_CATEGORIES = {"advice_request", "partnership", "shipping", "pricing", "returns", "abuse"}
TIER_ORDER = {"urgent": 0, "important": 1, "routine": 2}
CATEGORY_NAMES = {
    "complaint": "complaint", "product_question": "product question", "advice_request": "advice request",
    "shipping": "shipping", "pricing": "pricing", "returns": "returns/exchange", "partnership": "partnership inquiry",
    "praise": "praise", "casual": "casual chat", "ugc_share": "UGC share", "spam": "spam/self-promotion",
    "abuse": "abuse/shaming", "crisis": "crisis signal",
}


@dataclass
class Context:
    """What triage needs to know about an item beyond its text."""

    channel: str
    account_handle: str
    time_zone: str
    received_at: datetime
    person_keys: tuple[str, ...] = ()  # person_key, user id and nickname, for VIP rules
    opening_hours: dict[int, tuple[time, time]] | None = None


@dataclass
class Decision:
    tier: str
    reply_by: datetime
    escalated: bool = False
    hidden: bool = False
    notify: bool = False
    reasons: list[dict] = field(default_factory=list)
    actions: list[tuple[str, str]] = field(default_factory=list)  # (rule name, action)


def _raise_tier(current: str, candidate: str) -> str:
    return candidate if TIER_ORDER[candidate] < TIER_ORDER[current] else current


def decide(analysis, ctx: Context, rules: RuleSet) -> Decision:
    """The product's tiers (urgent: complaints, product questions, negative feedback, crisis; important:
    questions, partnerships, feedback, mentions; routine: the rest), raised by rules, never lowered."""
    reasons: list[dict] = []
    category = analysis.category
    evidence = analysis.evidence or {}
    cues = ", ".join(evidence.get("category", [])[:3])
    label = CATEGORY_NAMES.get(category, category)
    if category in URGENT_CATEGORIES:
        tier = "urgent"
        reasons.append({"kind": "category", "text": f"{label}{f' ({cues})' if cues else ''} → urgent"})
    elif analysis.sentiment == "negative" and category not in ("spam", "abuse"):
        tier = "urgent"
        why = ", ".join(evidence.get("sentiment", [])[:3])
        reasons.append({"kind": "sentiment", "text": f"negative feedback{f' ({why})' if why else ''} → urgent"})
    elif category in IMPORTANT_CATEGORIES or analysis.is_question:
        tier = "important"
        what = label if category in IMPORTANT_CATEGORIES else "a question"
        reasons.append({"kind": "category", "text": f"{what}{f' ({cues})' if cues else ''} → important"})
    elif ctx.channel == "mention":
        tier = "important"
        reasons.append({"kind": "channel", "text": "a mention of the account → important"})
    else:
        tier = "routine"
        reasons.append({"kind": "category", "text": f"{label} → routine"})
    decision = Decision(tier=tier, reply_by=ctx.received_at)

    text = analysis.text or ""
    for rule in rules.of_kind("vip", ctx.account_handle):
        if any(key in rule.people for key in ctx.person_keys):
            decision.tier = "urgent"
            reasons.append({"kind": "rule", "text": f"rule “{rule.name}”: a VIP follower → urgent"})
            decision.actions.append((rule.name, "set_tier"))
    for rule in rules.of_kind("keyword_alert", ctx.account_handle):
        words = rule.matching_words(text)
        if words:
            decision.tier = _raise_tier(decision.tier, rule.tier)
            decision.notify = decision.notify or rule.notify
            reasons.append({"kind": "rule", "text": f"rule “{rule.name}”: {', '.join(words)} → {rule.tier}"})
            decision.actions.append((rule.name, "notify" if rule.notify else "set_tier"))
    for rule in rules.of_kind("escalate", ctx.account_handle):
        words = rule.matching_words(text)
        hit_categories = [c for c in analysis.categories if c in rule.categories]
        if words or hit_categories:
            decision.escalated = True
            why = ", ".join(words + [CATEGORY_NAMES.get(c, c) for c in hit_categories])
            reasons.append({"kind": "rule", "text": f"rule “{rule.name}”: {why} → escalated to the manager"})
            decision.actions.append((rule.name, "escalate"))
    if analysis.spam:
        for rule in rules.of_kind("auto_hide_spam", ctx.account_handle):
            decision.hidden = True
            signals = ", ".join(evidence.get("spam", [])[:3])
            reasons.append({"kind": "rule", "text": f"rule “{rule.name}”: spam{f' ({signals})' if signals else ''}"
                                                    " → hidden, platform hide queued"})
            decision.actions.append((rule.name, "hide"))
            break

    window = reply_window(decision.tier, ctx.channel)
    decision.reply_by = reply_by(ctx.received_at, decision.tier, ctx.channel, time_zone=ctx.time_zone,
                                 opening_hours=ctx.opening_hours)
    hours = window.total_seconds() / 3600
    standard = f"{ctx.channel} standard" if hours < TIER_HOURS[decision.tier] else f"{decision.tier} target"
    reasons.append({"kind": "deadline", "text": f"reply within {hours:g} h ({standard})"
                    + (", moved to the next opening" if decision.reply_by != ctx.received_at + window else "")})
    decision.reasons = reasons
    return decision
