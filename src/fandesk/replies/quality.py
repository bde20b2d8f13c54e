"""The reply quality bar (personalised, thoughtful, authentic, valuable) as a checklist. Each check
says whether the draft passes and, when it does not, which detail to show the person."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fandesk.replies.library import PLACEHOLDER

CHECKS = ("uses_name", "refers_to_comment", "answers_question", "adds_value", "asks_follow_up",
          "not_just_thanks", "no_boilerplate", "right_language", "length")
QUESTION_CATEGORIES = {"product_question", "advice_request", "shipping", "pricing", "returns", "partnership"}
BOILERPLATE = ("感谢您的反馈", "感谢您的支持", "我们会继续努力", "深表歉意", "如有疑问请联系客服",
               "亲，", "亲~", "亲～",
               "thank you for your feedback", "we value your", "apologize for any inconvenience",
               "do not hesitate to contact", "don't hesitate to contact", "valued customer")
HARD_SELL = ("立即购买", "马上下单", "限时", "优惠券", "赶紧买", "速抢", "buy now", "limited time", "discount code",
             "order now", "use code")
VALUE_WORDS = ("建议", "可以", "试试", "记得", "小tips", "tips", "技巧", "方法", "步骤", "帮你", "私信",
               "tip", "try", "suggest", "recommend", "you can", "step", "we'll", "we will", "dm us")
THANKS = re.compile(r"(谢谢|感谢|多谢|thanks?( you)?|thx|ty|爱你|比心|❤️?|🥰|😘|[!！~～。.,，\s]|\[[^\]]{1,10}\])",
                    re.IGNORECASE)
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
LENGTH = {"zh": (15, 200), "en": (40, 600)}
# Xiaohongshu's stickers are written in brackets too ([笑哭R], [doge]): part of the reply, not a blank
STICKER = re.compile(r"\[(?:[^\[\]\s]{1,8}R|doge)\]")


def unfilled_blanks(text: str) -> list[str]:
    """The template blanks still in a reply ("[补充具体步骤]"), stickers left out. A reply with one is
    half-written: it may not be sent on, approved or exported (replies.service)."""
    return [b for b in PLACEHOLDER.findall(text) if not STICKER.fullmatch(b)]


@dataclass
class Check:
    code: str
    ok: bool
    detail: str = ""  # a key the web layer explains; empty when ok
    params: dict = field(default_factory=dict)


def language_of(text: str) -> str:
    cjk = len(CJK.findall(text))
    latin = sum(len(w) for w in LATIN_WORD.findall(text))
    if cjk == 0 and latin == 0:
        return "none"
    if cjk * 3 >= latin:
        return "zh"
    return "en"


def _grams(text: str) -> set[str]:
    cjk = "".join(CJK.findall(text))
    grams = {cjk[i:i + 2] for i in range(len(cjk) - 1)}
    grams |= {w.lower() for w in LATIN_WORD.findall(text) if len(w) > 3}
    return grams


def check_reply(text: str, *, comment: str, nickname: str, language: str, category: str,
                is_question: bool) -> list[Check]:
    """The checklist for a draft answering `comment` by `nickname`; explains each miss."""
    reply = text.strip()
    lowered = reply.lower()
    language = language if language in ("zh", "en") else ("en" if language_of(comment) == "en" else "zh")
    out: list[Check] = []
    name = (nickname or "").strip()
    if not name:
        out.append(Check("uses_name", True, "no_name_known"))
    else:
        out.append(Check("uses_name", name.lower() in lowered, "missing_name", {"nickname": name}))
    theirs = _grams(comment) - _grams(name)
    shared = theirs & _grams(reply.replace(name, ""))
    out.append(Check("refers_to_comment", bool(shared) or not theirs, "no_reference"))
    blanks_left = unfilled_blanks(reply)
    asked = is_question or category in QUESTION_CATEGORIES
    if blanks_left:
        out.append(Check("answers_question", False, "blank_left", {"blank": blanks_left[0]}))
    elif asked and len(reply) < (30 if language == "zh" else 80):
        out.append(Check("answers_question", False, "too_short_to_answer"))
    else:
        out.append(Check("answers_question", True, "" if asked else "no_question"))
    out.append(Check("adds_value", any(w in lowered for w in VALUE_WORDS), "no_value"))
    body = reply[:-1] if reply.endswith(("?", "？")) else reply
    out.append(Check("asks_follow_up", "?" in reply or "？" in reply or "吗" in reply[-6:] or "呀" in body[-4:],
                     "no_follow_up"))
    rest = THANKS.sub("", reply.replace(name, "").replace("@", ""))
    out.append(Check("not_just_thanks", len(rest) >= (6 if language == "zh" else 15), "just_thanks"))
    phrase = next((p for p in BOILERPLATE + HARD_SELL if p in lowered), None)
    out.append(Check("no_boilerplate", phrase is None,
                     "hard_sell" if phrase in HARD_SELL else "boilerplate", {"phrase": phrase or ""}))
    written = language_of(reply.replace(name, ""))
    out.append(Check("right_language", written in (language, "none"), "wrong_language",
                     {"expected": language, "found": written}))
    low, high = LENGTH[language]
    size = len(reply)
    out.append(Check("length", low <= size <= high, "too_short" if size < low else "too_long",
                     {"size": size, "low": low, "high": high}))
    for check in out:
        if check.ok and check.detail not in ("no_name_known", "no_question"):
            check.detail = ""
    return out


def passed(checks: list[Check]) -> int:
    return sum(c.ok for c in checks)
