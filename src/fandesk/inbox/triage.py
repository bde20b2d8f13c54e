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
CATEGORY_NAMES_ZH = {
    "complaint": "投诉", "product_question": "产品咨询", "advice_request": "使用/护肤建议", "shipping": "物流",
    "pricing": "价格", "returns": "退换货", "partnership": "合作咨询", "praise": "夸赞", "casual": "闲聊",
    "ugc_share": "用户分享", "spam": "垃圾/引流", "abuse": "辱骂/羞辱", "crisis": "危机信号",
}
TIER_ZH = {"urgent": "紧急", "important": "重要", "routine": "常规"}
CHANNEL_ZH = {"comment": "评论", "mention": "提及", "dm": "私信"}


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
    Each reason is written in English (`text`) and Simplified Chinese (`zh`), for the desk's two languages."""
    reasons: list[dict] = []

    def say(kind: str, en: str, zh: str) -> None:
        reasons.append({"kind": kind, "text": en, "zh": zh})

    category = analysis.category
    evidence = analysis.evidence or {}
    cues = ", ".join(evidence.get("category", [])[:3])
    why_cues = f" ({cues})" if cues else ""
    label, label_zh = CATEGORY_NAMES.get(category, category), CATEGORY_NAMES_ZH.get(category, category)
    if category in URGENT_CATEGORIES:
        tier = "urgent"
        say("category", f"{label}{why_cues} → urgent", f"{label_zh}{why_cues} → 紧急")
    elif analysis.sentiment == "negative" and category not in ("spam", "abuse"):
        tier = "urgent"
        why = ", ".join(evidence.get("sentiment", [])[:3])
        why = f" ({why})" if why else ""
        say("sentiment", f"negative feedback{why} → urgent", f"负面反馈{why} → 紧急")
    elif category in IMPORTANT_CATEGORIES or analysis.is_question:
        tier = "important"
        what, what_zh = (label, label_zh) if category in IMPORTANT_CATEGORIES else ("a question", "提问")
        say("category", f"{what}{why_cues} → important", f"{what_zh}{why_cues} → 重要")
    elif ctx.channel == "mention":
        tier = "important"
        say("channel", "a mention of the account → important", "提及了账号 → 重要")
    else:
        tier = "routine"
        say("category", f"{label} → routine", f"{label_zh} → 常规")
    decision = Decision(tier=tier, reply_by=ctx.received_at)

    text = analysis.text or ""
    for rule in rules.of_kind("vip", ctx.account_handle):
        if any(key in rule.people for key in ctx.person_keys):
            decision.tier = "urgent"
            say("rule", f"rule “{rule.name}”: a VIP follower → urgent", f"规则“{rule.name}”：VIP 粉丝 → 紧急")
            decision.actions.append((rule.name, "set_tier"))
    for rule in rules.of_kind("keyword_alert", ctx.account_handle):
        words = rule.matching_words(text)
        if words:
            decision.tier = _raise_tier(decision.tier, rule.tier)
            decision.notify = decision.notify or rule.notify
            hit = ", ".join(words)
            say("rule", f"rule “{rule.name}”: {hit} → {rule.tier}", f"规则“{rule.name}”：{hit} → {TIER_ZH[rule.tier]}")
            decision.actions.append((rule.name, "notify" if rule.notify else "set_tier"))
    for rule in rules.of_kind("escalate", ctx.account_handle):
        words = rule.matching_words(text)
        hit_categories = [c for c in analysis.categories if c in rule.categories]
        if words or hit_categories:
            decision.escalated = True
            why = ", ".join(words + [CATEGORY_NAMES.get(c, c) for c in hit_categories])
            why_zh = ", ".join(words + [CATEGORY_NAMES_ZH.get(c, c) for c in hit_categories])
            say("rule", f"rule “{rule.name}”: {why} → escalated to the manager",
                f"规则“{rule.name}”：{why_zh} → 升级给经理")
            decision.actions.append((rule.name, "escalate"))
    if analysis.spam:
        for rule in rules.of_kind("auto_hide_spam", ctx.account_handle):
            decision.hidden = True
            signals = ", ".join(evidence.get("spam", [])[:3])
            signals = f" ({signals})" if signals else ""
            say("rule", f"rule “{rule.name}”: spam{signals} → hidden, platform hide queued",
                f"规则“{rule.name}”：垃圾/引流{signals} → 已隐藏，平台隐藏已排队")
            decision.actions.append((rule.name, "hide"))
            break

    window = reply_window(decision.tier, ctx.channel)
    decision.reply_by = reply_by(ctx.received_at, decision.tier, ctx.channel, time_zone=ctx.time_zone,
                                 opening_hours=ctx.opening_hours)
    hours = window.total_seconds() / 3600
    by_channel = hours < TIER_HOURS[decision.tier]
    standard = f"{ctx.channel} standard" if by_channel else f"{decision.tier} target"
    standard_zh = f"{CHANNEL_ZH[ctx.channel]}标准" if by_channel else f"{TIER_ZH[decision.tier]}目标"
    moved = decision.reply_by != ctx.received_at + window
    say("deadline", f"reply within {hours:g} h ({standard})" + (", moved to the next opening" if moved else ""),
        f"{hours:g} 小时内回复（{standard_zh}）" + ("，顺延到下一个营业时间" if moved else ""))
    decision.reasons = reasons
    return decision
