"""Writing the world as MediaCrawler writes Xiaohongshu data: the classic schema (JSONL, CSV, a
creators JSON) and the 2026 teaching edition (JSON with `creator_hash` and masked nicknames).
Field names, types and quirks follow `formats/mediacrawler-xhs.md`."""

from __future__ import annotations

import csv
import json
import math
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import orjson

from fandesk.demo.world import DAY_MS, Actor, Comment, Note, Person, mask_nickname

NOTE_FIELDS = ["note_id", "type", "title", "desc", "video_url", "time", "last_update_time", "user_id", "nickname",
               "avatar", "liked_count", "collected_count", "comment_count", "share_count", "ip_location",
               "image_list", "tag_list", "last_modify_ts", "note_url", "source_keyword", "xsec_token"]
COMMENT_FIELDS = ["comment_id", "create_time", "ip_location", "note_id", "content", "user_id", "nickname", "avatar",
                  "sub_comment_count", "pictures", "parent_comment_id", "last_modify_ts", "like_count"]


@dataclass
class Written:
    """What reached the files, so the manifest can say what an import should find."""

    note_ids: set[str] = field(default_factory=set)
    comment_ids: set[str] = field(default_factory=set)
    comment_ids_by_account: dict[str, set[str]] = field(default_factory=dict)
    note_ids_by_account: dict[str, set[str]] = field(default_factory=dict)
    people_by_user_id: set[int] = field(default_factory=set)
    people_by_creator_hash: set[int] = field(default_factory=set)

    def actor(self, actor: Actor, *, by_hash: bool = False) -> None:
        if isinstance(actor, Person):
            (self.people_by_creator_hash if by_hash else self.people_by_user_id).add(actor.index)

    def note(self, note: Note) -> None:
        self.note_ids.add(note.note_id)
        self.note_ids_by_account.setdefault(note.account.handle, set()).add(note.note_id)

    def comment(self, comment: Comment) -> None:
        self.comment_ids.add(comment.comment_id)
        self.comment_ids_by_account.setdefault(comment.note.account.handle, set()).add(comment.comment_id)


def count_text(value: int) -> str:
    """How the platform shows a count: "17", "1.2万"."""
    if value >= 10_000:
        return f"{value / 10_000:.1f}".rstrip("0").rstrip(".") + "万"
    return str(value)


def grown(final: int, created_ms: int, at_ms: int) -> int:
    """A count as it stood at a crawl: most likes come in the first days."""
    age_days = max(0, at_ms - created_ms) / DAY_MS
    return int(final * (1 - math.exp(-age_days / 1.5)))


class CrawlClock:
    """The crawler's own clock (`last_modify_ts`): it ticks as records are fetched, from the crawl's
    start, and never passes its end (the next capture, or the demo's `now`): a crawl cannot stamp a
    record later than the moment it finished."""

    def __init__(self, rng: random.Random, start_ms: int, end_ms: int):
        if end_ms <= start_ms:
            raise ValueError(f"a crawl must end after it starts ({start_ms} >= {end_ms})")
        self.rng, self.now, self.end_ms = rng, start_ms, end_ms

    def tick(self) -> int:
        # a record every 10-225 ms (drawn as randint(40, 900) // 4 so the demo's random stream, and with
        # it every other generated value, stays what it was before the clock was bounded)
        self.now = min(self.now + self.rng.randint(40, 900) // 4, self.end_ms)
        return self.now


def visible_comments(note: Note, cutoff_ms: int) -> list[Comment]:
    return [c for c in note.comments if c.created_ms < cutoff_ms]


def thread_sizes(comments: Iterable[Comment]) -> dict[str, int]:
    """Replies per top-level comment among the comments a crawl saw."""
    sizes: dict[str, int] = {}
    for comment in comments:
        if comment.parent is not None:
            root = comment.root.comment_id
            sizes[root] = sizes.get(root, 0) + 1
    return sizes


def crawl_order(comments: list[Comment]) -> list[Comment]:
    """The order a crawler fetches comments in: a page of top-level comments, newest first, then
    the replies under each of them, oldest first."""
    tops = sorted((c for c in comments if c.parent is None), key=lambda c: -c.created_ms)
    replies: dict[str, list[Comment]] = {}
    for comment in comments:
        if comment.parent is not None:
            replies.setdefault(comment.root.comment_id, []).append(comment)
    ordered: list[Comment] = []
    for start in range(0, len(tops), 10):
        page = tops[start:start + 10]
        ordered.extend(page)
        for top in page:
            ordered.extend(replies.get(top.comment_id, []))
    return ordered


def note_record(note: Note, clock: CrawlClock, *, crawl_ms: int, teaching: bool, source: str,
                source_keyword: str = "", extra_likes: int = 0) -> dict:
    rng = clock.rng
    author = note.author
    seen = len(visible_comments(note, crawl_ms))
    # an edit made after the crawl cannot be in it: `last_update_time` is capped at the crawl's start
    edited = note.created_ms + rng.choice([0, 0, 0, rng.randrange(60_000, 3 * DAY_MS)])
    record = {
        "note_id": note.note_id, "type": note.note_type, "title": note.title, "desc": note.desc,
        "video_url": note.video_url, "time": note.created_ms, "last_update_time": min(edited, crawl_ms),
    }
    if teaching:
        record.update(creator_hash=author.creator_hash, nickname=mask_nickname(author.nickname_at(crawl_ms)))
    else:
        record.update(user_id=author.user_id, nickname=author.nickname_at(crawl_ms), avatar=author.avatar)
    record.update(
        liked_count=count_text(grown(note.liked, note.created_ms, crawl_ms) + extra_likes),
        collected_count=count_text(grown(note.collected, note.created_ms, crawl_ms)),
        comment_count=count_text(seen + rng.randrange(0, 1 + seen // 12)),
        share_count=count_text(grown(note.shared, note.created_ms, crawl_ms)) if note.shared else 0,
    )
    if not teaching:
        record["ip_location"] = author.ip_location
    record.update(
        image_list=",".join(note.images), tag_list=",".join(note.tags), last_modify_ts=clock.tick(),
        note_url=f"https://www.xiaohongshu.com/explore/{note.note_id}?xsec_token={note.xsec_token}&xsec_source={source}",
        source_keyword=source_keyword, xsec_token=note.xsec_token,
    )
    return record


def comment_record(comment: Comment, sizes: dict[str, int], clock: CrawlClock, *, teaching: bool,
                   extra_likes: int = 0) -> dict:
    rng = clock.rng
    author = comment.author
    if comment.parent is None:
        replies = sizes.get(comment.comment_id, 0)
        sub_count: int | str = "10+" if replies >= 10 and rng.random() < 0.7 else str(replies)
        parent_id: int | str = "" if teaching else 0
    else:
        sub_count, parent_id = 0, comment.parent.comment_id
    likes = comment.like_count + extra_likes
    record = {"comment_id": comment.comment_id, "create_time": comment.created_ms}
    if not teaching:
        record["ip_location"] = author.ip_location
    record.update(note_id=comment.note.note_id, content=comment.text)
    nickname = author.nickname_at(comment.created_ms)
    if teaching:
        record.update(creator_hash=author.creator_hash, nickname=mask_nickname(nickname))
    else:
        record.update(user_id=author.user_id, nickname=nickname, avatar=author.avatar)
    record.update(
        sub_comment_count=sub_count, pictures=",".join(comment.pictures), parent_comment_id=parent_id,
        last_modify_ts=clock.tick(),
        like_count=0 if likes == 0 and rng.random() < 0.15 else count_text(likes),
    )
    return record


def creator_record(actor: Actor, clock: CrawlClock) -> dict:
    """A classic creator record (profile) for a person or the brand itself."""
    rng = clock.rng
    fans = getattr(actor, "fans", 48_000)
    tags = {"location": getattr(actor, "city", "上海")}
    if fans > 5_000:
        tags["profession"] = rng.choice(["美妆博主", "护肤博主", "生活博主", "品牌号"])
    return {
        "user_id": actor.user_id, "nickname": actor.nickname, "gender": actor.gender, "avatar": actor.avatar,
        "desc": getattr(actor, "bio", "敏感肌修护专研品牌｜合作 bd@chengjilab.cn"),
        "ip_location": actor.ip_location, "follows": str(getattr(actor, "follows", 12)), "fans": count_text(fans),
        "interaction": count_text(int(fans * rng.uniform(1.5, 12))),
        "tag_list": json.dumps(tags, ensure_ascii=False), "last_modify_ts": clock.tick(),
    }


def write_jsonl(path: Path, records: Iterable[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        for record in records:
            handle.write(orjson.dumps(record) + b"\n")


def write_json(path: Path, records: list[dict]) -> None:
    """MediaCrawler's JSON writer: one array, indent 4, Chinese left as is."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(records, ensure_ascii=False, indent=4), encoding="utf-8")


def write_csv(path: Path, fieldnames: list[str], records: Iterable[dict], encoding: str = "utf-8-sig") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fieldnames)
        writer.writeheader()
        writer.writerows(records)


def crawl(notes: list[Note], clock: CrawlClock, written: Written, *, crawl_ms: int, teaching: bool,
          source: str, source_keyword: str = "", recrawl: frozenset[str] = frozenset()
          ) -> tuple[list[dict], list[dict]]:
    """One crawler run over some notes: their records and every comment older than the crawl.
    Comments in `recrawl` were seen by an earlier run and now carry newer like counts. A note posted
    after the crawl started is not in it."""
    rng = clock.rng
    note_rows, comment_rows = [], []
    for note in notes:
        if note.created_ms >= crawl_ms:
            continue
        note_rows.append(note_record(note, clock, crawl_ms=crawl_ms, teaching=teaching, source=source,
                                     source_keyword=source_keyword,
                                     extra_likes=rng.randint(1, 40) if note.note_id in recrawl else 0))
        written.note(note)
        written.actor(note.author, by_hash=teaching)
        seen = visible_comments(note, crawl_ms)
        sizes = thread_sizes(seen)
        for comment in crawl_order(seen):
            extra = comment.late_likes if comment.comment_id in recrawl else 0
            comment_rows.append(comment_record(comment, sizes, clock, teaching=teaching, extra_likes=extra))
            written.comment(comment)
            written.actor(comment.author, by_hash=teaching)
    return note_rows, comment_rows
