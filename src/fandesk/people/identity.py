"""Who wrote a record, whichever generation of MediaCrawler (or the SDK, a DM, a sheet) names them.

Classic MediaCrawler, the xhs SDK, DMs and sheets know a person's user id; the teaching edition (from
2026-07-01) knows only `creator_hash = sha256(str(user_id).strip()).hexdigest()[:16]`. Every person
known by user id also carries that hash, so a teaching-edition record finds the same person, and one
human stays one person whichever crawler saw them first.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache


@lru_cache(maxsize=65536)
def creator_hash_of(user_id: str) -> str:
    """The teaching edition's anonymised id of a user id ("" when there is no id); computed once per
    distinct id."""
    text = str(user_id).strip()
    return hashlib.sha256(text.encode()).hexdigest()[:16] if text else ""


def person_key(user_id: str | None, creator_hash: str | None) -> str | None:
    """`uid:<user id>` when the id is known, else `hash:<creator_hash>`; None for nobody."""
    if user_id:
        return f"uid:{user_id}"
    if creator_hash:
        return f"hash:{creator_hash}"
    return None


def author(*, user_id: str | None = None, creator_hash: str | None = None, nickname: str | None = None,
           masked: bool = False, avatar: str | None = None, ip_location: str | None = None,
           seen_ms: int | None = None) -> dict | None:
    """A record's author as the importer writes people: keyed by user id when there is one, always
    with the creator_hash the teaching edition would give them."""
    if user_id and not creator_hash:
        creator_hash = creator_hash_of(user_id)
    key = person_key(user_id, creator_hash)
    if key is None:
        return None
    return {"key": key, "user_id": user_id or None, "creator_hash": creator_hash or None, "nickname": nickname,
            "masked": masked, "avatar": avatar, "ip_location": ip_location, "seen_ms": seen_ms}


def is_masked_nickname(nickname: str | None, *, teaching: bool = False) -> bool:
    """A nickname the teaching edition masked. It masks every nickname, however short (3+ characters:
    first + *** + last; 2: first + *; 1: *), so in its records every one is; elsewhere only the
    unmistakable first + *** + last shape is taken for a mask."""
    if not nickname:
        return False
    if teaching:
        return True
    return "***" in nickname and len(nickname) <= 8

