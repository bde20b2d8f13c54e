"""The benchmark's fast writer: classic MediaCrawler JSONL comments, threads within notes, fast."""

from __future__ import annotations

import json
import re
import time
from collections import Counter

from fandesk.demo.generate import write_mediacrawler_comments_jsonl

FIELDS = ["comment_id", "create_time", "ip_location", "note_id", "content", "user_id", "nickname", "avatar",
          "sub_comment_count", "pictures", "parent_comment_id", "last_modify_ts", "like_count"]


def test_writes_n_classic_comments_threaded_within_their_notes(tmp_path):
    path = tmp_path / "comments.jsonl"
    write_mediacrawler_comments_jsonl(path, 20_000, seed=3, notes=50, people=2_000)
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 20_000
    assert all(list(r) == FIELDS for r in records)
    assert len({r["comment_id"] for r in records}) == 20_000
    assert all(re.fullmatch(r"[0-9a-f]{24}", r["comment_id"]) and re.fullmatch(r"[0-9a-f]{24}", r["user_id"])
               for r in records)
    seen: dict[str, str] = {}
    replies = 0
    for record in records:
        parent = record["parent_comment_id"]
        if parent != 0:
            replies += 1
            assert seen[parent] == record["note_id"]  # an earlier comment of the same note
            assert record["sub_comment_count"] == 0
        else:
            assert isinstance(record["sub_comment_count"], str)
        seen[record["comment_id"]] = record["note_id"]
    assert 0.33 < replies / len(records) < 0.45
    times = [r["create_time"] for r in records]
    assert times == sorted(times)
    assert len({r["note_id"] for r in records}) <= 50 and len({r["user_id"] for r in records}) > 1_000
    busiest = Counter(r["user_id"] for r in records).most_common(1)[0][1]
    assert busiest > 50  # heavy-tailed people, as in real comment sections
    assert {type(r["like_count"]) for r in records} == {int, str}
    assert any(r["content"] == "" and r["pictures"] for r in records)


def test_is_deterministic_per_seed(tmp_path):
    one, two, three = tmp_path / "1.jsonl", tmp_path / "2.jsonl", tmp_path / "3.jsonl"
    write_mediacrawler_comments_jsonl(one, 2_000, seed=5)
    write_mediacrawler_comments_jsonl(two, 2_000, seed=5)
    write_mediacrawler_comments_jsonl(three, 2_000, seed=6)
    assert one.read_bytes() == two.read_bytes() != three.read_bytes()


def test_is_fast_enough_for_a_million_comments(tmp_path):
    started = time.perf_counter()
    write_mediacrawler_comments_jsonl(tmp_path / "bench.jsonl", 100_000)
    elapsed = time.perf_counter() - started
    assert elapsed < 6, f"100,000 comments took {elapsed:.1f} s; a million must take well under a minute"
