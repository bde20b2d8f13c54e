"""Generic spreadsheets (CSV or Excel) with a column mapping: followers, purchases, referrals,
survey answers and costs. `--map user_id=用户ID,amount=金额` says which column holds which field;
columns already named like the fields need no mapping.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from fandesk.errors import BadFile, BadRecord, Invalid
from fandesk.ingest.readers import RawRecord
from fandesk.ingest.values import RecordContext, dumps, parse_epoch_ms
from fandesk.ingest.values import row_key as make_row_key
from fandesk.people.identity import author

SHEET_KINDS = ("followers", "purchases", "referrals", "survey", "costs")
FIELDS = {
    "followers": ("user_id", "nickname", "followed_at"),
    "purchases": ("user_id", "nickname", "order_id", "product", "amount", "purchased_at"),
    "referrals": ("referrer_user_id", "referrer_nickname", "referred_user_id", "referred_nickname",
                  "referred_at", "revenue"),
    "survey": ("user_id", "nickname", "answered_at", "satisfaction", "nps", "answer"),
    "costs": ("month", "category", "amount", "hours", "note"),
}
# At least one field of each group must be mapped.
REQUIRED = {
    "followers": [("user_id", "nickname")],
    "purchases": [("user_id", "nickname"), ("amount", "order_id")],
    "referrals": [("referrer_user_id", "referrer_nickname"), ("referred_user_id", "referred_nickname")],
    "survey": [("satisfaction", "nps", "answer")],
    "costs": [("category",), ("amount", "hours")],
}
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M",
                 "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y-%m", "%Y/%m", "%Y年%m月")


def parse_mapping(text: str | None) -> dict[str, str]:
    """`field=column,field=column` into {field: column}."""
    mapping: dict[str, str] = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        name, sep, column = part.partition("=")
        if not sep or not name.strip() or not column.strip():
            raise Invalid(f"--map: {part!r} is not field=column (for example nickname=昵称)")
        mapping[name.strip()] = column.strip()
    return mapping


def _resolve_columns(kind: str, header: Iterable[str], mapping: dict[str, str], file: str) -> dict[str, str]:
    header = list(header)
    known = set(FIELDS[kind])
    for name in mapping:
        if name not in known and not name.startswith("custom."):
            raise Invalid(f"--map: {name!r} is not a field of {kind} sheets; fields: {', '.join(FIELDS[kind])}"
                          + (", custom.<name>" if kind == "followers" else ""))
    columns = {f: f for f in FIELDS[kind] if f in header}
    columns.update(mapping)
    missing_columns = [c for c in columns.values() if c not in header]
    if missing_columns:
        raise BadFile(file, f"has no column {missing_columns[0]!r} (its columns: {', '.join(header)})",
                      "fix the --map option to name columns the file has")
    for group in REQUIRED[kind]:
        if not any(f in columns for f in group):
            raise BadFile(file, f"no column gives {' or '.join(group)} (its columns: {', '.join(header)})",
                          f"map one with --map {group[0]}=<column>")
    return columns


def parse_amount(value, ctx: RecordContext, field: str) -> float | None:
    if value is None or str(value).strip() == "":
        return None
    if isinstance(value, int | float):
        return float(value)
    match = _NUMBER.search(str(value).replace(",", "").replace("，", ""))
    if not match:
        raise ctx.bad(field, f"cannot read {value!r} as a number", "write it like 199 or ¥199.00")
    return float(match.group())


def parse_local_time(value, ctx: RecordContext, field: str, zone: ZoneInfo) -> int | None:
    """A sheet's date or time, in the account's time zone, as epoch ms (UTC)."""
    if value is None or str(value).strip() == "":
        return None
    text = str(value).strip()
    if text.isdigit() and len(text) >= 10:
        return parse_epoch_ms(int(text) if len(text) >= 13 else int(text) * 1000, ctx, field)
    text = text.replace("T", " ")
    for fmt in _DATE_FORMATS:
        try:
            local = datetime.strptime(text, fmt)
        except ValueError:
            continue
        ms = int(local.replace(tzinfo=zone).timestamp() * 1000)
        return parse_epoch_ms(ms, ctx, field)
    raise ctx.bad(field, f"cannot read {value!r} as a date", "write it like 2026-11-20 or 2026-11-20 14:30")


def _person(user_id, nickname, seen_ms) -> dict | None:
    user_id = str(user_id).strip() if user_id not in (None, "") else None
    nickname = str(nickname).strip() if nickname not in (None, "") else None
    if not user_id and not nickname:
        return None
    if user_id:
        return dict(author(user_id=user_id, nickname=nickname, seen_ms=seen_ms), by_nickname=False)
    return {"key": f"name:{nickname}", "user_id": None, "creator_hash": None, "nickname": nickname, "masked": False,
            "avatar": None, "ip_location": None, "seen_ms": seen_ms, "by_nickname": True}


def records(plan, rows: Iterator[RawRecord], mapping: dict[str, str], *, now: int,
            time_zone: str) -> Iterator[tuple[str, dict | BadRecord]]:
    kind = plan.format
    file = str(plan.path)
    zone = ZoneInfo(time_zone)
    columns: dict[str, str] | None = None
    for raw in rows:
        if raw.problem is not None:
            yield raw.where, raw.problem
            continue
        if columns is None:
            columns = _resolve_columns(kind, raw.data.keys(), mapping, file)
        ctx = RecordContext(file, raw.where, now)
        values = {f: raw.data.get(c) for f, c in columns.items()}
        try:
            yield raw.where, _record(kind, values, ctx, zone, raw.data)
        except BadRecord as error:
            yield raw.where, error
    if columns is None:
        raise BadFile(file, "has a header but no rows", "nothing to import")


def _record(kind: str, v: dict, ctx: RecordContext, zone: ZoneInfo, raw: dict) -> dict:
    raw_text = dumps(raw)
    row_key = make_row_key(sorted((k, str(x)) for k, x in raw.items()))
    if kind == "followers":
        followed = parse_local_time(v.get("followed_at"), ctx, "followed_at", zone)
        person = _person(v.get("user_id"), v.get("nickname"), followed)
        if person is None:
            raise ctx.bad("user_id", "the row names nobody", "fill in the user id or the nickname")
        custom = {f[len("custom."):]: ("" if x is None else str(x)) for f, x in v.items() if f.startswith("custom.")}
        return {"kind": "follower", "author": person, "followed_ms": followed, "custom": custom,
                "platform_id": person["key"], "raw": raw_text}
    if kind == "purchases":
        when = parse_local_time(v.get("purchased_at"), ctx, "purchased_at", zone)
        person = _person(v.get("user_id"), v.get("nickname"), when)
        if person is None:
            raise ctx.bad("user_id", "the purchase names no buyer", "fill in the user id or the nickname")
        order = str(v.get("order_id") or "").strip() or row_key
        return {"kind": "purchase", "author": person, "platform_id": order, "product": v.get("product"),
                "amount": parse_amount(v.get("amount"), ctx, "amount"), "at_ms": when, "raw": raw_text}
    if kind == "referrals":
        when = parse_local_time(v.get("referred_at"), ctx, "referred_at", zone)
        referrer = _person(v.get("referrer_user_id"), v.get("referrer_nickname"), when)
        if referrer is None:
            raise ctx.bad("referrer_user_id", "the referral names no referrer", "fill in who referred")
        referred = _person(v.get("referred_user_id"), v.get("referred_nickname"), when)
        return {"kind": "referral", "author": referrer, "referred": referred, "platform_id": row_key,
                "at_ms": when, "revenue": parse_amount(v.get("revenue"), ctx, "revenue"), "raw": raw_text}
    if kind == "survey":
        when = parse_local_time(v.get("answered_at"), ctx, "answered_at", zone)
        satisfaction = _score(v.get("satisfaction"), ctx, "satisfaction", 1, 5)
        nps = _score(v.get("nps"), ctx, "nps", 0, 10)
        return {"kind": "survey_answer", "author": _person(v.get("user_id"), v.get("nickname"), when),
                "platform_id": row_key, "at_ms": when, "satisfaction": satisfaction, "nps": nps,
                "answer": v.get("answer"), "raw": raw_text}
    month = parse_local_time(v.get("month"), ctx, "month", zone)
    category = str(v.get("category") or "").strip()
    if not category:
        raise ctx.bad("category", "empty", "say what the cost was for: team hours, tools or rewards")
    return {"kind": "cost", "platform_id": row_key, "at_ms": month, "category": category,
            "amount": parse_amount(v.get("amount"), ctx, "amount"), "hours": parse_amount(v.get("hours"), ctx, "hours"),
            "note": v.get("note"), "raw": raw_text}


def _score(value, ctx: RecordContext, field: str, low: int, high: int) -> int | None:
    number = parse_amount(value, ctx, field)
    if number is None:
        return None
    if not low <= number <= high or number != int(number):
        raise ctx.bad(field, f"{value!r} is not a whole number from {low} to {high}")
    return int(number)
