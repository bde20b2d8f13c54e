"""Deciding what an incoming item is and how urgent: tier, reply-by, escalation, hiding, assignment,
each with its reasons as codes and parameters. Pure decisions here; `inbox.service` reads and writes."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time

from fandesk.inbox.deadlines import TIER_HOURS, reply_by, reply_window
from fandesk.inbox.rules import RuleSet

URGENT_CATEGORIES = {"complaint", "product_question", "crisis"}
IMPORTANT_CATEGORIES = {"advice_request", "partnership", "shipping", "pricing", "returns", "abuse"}
TIER_ORDER = {"urgent": 0, "important": 1, "routine": 2}


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
    questions, partnerships, feedback, mentions; routine: the rest), raised by rules, never lowered.
    Each reason is a code with its parameters (category, cue words, rule name, hours...); the desk and
    the command line put it into words in their language (fandesk.web.labels.reason_text)."""
    reasons: list[dict] = []

    def say(kind: str, code: str, **params) -> None:
        reasons.append({"kind": kind, "code": code, **params})

    category = analysis.category
    evidence = analysis.evidence or {}
    cues = evidence.get("category", [])[:3]
    if category in URGENT_CATEGORIES:
        tier = "urgent"
        say("category", "category", category=category, cues=cues, tier=tier)
    elif analysis.sentiment == "negative" and category not in ("spam", "abuse"):
        tier = "urgent"
        say("sentiment", "negative", cues=evidence.get("sentiment", [])[:3], tier=tier)
    elif category in IMPORTANT_CATEGORIES or analysis.is_question:
        tier = "important"
        if category in IMPORTANT_CATEGORIES:
            say("category", "category", category=category, cues=cues, tier=tier)
        else:
            say("category", "question", cues=cues, tier=tier)
    elif ctx.channel == "mention":
        tier = "important"
        say("channel", "mention", tier=tier)
    else:
        tier = "routine"
        say("category", "category", category=category, cues=[], tier=tier)
    decision = Decision(tier=tier, reply_by=ctx.received_at)

    text = analysis.text or ""
    for rule in rules.of_kind("vip", ctx.account_handle):
        if any(key in rule.people for key in ctx.person_keys):
            decision.tier = "urgent"
            say("rule", "rule_vip", rule=rule.name, tier="urgent")
            decision.actions.append((rule.name, "set_tier"))
    for rule in rules.of_kind("keyword_alert", ctx.account_handle):
        words = rule.matching_words(text)
        if words:
            decision.tier = _raise_tier(decision.tier, rule.tier)
            decision.notify = decision.notify or rule.notify
            say("rule", "rule_keyword", rule=rule.name, words=list(words), tier=rule.tier)
            decision.actions.append((rule.name, "notify" if rule.notify else "set_tier"))
    for rule in rules.of_kind("escalate", ctx.account_handle):
        words = rule.matching_words(text)
        hit_categories = [c for c in analysis.categories if c in rule.categories]
        if words or hit_categories:
            decision.escalated = True
            say("rule", "rule_escalate", rule=rule.name, words=list(words), categories=hit_categories)
            decision.actions.append((rule.name, "escalate"))
    if analysis.spam:
        for rule in rules.of_kind("auto_hide_spam", ctx.account_handle):
            decision.hidden = True
            say("rule", "rule_hide_spam", rule=rule.name, cues=evidence.get("spam", [])[:3])
            decision.actions.append((rule.name, "hide"))
            break

    window = reply_window(decision.tier, ctx.channel)
    decision.reply_by = reply_by(ctx.received_at, decision.tier, ctx.channel, time_zone=ctx.time_zone,
                                 opening_hours=ctx.opening_hours)
    hours = window.total_seconds() / 3600
    by_channel = hours < TIER_HOURS[decision.tier]
    say("deadline", "deadline_channel" if by_channel else "deadline_tier", hours=hours,
        channel=ctx.channel, tier=decision.tier, moved=decision.reply_by != ctx.received_at + window)
    decision.reasons = reasons
    return decision
