"""Parsing the platform's loose values: counts like "10+" or "1.2万", epochs in ms or s, ids."""

from __future__ import annotations

import hashlib
import re
import zlib
from datetime import UTC, datetime, timedelta

import orjson

from fandesk.errors import BadRecord

_COUNT = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(万|w|W|千|k|K|亿)?\s*\+?\s*$")
_MULTIPLIER = {"万": 10_000, "w": 10_000, "W": 10_000, "千": 1_000, "k": 1_000, "K": 1_000,
               "亿": 100_000_000}

# 2009-01-01, before Xiaohongshu existed: anything earlier is not a real creation time.
EARLIEST_MS = 1_230_768_000_000
FUTURE_SLACK_MS = 24 * 3600 * 1000
# How deep a record may nest (a crawler's records nest 2 to 5 levels; orjson.dumps stops at 255).
MAX_NESTING = 64


class RecordContext:
    """Where a record came from, so every error can name the file, the record and the field."""

    __slots__ = ("file", "where", "now_ms")

    def __init__(self, file: str, where: str, now_ms: int):
        self.file = file
        self.where = where
        self.now_ms = now_ms

    def bad(self, field: str | None, problem: str, hint: str = "") -> BadRecord:
        return BadRecord(self.file, self.where, field, problem, hint)


def parse_count(value, ctx: RecordContext, field: str) -> int | None:
    """Counts arrive as 0, "17", "10+", "1万", "1.2万" or empty; "10+" means at least 10. MediaCrawler's
    SQL writer passes counts through str(), so a missing one is the text 'None' there."""
    kind = type(value)
    if kind is int:
        return value
    if kind is str and value.isdigit():
        return int(value)
    if value is None or value == "" or value == "None":
        return None
    if isinstance(value, bool):
        raise ctx.bad(field, f"expected a count, got {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value)
    match = _COUNT.match(str(value))
    if not match:
        raise ctx.bad(field, f"cannot read {value!r} as a count", "use a number such as 17, 10+ or 1.2万")
    number = float(match.group(1)) * _MULTIPLIER.get(match.group(2) or "", 1)
    return int(round(number))


def parse_epoch_ms(value, ctx: RecordContext, field: str, *, seconds: bool = False,
                   required: bool = True) -> int | None:
    """A platform timestamp as epoch milliseconds. MediaCrawler writes ms; mentions use seconds.
    A seconds value where ms are expected (or the reverse) is refused, as is a time in the future."""
    if value is None or value == "":
        if required:
            raise ctx.bad(field, "missing timestamp", "every record needs its creation time")
        return None
    try:
        number = int(value) if not isinstance(value, float) else int(value)
    except (TypeError, ValueError):
        try:
            number = int(float(value))
        except (TypeError, ValueError):
            raise ctx.bad(field, f"cannot read {value!r} as a timestamp",
                          "expected an epoch number") from None
    ms = number * 1000 if seconds else number
    if ms < EARLIEST_MS:
        if not seconds and number * 1000 >= EARLIEST_MS:
            raise ctx.bad(field, f"{value} looks like seconds, but this format stores milliseconds",
                          "re-export with millisecond timestamps, or check the file's format (--format)")
        raise ctx.bad(field, f"{value} is before 2009, not a real Xiaohongshu time")
    if ms > ctx.now_ms + FUTURE_SLACK_MS:
        if seconds and number >= EARLIEST_MS:
            raise ctx.bad(field, f"{value} looks like milliseconds, but this format stores seconds",
                          "check the file's format (--format)")
        raise ctx.bad(field, f"{value} is in the future ({ms_to_datetime(ms).isoformat()} UTC)",
                      "check the crawler machine's clock, then import again")
    return ms


EPOCH = datetime(1970, 1, 1)


def ms_to_datetime(ms: int) -> datetime:
    """UTC, without tzinfo: how the database stores every time."""
    return EPOCH + timedelta(milliseconds=ms)


def now_ms() -> int:
    return int(datetime.now(UTC).timestamp() * 1000)


def platform_id(value, ctx: RecordContext, field: str, *, required: bool = True) -> str | None:
    """Ids are strings on the platform; ints from a CSV or SQL dump are accepted."""
    if type(value) is str and 0 < len(value) <= 64 and not value[0].isspace() and not value[-1].isspace():
        return value
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ctx.bad(field, "missing id", "every record needs its platform id; was the file cut short?")
        return None
    if isinstance(value, float):
        value = int(value)
    text = str(value).strip()
    if len(text) > 64:
        raise ctx.bad(field, f"id is {len(text)} characters long; platform ids are at most 64")
    return text


def text_or_none(value) -> str | None:
    if value is None:
        return None
    text = str(value)
    return text if text.strip() else None


def deeper_than(value, levels: int = MAX_NESTING) -> bool:
    """Whether lists and objects nest more than `levels` deep (the value itself is level 1)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        if depth > levels:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def without_nul(record: dict) -> dict:
    """The record with U+0000 taken out of its texts (its own and its author's), in place.

    PostgreSQL cannot store U+0000 in text and SQLite stores it silently; nobody writes it on purpose
    and no page can show it, so both databases keep the text without it. The raw JSON keeps it, escaped
    as \\u0000 (as JSON files write it), so what came in is still on record."""
    for key, value in record.items():
        if type(value) is str:
            if "\x00" in value:
                record[key] = value.replace("\x00", "")
        elif type(value) is dict:
            without_nul(value)
    return record


def split_list(value) -> list[str]:
    """MediaCrawler joins URLs/tags with commas; SQL dumps wrap that in a JSON string; APIs send lists."""
    if value is None or value == "":
        return []
    if isinstance(value, list):
        out = []
        for item in value:
            if isinstance(item, dict):
                item = item.get("url_default") or item.get("url") or item.get("name") or ""
            if item:
                out.append(str(item))
        return out
    text = str(value).strip()
    if text in ("null", "None"):  # the SQL writer's json.dumps(None), str(None)
        return []
    if text.startswith('"') or text.startswith("["):
        try:
            decoded = orjson.loads(text)
        except orjson.JSONDecodeError:
            decoded = None
        if decoded is not None and decoded is not value:
            return split_list(decoded)
    return [part.strip() for part in text.split(",") if part.strip()]


def fingerprint(*fields) -> str:
    """A short stable hash of the fields a re-crawl may change (it only tells versions of one
    record apart, so a 32-bit checksum is plenty)."""
    return format(zlib.crc32("\x1f".join(map(str, fields)).encode()), "08x")


def row_key(*fields) -> str:
    """The identity of a spreadsheet row that has no id of its own: a strong hash of its cells."""
    return hashlib.blake2b(orjson.dumps(fields, option=orjson.OPT_NON_STR_KEYS), digest_size=16).hexdigest()


def dumps(record) -> str:
    return orjson.dumps(record, option=orjson.OPT_NON_STR_KEYS).decode()

