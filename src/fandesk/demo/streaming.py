"""A fast, flat-memory writer of MediaCrawler classic comments in JSONL, for the ingest benchmark.

Comment ids are a function of (note, position in the note), so a reply can name an earlier comment
of its note without remembering it: memory holds per-note counters and the pools, never the rows."""

from __future__ import annotations

import random
from datetime import datetime
from pathlib import Path

import orjson

from fandesk.demo import phrases as P
from fandesk.demo.world import SHANGHAI, ms_of

BENCH_START = datetime(2026, 5, 20, 0, 0, tzinfo=SHANGHAI)
TEXT_POOL = 6_000
BATCH = 8_192
TOPICS = ["question"] * 5 + ["praise"] * 5 + ["casual"] * 3 + ["complaint", "shipping", "price", "mention",
                                                               "picture", "english", "spam", "ugc"]


def _comment_id(note: int, seq: int) -> str:
    mix = (note * 2_654_435_761 + seq * 40_503 + 0x9E3779B9) & 0xFFFFFFFF
    return f"6a{note:06x}{seq:08x}{mix:08x}"


def write_mediacrawler_comments_jsonl(path: Path, n: int, seed: int = 1, notes: int = 1000,
                                      people: int = 50000) -> None:
    """Write `n` classic comments spread over `notes` notes by `people` people, ~40% of them replies
    to an earlier comment of the same note; times increase through the file."""
    rng = random.Random(seed)
    book = P.Phrasebook(rng)
    texts = [book.comment(rng.choice(TOPICS), friend="小红薯" + f"{rng.getrandbits(32):08X}")
             for _ in range(TEXT_POOL)]
    uids = [f"{rng.getrandbits(96):024x}" for _ in range(people)]
    nicks = [f"小红薯{rng.getrandbits(32):08X}" if rng.random() < 0.2 else
             rng.choice(P.NICK_PREFIXES) + rng.choice(P.NICK_NOUNS) + rng.choice(P.NICK_SUFFIXES) + str(i % 97)
             for i in range(people)]
    avatars = [f"https://sns-avatar-qc.xhscdn.com/avatar/{uid}.jpg" for uid in uids]
    ips = [rng.choices(P.PROVINCES + [""], P.PROVINCE_WEIGHTS + [12])[0] for _ in range(people)]
    note_ids = [f"{0x6650_0000 + i * 977:08x}{rng.getrandbits(64):016x}" for i in range(notes)]
    note_weights = [rng.paretovariate(1.3) for _ in range(notes)]
    person_weights = [rng.paretovariate(1.1) for _ in range(people)]
    seq = [0] * notes
    picture = "http://sns-webpic-qc.xhscdn.com/202611201200/{:032x}/comment!nc_n_webp_mw_1"

    start_ms = ms_of(BENCH_START)
    step = max(1, (180 * 86_400_000) // max(n, 1))
    crawl_ms = start_ms + 181 * 86_400_000
    random_ = rng.random
    dumps = orjson.dumps
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        written = 0
        while written < n:
            size = min(BATCH, n - written)
            note_pick = rng.choices(range(notes), weights=note_weights, k=size)
            person_pick = rng.choices(range(people), weights=person_weights, k=size)
            lines = []
            for k in range(size):
                note = note_pick[k]
                person = person_pick[k]
                position = seq[note]
                seq[note] = position + 1
                if position and random_() < 0.4:
                    parent = _comment_id(note, int(random_() * position))
                    sub_count = 0
                else:
                    parent = 0
                    sub_count = str(int(random_() * random_() * 12))
                likes = int(random_() * random_() * 60)
                text = texts[int(random_() * TEXT_POOL)]
                pics = picture.format(rng.getrandbits(128)) if not text else ""
                index = written + k
                lines.append(dumps({
                    "comment_id": _comment_id(note, position),
                    "create_time": start_ms + index * step + int(random_() * step),
                    "ip_location": ips[person], "note_id": note_ids[note], "content": text,
                    "user_id": uids[person], "nickname": nicks[person], "avatar": avatars[person],
                    "sub_comment_count": sub_count, "pictures": pics, "parent_comment_id": parent,
                    "last_modify_ts": crawl_ms + index, "like_count": 0 if likes == 0 and k & 7 == 0 else str(likes),
                }))
            handle.write(b"\n".join(lines) + b"\n")
            written += size
