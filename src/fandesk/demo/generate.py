"""Generate the demo workspace's files: a skincare brand and a beauty creator on Xiaohongshu, six
months of history, written exactly as MediaCrawler, the web API and the team's spreadsheets write them.

`generate_demo_files` is deterministic: the same seed and `now` give byte-identical files. The
returned `DemoManifest` lists the accounts, the import jobs in order, and what was written, so the
`fandesk demo` command can import the files and tests can compare what lands.
"""

from __future__ import annotations

import math
import random
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from fandesk.demo import phrases as P
from fandesk.demo import sheets
from fandesk.demo.api import ApiWriter, plan_dms, write_dms
from fandesk.demo.mediacrawler import (
    COMMENT_FIELDS,
    NOTE_FIELDS,
    CrawlClock,
    Written,
    crawl,
    creator_record,
    write_csv,
    write_json,
    write_jsonl,
)
from fandesk.demo.streaming import write_mediacrawler_comments_jsonl
from fandesk.demo.threads import simulate
from fandesk.demo.world import (
    DAY_MS,
    DEFAULT_NOW,
    HISTORY_DAYS,
    HOUR_MS,
    SHANGHAI,
    Ids,
    Note,
    World,
    make_accounts,
    make_notes,
    make_people,
    ms_of,
)

__all__ = ["DemoAccount", "DemoCounts", "DemoImportJob", "DemoManifest", "DEFAULT_NOW", "generate_demo_files",
           "write_mediacrawler_comments_jsonl"]

OWNED_FOLDERS = ("mediacrawler", "mediacrawler-teaching", "api", "sheets")
SHEET_KINDS = ("followers", "purchases", "referrals", "survey", "costs")


@dataclass(frozen=True)
class DemoAccount:
    handle: str
    name: str
    user_id: str
    creator_hash: str | None  # set for the creator account, whose data comes from the teaching edition
    time_zone: str = "Asia/Shanghai"
    role: str = "brand"  # "brand" | "creator"


@dataclass(frozen=True)
class DemoImportJob:
    """One `fandesk import` call: these files, into this account."""

    paths: list[Path]
    account: str  # the account's handle
    format: str | None  # None: detect from the files; a spreadsheet's format is its sheet kind
    column_map: dict[str, str]  # sheets only: {canonical field: column header}, custom fields as "custom.<name>"
    sheet_kind: str | None  # "followers" | "purchases" | "referrals" | "survey" | "costs", None for platform data
    description: str
    captured_at: datetime  # when the capture (crawl, API capture, sheet export) that wrote these files ended


@dataclass(frozen=True)
class DemoCounts:
    """What the files hold, counted by platform id (a re-crawled record counts once)."""

    notes: int
    ugc_notes: int
    comments: int
    account_replies: int  # comments written by the accounts themselves
    people: int  # distinct people (not the accounts) in any file
    people_by_user_id: int  # ... seen with their user id (classic, API, sheets)
    people_by_creator_hash: int  # ... seen as a creator_hash (teaching edition); some also by user id elsewhere
    mentions: int
    dm_conversations: int
    dm_messages: int
    purchases: int
    referrals: int
    followers: int
    survey_answers: int
    costs: int
    crisis_negative_comments: int  # negative comments on the crisis note within 48 h of its posting
    notes_by_account: dict[str, int] = field(default_factory=dict)
    comments_by_account: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class DemoManifest:
    out_dir: Path
    seed: int
    now: datetime
    accounts: list[DemoAccount]
    jobs: list[DemoImportJob]
    counts: DemoCounts
    branded_hashtag: str
    crisis_note_id: str
    crisis_started_at: datetime


def _assign_note_counts(rng: random.Random, world: World) -> None:
    for note in world.notes:
        base = 30_000 if note.special == "crisis" else note.popularity * math.exp(rng.gauss(5.8, 0.9))
        note.liked = int(base)
        note.collected = int(base * rng.uniform(0.2, 0.7))
        note.shared = 0 if rng.random() < 0.1 else int(base * rng.uniform(0.01, 0.08))


def generate_demo_files(out_dir: Path, seed: int = 7, now: datetime | None = None, *,
                        scale: float = 1.0) -> DemoManifest:
    """Write the demo workspace's files under `out_dir` (replacing the folders it owns there) and
    say how to import them. Six months of history end at `now` (default 2026-11-20 12:00 Shanghai).
    `scale` shrinks the crowd (tests that sweep many clocks use a small one)."""
    now = now or DEFAULT_NOW
    if now.tzinfo is None:
        now = now.replace(tzinfo=SHANGHAI)
    out_dir = Path(out_dir)
    rng = random.Random(seed)
    ids = Ids(rng)
    book = P.Phrasebook(rng)
    now_ms = ms_of(now)
    start_ms = now_ms - HISTORY_DAYS * DAY_MS
    crawls = Crawls(classic_ms=now_ms - 3 * HOUR_MS, search_ms=now_ms - 2 * HOUR_MS,
                    teaching_ms=now_ms - HOUR_MS, api_ms=now_ms - 20 * 60_000, now_ms=now_ms)
    brand, creator = make_accounts(rng, ids, start_ms)
    world = World(now_ms=now_ms, start_ms=start_ms, brand=brand, creator=creator,
                  people=make_people(rng, ids, start_ms, crawls.api_ms, scale))
    make_notes(rng, ids, book, world)
    _assign_note_counts(rng, world)
    angry = simulate(rng, ids, book, world, crawls.api_ms)

    for folder in OWNED_FOLDERS:
        shutil.rmtree(out_dir / folder, ignore_errors=True)
    writer = _Writer(rng, ids, book, world, out_dir, now.strftime("%Y-%m-%d"), crawls)
    jobs = [writer.brand_classic(), writer.brand_search(), writer.creator_teaching()]
    orders = sheets.plan_purchases(rng, world, angry)
    jobs.append(writer.brand_api(angry, orders))
    jobs += writer.spreadsheets(orders)
    _check_threads(world, writer.written)

    written, crisis = writer.written, world.crisis_note
    counts = DemoCounts(
        notes=len(written.note_ids), ugc_notes=sum(1 for n in world.notes if n.kind == "ugc"),
        comments=len(written.comment_ids),
        account_replies=sum(1 for c in world.comments if c.is_ours and c.comment_id in written.comment_ids),
        people=len(written.people_by_user_id | written.people_by_creator_hash),
        people_by_user_id=len(written.people_by_user_id),
        people_by_creator_hash=len(written.people_by_creator_hash),
        crisis_negative_comments=sum(1 for c in crisis.comments if c.topic == "crisis"
                                     and c.created_ms < crisis.created_ms + 2 * DAY_MS),
        notes_by_account={k: len(v) for k, v in sorted(written.note_ids_by_account.items())},
        comments_by_account={k: len(v) for k, v in sorted(written.comment_ids_by_account.items())},
        **writer.tallies,
    )
    accounts = [DemoAccount(brand.handle, brand.name, brand.user_id, None, role="brand"),
                DemoAccount(creator.handle, creator.name, creator.user_id, creator.creator_hash, role="creator")]
    return DemoManifest(out_dir=out_dir, seed=seed, now=now, accounts=accounts, jobs=jobs, counts=counts,
                        branded_hashtag=P.BRANDED_HASHTAG, crisis_note_id=crisis.note_id,
                        crisis_started_at=datetime.fromtimestamp(crisis.created_ms / 1000, now.tzinfo))


@dataclass(frozen=True)
class Crawls:
    """When each capture of the last morning ran, oldest first; nothing happens after the last. Each
    crawl ends when the next one starts; the team exports its sheets at `now_ms`."""

    classic_ms: int
    search_ms: int
    teaching_ms: int
    api_ms: int
    now_ms: int

    def end_of(self, start_ms: int) -> int:
        return min(t for t in (self.search_ms, self.teaching_ms, self.api_ms, self.now_ms) if t > start_ms)

    def clock(self, rng: random.Random, start_ms: int) -> CrawlClock:
        return CrawlClock(rng, start_ms, self.end_of(start_ms))

    def at(self, ms: int) -> datetime:
        return datetime.fromtimestamp(ms / 1000, SHANGHAI)


class _Writer:
    """Writes the world, file family by file family, and keeps count of what reached the files."""

    def __init__(self, rng: random.Random, ids: Ids, book: P.Phrasebook, world: World, out_dir: Path, day: str,
                 crawls: Crawls):
        self.rng, self.ids, self.book, self.world = rng, ids, book, world
        self.out_dir, self.day, self.crawls = out_dir, day, crawls
        self.written = Written()
        self.tallies: dict[str, int] = {}
        self.xhs = out_dir / "mediacrawler" / "data" / "xhs"
        self.brand_notes = [n for n in world.notes if n.kind == "brand"]

    def brand_classic(self) -> DemoImportJob:
        """a) The brand's creator-mode crawl, classic schema, JSONL, plus the creators file."""
        brand, day = self.world.brand, self.day
        clock = self.crawls.clock(self.rng, self.crawls.classic_ms)
        note_rows, comment_rows = crawl(self.brand_notes, clock, self.written, crawl_ms=self.crawls.classic_ms,
                                        teaching=False, source="pc_creatormgr")
        contents = self.xhs / "jsonl" / f"creator_contents_{day}.jsonl"
        comments = self.xhs / "jsonl" / f"creator_comments_{day}.jsonl"
        write_jsonl(contents, note_rows)
        write_jsonl(comments, comment_rows)
        profiled = _profiled_people(self.world)
        creators = self.xhs / "json" / f"creator_creator_{day}.json"
        write_json(creators, [creator_record(actor, clock) for actor in [brand, *profiled]])
        for person in profiled:
            self.written.actor(person)
        return DemoImportJob([contents, comments, creators], brand.handle, None, {}, None,
                             "MediaCrawler classic, creator mode: the brand's notes, comments and profiles",
                             self.crawls.at(clock.end_ms))

    def brand_search(self) -> DemoImportJob:
        """a) A later search-mode crawl saved as CSV: the challenge's UGC, and recent brand notes again."""
        searched = [n for n in self.world.notes if n.kind == "ugc" or n.special in ("challenge", "winners")]
        recent = sorted((n for n in self.brand_notes if not n.special), key=lambda n: -n.created_ms)[:6]
        again = [n for n in searched + recent if n.kind == "brand"]
        recrawl = frozenset([n.note_id for n in again] + [c.comment_id for n in again for c in n.comments])
        clock = self.crawls.clock(self.rng, self.crawls.search_ms)
        options = {"crawl_ms": self.crawls.search_ms, "teaching": False, "source": "pc_search", "recrawl": recrawl}
        ugc_notes, ugc_comments = crawl(searched, clock, self.written, source_keyword=P.BRANDED_TOPIC, **options)
        brand_notes, brand_comments = crawl(recent, clock, self.written, source_keyword=P.BRAND_NAME, **options)
        contents = self.xhs / "csv" / f"search_contents_{self.day}.csv"
        comments = self.xhs / "csv" / f"search_comments_{self.day}.csv"
        write_csv(contents, NOTE_FIELDS, ugc_notes + brand_notes)
        write_csv(comments, COMMENT_FIELDS, ugc_comments + brand_comments)
        return DemoImportJob([contents, comments], self.world.brand.handle, None, {}, None,
                             "MediaCrawler classic, search mode (CSV): challenge posts by followers (UGC) "
                             "and a re-crawl of recent brand notes with newer counts", self.crawls.at(clock.end_ms))

    def creator_teaching(self) -> DemoImportJob:
        """b) The creator's crawl in the 2026 teaching edition, JSON."""
        folder = self.out_dir / "mediacrawler-teaching" / "data" / "xhs" / "json"
        creator_notes = [n for n in self.world.notes if n.kind == "creator"]
        clock = self.crawls.clock(self.rng, self.crawls.teaching_ms)
        note_rows, comment_rows = crawl(creator_notes, clock, self.written, crawl_ms=self.crawls.teaching_ms,
                                        teaching=True, source="pc_creatormgr")
        contents = folder / f"creator_contents_{self.day}.json"
        comments = folder / f"creator_comments_{self.day}.json"
        write_json(contents, note_rows)
        write_json(comments, comment_rows)
        return DemoImportJob([contents, comments], self.world.creator.handle, None, {}, None,
                             "MediaCrawler teaching edition (JSON): creator_hash, masked nicknames",
                             self.crawls.at(clock.end_ms))

    def brand_api(self, angry: list, orders: list) -> DemoImportJob:
        """c) The brand's API captures: the newest comments, mentions and DMs."""
        api = ApiWriter(self.rng, self.ids, self.book, self.world, self.written, self.out_dir / "api",
                        self.crawls.api_ms)
        paths = _comment_pages(api, self.brand_notes, self.crawls.classic_ms)
        paths += api.mentions()
        last_order = {o.person.index: o.order_id for o in orders}
        threads = plan_dms(self.rng, self.book, self.world, angry, self.crawls.api_ms, last_order)
        dm_paths, dm_messages = write_dms(api, threads)
        self.tallies.update(mentions=api.mention_count, dm_conversations=len(threads), dm_messages=dm_messages)
        return DemoImportJob(paths + dm_paths, self.world.brand.handle, None, {}, None,
                             "Web API payloads: comment pages, a sub-comment page, mentions, DMs",
                             self.crawls.at(self.crawls.api_ms))

    def spreadsheets(self, orders: list) -> list[DemoImportJob]:
        """d) The team's own sheets; a spreadsheet's format is its kind."""
        rng, world, written = self.rng, self.world, self.written
        folder = self.out_dir / "sheets"
        sheets.write_purchases(folder / "purchases.csv", orders, written)
        self.tallies.update(
            followers=sheets.write_followers(rng, folder / "followers.xlsx", world, orders, written),
            purchases=len(orders),
            referrals=sheets.write_referrals(rng, folder / "referrals.csv", world, orders, written),
            survey_answers=sheets.write_survey(rng, folder / "survey.csv", world, written),
            costs=sheets.write_costs(rng, folder / "costs.csv", world),
        )
        exported = self.crawls.at(self.crawls.now_ms)
        return [DemoImportJob([folder / name], world.brand.handle, kind, dict(mapping), kind, what, exported)
                for name, kind, mapping, what in (
                    ("followers.xlsx", "followers", sheets.FOLLOWER_MAP, "follower sheet with skin type and concerns"),
                    ("purchases.csv", "purchases", sheets.PURCHASE_MAP, "shop orders"),
                    ("referrals.csv", "referrals", sheets.REFERRAL_MAP,
                     "referrals (GB18030, as Excel on Windows saves)"),
                    ("survey.csv", "survey", sheets.SURVEY_MAP, "monthly satisfaction survey"),
                    ("costs.csv", "costs", sheets.COST_MAP, "monthly costs: team hours, tools, rewards"))]


def _profiled_people(world: World) -> list:
    """The crawler fetched profiles of the brand's most active commenters and of would-be partners."""
    counts: dict[int, int] = {}
    for comment in world.comments:
        if comment.note.account is world.brand and not comment.is_ours:
            counts[comment.author.index] = counts.get(comment.author.index, 0) + 1
    by_index = {p.index: p for p in world.people}
    top = sorted(counts, key=lambda i: (-counts[i], i))[:180]
    partners = [p.index for p in world.people if p.kind == "partner" and p.index in counts and p.index not in top]
    return [by_index[i] for i in top + partners]


def _comment_pages(api: ApiWriter, brand_notes: list[Note], classic_ms: int) -> list[Path]:
    """Pages for the two brand notes with the most comments since the morning's crawl."""
    def fresh(note: Note) -> int:
        return sum(1 for c in note.comments if classic_ms <= c.created_ms < api.capture_ms)

    busiest = sorted(brand_notes, key=lambda n: (-fresh(n), -n.created_ms))[:2]
    paths, overflow = api.comment_pages(busiest[0], 2, [True, False])
    more, overflow_b = api.comment_pages(busiest[1], 1, [True])
    paths += more
    root = overflow or overflow_b
    if root is None:  # a quiet morning (or a small crowd): no thread outgrew its embedded replies
        return paths
    return paths + [api.sub_comment_page(root)]


def _check_threads(world: World, written: Written) -> None:
    """Every written reply's parent was written too: the demo's threads can always be rebuilt."""
    for comment in world.comments:
        if (comment.comment_id in written.comment_ids and comment.parent is not None
                and comment.parent.comment_id not in written.comment_ids):
            raise RuntimeError(f"demo data: reply {comment.comment_id} lost its parent")
