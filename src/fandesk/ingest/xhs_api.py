"""Raw Xiaohongshu web API payloads (as the `xhs` SDK returns them) as canonical records.

A payload is one page, with or without the `{code, success, msg, data}` envelope.
Field facts: docs/formats.md.
"""

from __future__ import annotations

from collections.abc import Iterator

from fandesk.errors import BadFile, BadRecord
from fandesk.ingest.values import (
    MAX_NESTING,
    RecordContext,
    deeper_than,
    dumps,
    fingerprint,
    parse_count,
    parse_epoch_ms,
    platform_id,
    split_list,
    text_or_none,
)
from fandesk.people.identity import author


def unwrap(document, file: str):
    """The SDK returns `data`; a browser capture keeps the envelope. Accept both."""
    if isinstance(document, dict) and "data" in document and ("code" in document or "success" in document):
        if document.get("success") is False or document.get("code") not in (0, None, "0"):
            raise BadFile(file, f"the platform answered with an error (code {document.get('code')}, "
                          f"msg {document.get('msg')!r})", "this page holds no data: capture it again")
        return document["data"]
    return document


def payload_kind(data) -> str | None:
    if isinstance(data, list):
        first = data[0] if data and isinstance(data[0], dict) else {}
        if "store_id" in first:
            return "dm_history"
        if "id" in first and "comment_id" not in first and ("user_info" in first or "target_comment" in first):
            return "comment_list"  # get_note_all_comments: every comment of a note, replies included, flat
        return None
    if not isinstance(data, dict):
        return None
    if "message_list" in data:
        return "mentions"
    if "chatbox_list" in data:
        return "dm_conversations"
    if "messages" in data and isinstance(data["messages"], list):
        return "dm_history"
    comments = data.get("comments")
    if isinstance(comments, list):
        if any(isinstance(c, dict) and "target_comment" in c for c in comments):
            return "sub_comment_page"
        return "comment_page"
    return None


def _person(info: dict | None, ctx: RecordContext, seen_ms: int | None) -> dict | None:
    if not isinstance(info, dict):
        return None
    user_id = platform_id(info.get("user_id") or info.get("userid"), ctx, "user_info.user_id", required=False)
    if not user_id:
        return None
    nickname = text_or_none(info.get("nickname"))
    return author(user_id=user_id, nickname=nickname.strip() if nickname else None,
                  avatar=text_or_none(info.get("image") or info.get("avatar")), seen_ms=seen_ms)


def _comment(item: dict, ctx: RecordContext, parent_pid: str | None, note_pid: str | None,
             crawled_ms: int | None = None) -> dict:
    comment_pid = platform_id(item.get("id"), ctx, "id")
    note_pid = platform_id(item.get("note_id") or note_pid, ctx, "note_id")
    created = parse_epoch_ms(item.get("create_time"), ctx, "create_time")
    target = item.get("target_comment")
    if isinstance(target, dict) and target.get("id"):
        parent_pid = platform_id(target.get("id"), ctx, "target_comment.id")
    text = item.get("content")
    text = "" if text is None else str(text)
    like_count = parse_count(item.get("like_count"), ctx, "like_count")
    sub_count = parse_count(item.get("sub_comment_count"), ctx, "sub_comment_count")
    pictures = split_list(item.get("pictures"))
    status = item.get("status")
    show_tags = item.get("show_tags") or []
    raw = {k: v for k, v in item.items() if k != "sub_comments"}
    return {
        "kind": "comment",
        "platform_id": comment_pid,
        "note_platform_id": note_pid,
        "parent_platform_id": parent_pid,
        "author": _person(item.get("user_info"), ctx, created),
        "text": text,
        "created_ms": created,
        "like_count": like_count,
        "sub_comment_count": sub_count,
        "platform_status": int(status) if isinstance(status, int | str) and str(status).lstrip("-").isdigit()
        else None,
        "pictures": dumps(pictures) if pictures else None,
        "ip_location": text_or_none(item.get("ip_location")),
        "is_author": "is_author" in show_tags,
        "crawled_ms": crawled_ms,
        "fingerprint": fingerprint(text, like_count, sub_count, pictures, status),
        "raw": dumps(raw),
    }


def _page_time(data) -> int | None:
    """The page's own `time` (ms): when it was captured, so a later capture wins over an earlier one."""
    value = data.get("time") if isinstance(data, dict) else None
    return value if isinstance(value, int) and value > 0 else None


def records(data, kind: str, file: str, now_ms: int) -> Iterator[tuple[str, dict | BadRecord]]:
    """(where, canonical record) for every record of one payload. A bad record comes back as its
    BadRecord in its place and the payload reads on, so --skip-bad passes over it alone; a reply under a
    bad comment is bad too (its thread cannot be placed)."""
    crawled = _page_time(data)
    if kind == "comment_page":
        for n, item in enumerate(data["comments"], start=1):
            ctx = RecordContext(file, f"comments[{n}]", now_ms)
            top = _attempt(_comment, item, ctx, None, None, crawled)
            yield ctx.where, top
            for m, sub in enumerate(_replies(item), start=1):
                sub_ctx = RecordContext(file, f"comments[{n}].sub_comments[{m}]", now_ms)
                yield sub_ctx.where, _reply_to(top, sub, sub_ctx, crawled)
    elif kind == "comment_list":
        # The SDK lists each top comment (still holding its first replies) and then those replies again
        # on their own; a reply names what it answers in target_comment (the top comment itself, for
        # a reply straight to it). Embedded replies are read only when the list does not hold them.
        listed = {item.get("id") for item in data if isinstance(item, dict)}
        for n, item in enumerate(data, start=1):
            ctx = RecordContext(file, f"record {n}", now_ms)
            comment = _attempt(_comment, item, ctx, None, None)
            yield ctx.where, comment
            for m, sub in enumerate(_replies(item), start=1):
                if isinstance(sub, dict) and sub.get("id") in listed:
                    continue
                sub_ctx = RecordContext(file, f"record {n}.sub_comments[{m}]", now_ms)
                yield sub_ctx.where, _reply_to(comment, sub, sub_ctx, None)
    elif kind == "sub_comment_page":
        root = data.get("root_comment_id")
        for n, item in enumerate(data["comments"], start=1):
            ctx = RecordContext(file, f"comments[{n}]", now_ms)
            yield ctx.where, _attempt(_sub_comment, item, ctx, root, crawled)
    elif kind == "mentions":
        for n, item in enumerate(data["message_list"], start=1):
            ctx = RecordContext(file, f"message_list[{n}]", now_ms)
            yield ctx.where, _attempt(_mention, item, ctx)
    elif kind == "dm_conversations":
        for n, item in enumerate(data["chatbox_list"], start=1):
            ctx = RecordContext(file, f"chatbox_list[{n}]", now_ms)
            yield ctx.where, _attempt(_conversation, item, ctx)
    elif kind == "dm_history":
        messages = data if isinstance(data, list) else data["messages"]
        follower = _follower_hint(file)
        for n, item in enumerate(messages, start=1):
            ctx = RecordContext(file, f"message {n}", now_ms)
            record = _attempt(_message, item, ctx)
            if not isinstance(record, BadRecord):
                record["follower_hint"] = follower
            yield ctx.where, record


def _attempt(make, item, ctx: RecordContext, *args) -> dict | BadRecord:
    try:
        return make(_object(item, ctx), ctx, *args)
    except BadRecord as error:
        return error


def _replies(item) -> list:
    replies = item.get("sub_comments") if isinstance(item, dict) else None
    return replies if isinstance(replies, list) else []


def _reply_to(parent: dict | BadRecord, item, ctx: RecordContext, crawled: int | None) -> dict | BadRecord:
    if isinstance(parent, BadRecord):
        return ctx.bad(None, f"the comment it answers ({parent.where}) cannot be read, so neither can its thread",
                       "fix that comment, or import the page again")
    return _attempt(_comment, item, ctx, parent["platform_id"], parent["note_platform_id"], crawled)


def _sub_comment(item: dict, ctx: RecordContext, root: str | None, crawled: int | None) -> dict:
    if not (isinstance(item.get("target_comment"), dict) and item["target_comment"].get("id")) and not root:
        raise ctx.bad("target_comment", "a reply without target_comment cannot be placed in its thread",
                      "save the page with its target_comment fields")
    return _comment(item, ctx, root, None, crawled)


def _object(item, ctx: RecordContext) -> dict:
    if not isinstance(item, dict):
        raise ctx.bad(None, f"expected an object, got {type(item).__name__}")
    if deeper_than(item):
        raise ctx.bad(None, f"nested deeper than {MAX_NESTING} levels: not a record the SDK returns",
                      "check that this is a payload the SDK returned")
    return item


def _mention(item: dict, ctx: RecordContext) -> dict:
    mention_pid = platform_id(item.get("id"), ctx, "id")
    created = parse_epoch_ms(item.get("time"), ctx, "time", seconds=True)
    comment_info = item.get("comment_info") or {}
    target = comment_info.get("target_comment") or {}
    item_info = item.get("item_info") or {}
    text = text_or_none(comment_info.get("content"))
    return {
        "kind": "mention",
        "platform_id": mention_pid,
        "author": _person(item.get("user_info"), ctx, created),
        "mention_kind": text_or_none(item.get("type")),
        "title": text_or_none(item.get("title")),
        "text": text,
        "note_platform_id": platform_id(item_info.get("id"), ctx, "item_info.id", required=False),
        "comment_platform_id": platform_id(comment_info.get("id"), ctx, "comment_info.id", required=False),
        "target_comment_platform_id": platform_id(target.get("id"), ctx, "comment_info.target_comment.id",
                                                  required=False),
        "target_text": text_or_none(target.get("content")),
        "created_ms": created,
        "fingerprint": fingerprint(text, item.get("title"), comment_info.get("like_count")),
        "raw": dumps(item),
    }


def _conversation(item: dict, ctx: RecordContext) -> dict:
    last_ms = parse_epoch_ms(item.get("last_msg_ts"), ctx, "last_msg_ts", required=False)
    person = _person(item, ctx, last_ms)
    if person is None:
        raise ctx.bad("user_id", "missing id", "a conversation needs the follower's user_id")
    return {"kind": "dm_conversation", "author": person, "last_ms": last_ms,
            "last_text": text_or_none(item.get("last_msg_content")), "label": text_or_none(item.get("label")),
            "raw": dumps(item)}


def _follower_hint(file: str) -> str | None:
    """A chat history saved as dm_history_<user id>.json names the follower; a message without a
    sender_id is then theirs when it was sent to us."""
    import re
    from pathlib import Path

    match = re.fullmatch(r"(?:dm_)?history_([0-9A-Za-z]{6,64})\.json", Path(file).name)
    return match.group(1) if match else None


def _message(item: dict, ctx: RecordContext) -> dict:
    store_id = platform_id(item.get("store_id"), ctx, "store_id")
    created = parse_epoch_ms(item.get("created_at"), ctx, "created_at")
    receiver = platform_id(item.get("receiver_id"), ctx, "receiver_id")
    sender = platform_id(item.get("sender_id"), ctx, "sender_id", required=False)
    text = text_or_none(item.get("content"))
    return {"kind": "dm_message", "platform_id": store_id, "sender_id": sender, "receiver_id": receiver,
            "message_type": text_or_none(item.get("message_type")), "text": text, "created_ms": created,
            "fingerprint": fingerprint(text, item.get("message_type")), "raw": dumps(item)}
