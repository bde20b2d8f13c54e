"""Rules are data: validated with messages naming the rule and the field; decisions with reasons."""

from __future__ import annotations

from datetime import datetime

import pytest

from fandesk.errors import Invalid
from fandesk.inbox.rules import DEFAULT_RULES, parse_rules
from fandesk.inbox.triage import Context, decide
from fandesk.understanding.analysis import Analysis
from fandesk.web.i18n import in_language
from fandesk.web.labels import reason_text


def en(reason: dict) -> str:
    """A triage reason as the desk shows it in English."""
    with in_language("en"):
        return reason_text(reason)


def zh(reason: dict) -> str:
    """A triage reason as the desk shows it in Chinese."""
    with in_language("zh"):
        return reason_text(reason)


def analysis(text, category="casual", sentiment="neutral", spam=False, question=False, categories=None):
    return Analysis(text=text, sentiment=sentiment, sentiment_score=0.0, category=category,
                    categories=categories or [category], cause=None, is_question=question, language="zh", spam=spam,
                    evidence={"category": ["cue"], "spam": ["加V"] if spam else []})


def ctx(channel="comment", keys=()):
    return Context(channel=channel, account_handle="chengji_lab", time_zone="Asia/Shanghai",
                   received_at=datetime(2026, 11, 20, 2, 0), person_keys=keys)


RULES = parse_rules(DEFAULT_RULES + """
[[rule]]
name = "Our VIPs"
kind = "vip"
people = ["uid:60aa00000000000000000001"]
""")


def test_product_tiers_and_reasons():
    urgent = decide(analysis("求链接", "product_question", question=True), ctx(), RULES)
    assert urgent.tier == "urgent" and urgent.reply_by == datetime(2026, 11, 20, 4, 0)
    assert "product question" in en(urgent.reasons[0])
    assert zh(urgent.reasons[0]).startswith("产品咨询") and "紧急" in zh(urgent.reasons[0])
    assert zh(urgent.reasons[-1]) == "2 小时内回复（紧急目标）"
    negative = decide(analysis("有点失望", "casual", "negative"), ctx(), RULES)
    assert negative.tier == "urgent" and "negative feedback" in en(negative.reasons[0])
    partnership = decide(analysis("商务合作看私信", "partnership"), ctx(), RULES)
    assert partnership.tier == "important" and partnership.escalated
    praise = decide(analysis("绝绝子", "praise", "positive"), ctx(), RULES)
    assert praise.tier == "routine" and not praise.escalated
    mention = decide(analysis("@澄肌实验室 看看", "casual"), ctx("mention"), RULES)
    assert mention.tier == "important"


def test_keyword_alert_vip_escalation_and_spam():
    alert = decide(analysis("用完过敏了", "casual", "neutral"), ctx(), RULES)
    assert alert.tier == "urgent" and alert.notify
    assert any("过敏和烂脸列为紧急" in en(r) and "过敏" in en(r) for r in alert.reasons)
    vip = decide(analysis("今天也来打卡", "casual"), ctx(keys=("uid:60aa00000000000000000001",)), RULES)
    assert vip.tier == "urgent" and any("VIP" in en(r) for r in vip.reasons)
    legal = decide(analysis("再不处理我就找律师", "complaint", "negative"), ctx(), RULES)
    assert legal.escalated and any("律师" in en(r) for r in legal.reasons)
    spam = decide(analysis("加V看主页", "spam", spam=True), ctx(), RULES)
    assert spam.hidden and ("隐藏垃圾评论和引流", "hide") in spam.actions


def test_rules_can_be_scoped_to_accounts_and_disabled():
    rules = parse_rules("""
[[rule]]
name = "Only the creator account"
kind = "keyword_alert"
words = ["合作"]
tier = "urgent"
accounts = ["xiaomei"]

[[rule]]
name = "Off"
kind = "auto_hide_spam"
enabled = false
""")
    assert decide(analysis("合作吗", "casual"), ctx(), rules).tier == "routine"
    assert not decide(analysis("加V", "spam", spam=True), ctx(), rules).hidden


@pytest.mark.parametrize(("text", "message"), [
    ("[[rule]]\nkind = 'vip'\npeople = ['a']", "field 'name'"),
    ("[[rule]]\nname = 'x'\nkind = 'keyword_alert'\nwords = ['a']\ntier = 'asap'", "field 'tier'"),
    ("[[rule]]\nname = 'x'\nkind = 'teleport'", "field 'kind'"),
    ("[[rule]]\nname = 'x'\nkind = 'escalate'\ncategories = ['gossip']", "field 'categories'"),
    ("[[rule]]\nname = 'x'\nkind = 'escalate'\nwords = 'x'\ncolour = 'red'", "unknown field 'colour'"),
    ("[[rule]\nname = 'x'", "not valid TOML"),
])
def test_bad_rules_name_rule_and_field(text, message):
    with pytest.raises(Invalid, match=message) as error:
        parse_rules(text, "rules.toml")
    assert "rules.toml" in str(error.value)
