"""MediaCrawler's Xiaohongshu records (classic and the 2026 teaching edition) as canonical records.

Field facts: ../shared/formats/mediacrawler-xhs.md (summarised in docs/formats.md).
"""

from __future__ import annotations

import orjson

from fandesk.errors import BadRecord
from fandesk.ingest.values import (
    RecordContext,
    dumps,
    fingerprint,
    parse_count,
    parse_epoch_ms,
    platform_id,
    split_list,
    text_or_none,
)
from fandesk.people.identity import author, is_masked_nickname

NOTE_FIELDS = {"note_id", "title", "desc", "time"}
COMMENT_FIELDS = {"comment_id", "note_id", "content", "create_time"}
CREATOR_FIELDS = {"user_id", "nickname", "fans"}


def record_kind(data: dict, part: str = "") -> str | None:
    """What a MediaCrawler record is, from its fields (file names and sheet names can lie)."""
    keys = data.keys()
    if "comment_id" in keys or ("content" in keys and "create_time" in keys):
        return "comment"
    if ("note_id" in keys or "time" in keys) and ("desc" in keys or "title" in keys):
        return "note"
    if "user_id" in keys and ("fans" in keys or "follows" in keys or "interaction" in keys):
        return "creator"
    return None


def person_from(data: dict, ctx: RecordContext, seen_ms: int | None) -> dict | None:
    """The author of a record: by user_id (classic) or creator_hash (teaching edition, whose nicknames
    are all masked)."""
    user_id = platform_id(data.get("user_id"), ctx, "user_id", required=False)
    creator_hash = platform_id(data.get("creator_hash"), ctx, "creator_hash", required=False)
    nickname = text_or_none(data.get("nickname"))
    nickname = nickname.strip() if nickname else None
    return author(user_id=user_id, creator_hash=creator_hash, nickname=nickname,
                  masked=is_masked_nickname(nickname, teaching=not user_id and "creator_hash" in data),
                  avatar=text_or_none(data.get("avatar")), ip_location=text_or_none(data.get("ip_location")),
                  seen_ms=seen_ms)


def note(data: dict, ctx: RecordContext, raw: str | None = None) -> dict:
    note_pid = platform_id(data.get("note_id"), ctx, "note_id")
    created = parse_epoch_ms(data.get("time"), ctx, "time", required=False)
    # MediaCrawler writes 0 when the API gave no update time: unknown, not 1970
    last_update = data.get("last_update_time")
    updated = None if last_update in (0, "0") else parse_epoch_ms(last_update, ctx, "last_update_time",
                                                                   required=False)
    counts = [parse_count(data.get(f), ctx, f) for f in
              ("liked_count", "collected_count", "comment_count", "share_count")]
    title = text_or_none(data.get("title"))
    text = data.get("desc") or ""
    tags = split_list(data.get("tag_list"))
    images = split_list(data.get("image_list"))
    return {
        "kind": "note",
        "platform_id": note_pid,
        "author": person_from(data, ctx, created),
        "title": title,
        "text": text,
        "note_type": text_or_none(data.get("type")),
        "tags": dumps(tags),
        "image_urls": dumps(images),
        "video_url": text_or_none(data.get("video_url")),
        "liked_count": counts[0],
        "collected_count": counts[1],
        "comment_count": counts[2],
        "share_count": counts[3],
        "ip_location": text_or_none(data.get("ip_location")),
        "url": text_or_none(data.get("note_url")),
        "created_ms": created,
        "updated_ms": updated,
        "crawled_ms": _crawled(data),
        "fingerprint": fingerprint(title, text, tags, images, counts, updated),
        "raw": raw or dumps(data),
    }


def comment(data: dict, ctx: RecordContext, raw: str | None = None) -> dict:
    comment_pid = platform_id(data.get("comment_id"), ctx, "comment_id")
    note_pid = platform_id(data.get("note_id"), ctx, "note_id")
    created = parse_epoch_ms(data.get("create_time"), ctx, "create_time")
    parent = data.get("parent_comment_id")
    # top level: 0 (JSON, CSV), "0" (SQL), "" (teaching edition), 'None' (SQL's str() of a missing one)
    parent_pid = None if parent in (None, "", 0, "0", "None") else platform_id(parent, ctx, "parent_comment_id")
    if parent_pid == comment_pid:
        raise ctx.bad("parent_comment_id", "the comment names itself as its parent")
    text = data.get("content")
    text = "" if text is None else str(text)
    like_count = parse_count(data.get("like_count"), ctx, "like_count")
    sub_count = parse_count(data.get("sub_comment_count"), ctx, "sub_comment_count")
    pictures = split_list(data.get("pictures"))
    is_author = data.get("is_author") in (True, 1, "1", "true", "True")
    return {
        "kind": "comment",
        "platform_id": comment_pid,
        "note_platform_id": note_pid,
        "parent_platform_id": parent_pid,
        "author": person_from(data, ctx, created),
        "text": text,
        "created_ms": created,
        "like_count": like_count,
        "sub_comment_count": sub_count,
        "platform_status": None,
        "pictures": dumps(pictures) if pictures else None,
        "ip_location": text_or_none(data.get("ip_location")),
        "is_author": is_author,
        "crawled_ms": _crawled(data),
        # values as read, not as stored: pictures are "" in JSON and CSV, None in Excel, '""' in SQL
        "fingerprint": fingerprint(text, like_count, sub_count, ",".join(pictures)),
        "raw": raw or dumps(data),
    }


def creator(data: dict, ctx: RecordContext, raw: str | None = None) -> dict:
    person = person_from(data, ctx, None)
    if person is None:
        raise ctx.bad("user_id", "missing id", "a creator record needs its user_id")
    person.update({
        "kind": "person",
        "gender": text_or_none(data.get("gender")),
        "bio": text_or_none(data.get("desc")),
        "follower_count": parse_count(data.get("fans"), ctx, "fans"),
        "profile_raw": raw or dumps(data),
        "fingerprint": _profile_fingerprint(data, ctx),
    })
    return person


def _profile_fingerprint(data: dict, ctx: RecordContext) -> str:
    nickname = text_or_none(data.get("nickname"))
    counts = [parse_count(data.get(f), ctx, f) for f in ("follows", "fans", "interaction")]
    return fingerprint(nickname.strip() if nickname else None, text_or_none(data.get("gender")),
                       text_or_none(data.get("desc")), text_or_none(data.get("avatar")),
                       text_or_none(data.get("ip_location")), counts, _json_text(data.get("tag_list")))


def stored_profile_fingerprint(profile_raw: str | None) -> str | None:
    """The fingerprint of a creator record kept as it came, in whatever format: a re-import of the
    same profile from another format is then unchanged."""
    if not profile_raw:
        return None
    try:
        return _profile_fingerprint(orjson.loads(profile_raw), RecordContext("", "", 0))
    except (orjson.JSONDecodeError, BadRecord, AttributeError):
        return None


def _json_text(value) -> str | None:
    """A JSON value however often it was encoded (the SQL writer json.dumps the JSON string of
    tag_list again), as one canonical text."""
    for _ in range(3):
        if not isinstance(value, str) or value.strip()[:1] not in ('"', "{", "["):
            break
        try:
            value = orjson.loads(value)
        except orjson.JSONDecodeError:
            break
    if value in (None, "", "null", "None"):
        return None
    return value if isinstance(value, str) else orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


def _crawled(data: dict) -> int | None:
    value = data.get("last_modify_ts")
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


NORMALIZERS = {"note": note, "comment": comment, "creator": creator}
