"""Rule-based extraction: mentions, hashtags, stickers, emoji, links, contacts, question, language.

Rules, not models: these are exact signals a person can check by eye, and they must be fast.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right

HASHTAG = re.compile(r"#([^#\[\]\s]{1,30})\[话题\]#|#([^#\s\[\]@]{1,30})#|#([^#\s\[\]@，。！？,.!?]{1,30})")
STICKER = re.compile(r"\[(?!话题\])([^\[\]\s]{1,10}R|doge|[\u4e00-\u9fff]{1,4}|[a-z]{2,8})\]", re.IGNORECASE)
MENTION = re.compile(r"@([^\s@#，。！？,!?:：\[\]()（）]{1,24})")
LINK = re.compile(r"(?:https?://|www\.)[^\s\u4e00-\u9fff，。]+|\b(?:xhslink\.com|[a-z0-9-]+\.(?:com|cn|net))/[^\s\u4e00-\u9fff]*",
                  re.IGNORECASE)
EMOJI = re.compile(
    "(?:[\U0001F1E6-\U0001F1FF]{2}|[\U0001F300-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\u2300-\u23FF]"
    "[\uFE0F\U0001F3FB-\U0001F3FF]*(?:\u200D[\U0001F300-\U0001FAFF\u2600-\u27BF][\uFE0F]?)*)"
)
# WeChat written around the filters: 加V, vx, wx, 威信, 薇, 卫星, v信, ➕V ... then an optional id.
WECHAT = re.compile(
    r"(加\s*[vV微]|[vVwW]\s*[xX]|威信|薇信?|卫星|[vV]信|微信|➕\s*[vV]|\+\s*[vV](?![a-z])|wechat)"
    r"(?:\s*(?:号)?\s*[:：]?\s*([A-Za-z][-_A-Za-z0-9]{4,19}))?",
    re.IGNORECASE,
)
WEAK_WECHAT_CUES = {"vx", "wx", "v x", "w x", "薇", "薇信", "卫星", "微信", "wechat"}
ASKS_TO_CONTACT = re.compile(r"加|私|联系|找我|滴滴|[:：]|add me", re.IGNORECASE)
PHONE = re.compile(r"(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d){8}(?!\d)")
QQ = re.compile(r"(?:qq|扣扣|企鹅)\s*(?:号)?\s*[:：]?\s*(\d{5,11})", re.IGNORECASE)
HANDLE = re.compile(r"(?:whatsapp|telegram|tg)\s*[:：]?\s*(@?[\w+][\w\s-]{3,20})", re.IGNORECASE)
# Cheap first look: without any of these, no contact pattern below can match.
CONTACT_HINT = re.compile(r"[vVwW薇卫微威扣企➕+]|\d(?:[\s-]?\d){4}|qq|tg|[零〇一二三四五六七八九]{11}", re.IGNORECASE)
CN_DIGITS = str.maketrans("零〇一二三四五六七八九", "00123456789")
CN_NUMBER_RUN = re.compile(r"[零〇一二三四五六七八九]{11}")

ZH_QUESTION = re.compile(
    r"请问|求问|想问|求链接|有链接吗|蹲一个|蹲链接|^蹲|蹲蹲|同求|怎么买|哪里买|在哪买|哪里|多少钱|怎么|如何|"
    r"什么时候|能不能|可不可以|是不是|有没有|求推荐|求教|请教|几天|多久|哪个|哪款|什么"
)
RHETORICAL = re.compile(r"怎么这么|怎么那么|怎么回事|什么神仙|什么宝藏|有没有人和我一样|不知道为什么")
ZH_PARTICLE = re.compile(r"[吗嘛么呢][\s。！!~～…]*(?:$|[，,。!！\[])")
EN_QUESTION = re.compile(
    r"^(?:how|what|where|which|when|why|who|does|do|is|are|can|could|should|will|would|any|anyone)\b",
    re.IGNORECASE | re.MULTILINE,
)
CJK = re.compile(r"[\u4e00-\u9fff]")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z']+")
# Latin tokens that Chinese comments use as words of their own; they do not make a comment English.
ZH_LATIN_SLANG = {"yyds", "vx", "wx", "xswl", "nb", "dd", "ok", "qq", "app", "ip", "ps", "diy", "vlog", "mark",
                  "doge", "ootd", "day", "get", "cp", "bgm", "plog", "mcn", "spf", "pa", "ml", "vc", "kol"}


class Extracted:
    """The signals found in one text by rules."""

    __slots__ = ("mentions", "hashtags", "stickers", "emoji", "links", "contacts", "contact_evidence",
                 "is_question", "question_evidence", "language")

    def __init__(self) -> None:
        self.mentions: list[str] = []
        self.hashtags: list[str] = []
        self.stickers: list[str] = []
        self.emoji: list[str] = []
        self.links: list[str] = []
        self.contacts: list[str] = []
        self.contact_evidence: list[str] = []
        self.is_question = False
        self.question_evidence: list[str] = []
        self.language = "none"


def _dedupe(items):
    return list(dict.fromkeys(items))


def find_contacts(text: str, normal: str | None = None) -> tuple[list[str], list[str]]:
    """WeChat ids and cues, phone numbers, QQ and messenger handles, with the spelling that was found.

    `normal` is the NFKC form of `text` when the caller already has it."""
    if normal is None:
        normal = unicodedata.normalize("NFKC", text)
    if not CONTACT_HINT.search(normal):
        return [], []
    contacts, evidence = [], []
    for match in WECHAT.finditer(normal):
        cue, wechat_id = match.group(1), match.group(2)
        weak = cue.lower() in WEAK_WECHAT_CUES
        if weak and not wechat_id and not ASKS_TO_CONTACT.search(normal):
            continue  # a bare 薇 (as in 蔷薇) or "wx" is too weak alone
        contacts.append(f"wechat:{wechat_id}" if wechat_id else f"wechat:{cue}")
        evidence.append(match.group(0).strip())
    digits = CN_NUMBER_RUN.sub(lambda m: m.group(0).translate(CN_DIGITS), normal)
    for match in PHONE.finditer(digits):
        number = re.sub(r"\D", "", match.group(0))[-11:]
        contacts.append(f"phone:{number}")
        evidence.append(match.group(0).strip())
    for match in QQ.finditer(normal):
        contacts.append(f"qq:{match.group(1)}")
        evidence.append(match.group(0).strip())
    for match in HANDLE.finditer(normal):
        contacts.append(f"handle:{match.group(1).strip()}")
        evidence.append(match.group(0).strip())
    return _dedupe(contacts), _dedupe(evidence)


def detect_question(text: str) -> tuple[bool, list[str]]:
    """A question when it carries ?, a question particle at a clause end, or an asking phrase."""
    evidence = []
    if "?" in text or "？" in text:
        evidence.append("question mark")
    stripped = RHETORICAL.sub("", text)
    evidence.extend(_dedupe(m.group(0) for m in ZH_QUESTION.finditer(stripped)))
    particle = ZH_PARTICLE.search(stripped)
    if particle:
        evidence.append(f"ends a clause with {particle.group(0)[0]}")
    english = EN_QUESTION.search(text)
    if english:
        evidence.append(f"starts with '{english.group(0).lower()}'")
    return bool(evidence), evidence[:5]


def detect_language(text: str) -> str:
    """zh, en, mixed, or none when there is no word at all (empty, pictures, stickers, emoji)."""
    cjk = CJK.search(text) is not None
    words = LATIN_WORD.findall(text)
    latin = [w for w in words if w.lower() not in ZH_LATIN_SLANG]
    if not cjk and not latin:
        return "zh" if words else "none"  # "yyds" or "QQ" alone is Chinese internet usage
    if not cjk:
        return "en"
    if len(latin) >= 2 and sum(map(len, latin)) >= 6:
        return "mixed"
    return "zh"


def _rows_with_contacts(normal: list[str]) -> set[int]:
    """Rows of a batch where a contact pattern can match, found with one pass per pattern over the
    joined batch (the separator NUL is neither a space nor a word character, so no match crosses it)."""
    joined = "\x00".join(normal)
    starts, offset = [], 0
    for text in normal:
        starts.append(offset)
        offset += len(text) + 1
    hits = [m.start() for pattern in (WECHAT, QQ, HANDLE) for m in pattern.finditer(joined)]
    digits = CN_NUMBER_RUN.sub(lambda m: m.group(0).translate(CN_DIGITS), joined)
    hits += [m.start() for m in PHONE.finditer(digits)]
    return {bisect_right(starts, h) - 1 for h in hits}


def extract_many(texts: list[str], normal: list[str]) -> list[Extracted]:
    """`extract` for a batch: the contact patterns run once over the whole batch, the rest per text."""
    maybe_contact = _rows_with_contacts(normal)
    return [extract(text, norm, i in maybe_contact)
            for i, (text, norm) in enumerate(zip(texts, normal, strict=True))]


def extract(text: str, normal: str | None = None, contacts: bool = True) -> Extracted:
    """All rule-based signals for one text; `normal` is its NFKC form when the caller has it."""
    found = Extracted()
    if not text:
        return found
    plain = text
    if "#" in text:
        found.hashtags = _dedupe(next(g for g in m.groups() if g) for m in HASHTAG.finditer(text))
        plain = HASHTAG.sub(" ", plain)
    if "[" in plain:
        found.stickers = [m.group(0) for m in STICKER.finditer(plain)]
        plain = STICKER.sub(" ", plain)
    if "@" in plain:
        found.mentions = _dedupe(MENTION.findall(plain))
        plain = MENTION.sub(" ", plain)
    if "." in text:
        found.links = _dedupe(m.group(0) for m in LINK.finditer(text))
        plain = LINK.sub(" ", plain)
    if not text.isascii():
        found.emoji = EMOJI.findall(text)
    if contacts:
        found.contacts, found.contact_evidence = find_contacts(text, normal)
    found.is_question, found.question_evidence = detect_question(plain)
    found.language = detect_language(plain)
    return found
