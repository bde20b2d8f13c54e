"""The demo's world before it is written to files: two accounts, the people around them and the
notes they post. Comments are simulated in `threads.py`; the writers only format what is here."""

from __future__ import annotations

import bisect
import hashlib
import math
import random
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from fandesk.demo import phrases as P

SHANGHAI = ZoneInfo("Asia/Shanghai")
DEFAULT_NOW = datetime(2026, 11, 20, 12, 0, tzinfo=SHANGHAI)
HISTORY_DAYS = 183
HOUR_MS = 3_600_000
DAY_MS = 24 * HOUR_MS
# How busy Xiaohongshu is at each local hour: quiet at night, peaks at lunch and in the evening.
HOURLY_ACTIVITY = [3, 2, 1, 1, 1, 1, 2, 4, 6, 7, 7, 8, 10, 9, 7, 7, 7, 8, 9, 11, 13, 14, 12, 7]
_HOURLY_MAX = max(HOURLY_ACTIVITY)

PEOPLE_KINDS = [  # kind, share of the ~5,000 people
    ("super_fan", 24), ("regular", 700), ("casual", 3950), ("spammer", 60), ("abuser", 26), ("partner", 40),
    ("lurker", 200),
]


def creator_hash_of(user_id: str) -> str:
    """MediaCrawler's teaching edition replaces a user id with a 16-hex hash of it."""
    return hashlib.sha256(user_id.encode()).hexdigest()[:16]


def mask_nickname(nickname: str) -> str:
    """The teaching edition's masking: first char + *** + last char."""
    return f"{nickname[0]}***{nickname[-1]}"


def local_hour(ms: int) -> int:
    return (ms // HOUR_MS + 8) % 24


def ms_of(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


class Ids:
    """Platform-shaped ids: Xiaohongshu ids are MongoDB ObjectIds (a seconds timestamp, random
    bytes, a counter) written as 24 hex chars."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.counter = rng.randrange(1 << 20)

    def object_id(self, ms: int) -> str:
        self.counter = (self.counter + 1) & 0xFFFFFF
        return f"{(ms // 1000) & 0xFFFFFFFF:08x}{self.rng.getrandbits(40):010x}{self.counter:06x}"

    def token(self) -> str:
        alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        return "AB" + "".join(self.rng.choice(alphabet) for _ in range(42)) + "="

    def image_url(self, ms: int, kind: str = "note") -> str:
        stamp = datetime.fromtimestamp(ms / 1000, SHANGHAI).strftime("%Y%m%d%H%M")
        suffix = "!nd_dft_wlteh_webp_3" if kind == "note" else "!nc_n_webp_mw_1"
        return f"http://sns-webpic-qc.xhscdn.com/{stamp}/{self.rng.getrandbits(128):032x}/{self.object_id(ms)}{suffix}"


@dataclass(eq=False, kw_only=True)
class Actor:
    user_id: str
    nicknames: list[tuple[int, str]]  # (seen from ms, nickname), oldest first
    avatar: str
    ip_location: str  # "" when the platform does not show it
    gender: str | None

    @property
    def creator_hash(self) -> str:
        return creator_hash_of(self.user_id)

    @property
    def nickname(self) -> str:
        return self.nicknames[-1][1]

    def nickname_at(self, ms: int) -> str:
        current = self.nicknames[0][1]
        for since, name in self.nicknames:
            if since <= ms:
                current = name
        return current


@dataclass(eq=False, kw_only=True)
class Account(Actor):
    handle: str
    name: str
    role: str  # "brand" | "creator"
    is_account: bool = True


@dataclass(eq=False, kw_only=True)
class Person(Actor):
    index: int
    kind: str
    audience: str  # "brand" | "creator" | "both"
    planned_comments: int
    active_from: int
    active_to: int
    skin_type: str
    concerns: list[str]
    city: str
    fans: int
    follows: int
    bio: str
    is_account: bool = False

    def follows_account(self, role: str) -> bool:
        return self.audience in (role, "both")


@dataclass(eq=False, kw_only=True)
class Note:
    note_id: str
    account: Account  # whose workspace the note is imported into
    author: Actor
    kind: str  # "brand" | "creator" | "ugc"
    note_type: str  # "normal" | "video"
    title: str
    desc: str
    tags: list[str]
    images: list[str]
    video_url: str
    created_ms: int
    popularity: float
    xsec_token: str
    product: str | None = None
    special: str = ""  # "crisis", "challenge", "winners", "sponsored"
    liked: int = 0
    collected: int = 0
    shared: int = 0
    comments: list[Comment] = field(default_factory=list)


@dataclass(eq=False, kw_only=True)
class Comment:
    comment_id: str
    note: Note
    author: Actor
    created_ms: int
    topic: str
    text: str
    pictures: list[str] = field(default_factory=list)
    parent: Comment | None = None
    like_count: int = 0
    late_likes: int = 0  # likes that came after the morning crawl: later captures show them
    status: int = 0
    at_users: list[Actor] = field(default_factory=list)
    children: list[Comment] = field(default_factory=list)

    @property
    def is_ours(self) -> bool:
        return getattr(self.author, "is_account", False)

    @property
    def root(self) -> Comment:
        node = self
        while node.parent is not None:
            node = node.parent
        return node


@dataclass(eq=False)
class World:
    now_ms: int
    start_ms: int
    brand: Account
    creator: Account
    people: list[Person]
    notes: list[Note] = field(default_factory=list)
    comments: list[Comment] = field(default_factory=list)
    crisis_note: Note | None = None
    crisis_start_ms: int = 0
    challenge_windows: list[tuple[int, int]] = field(default_factory=list)

    def account(self, role: str) -> Account:
        return self.brand if role == "brand" else self.creator


def sample_active_time(rng: random.Random, start: int, end: int) -> int:
    """A moment in [start, end) that follows the platform's daily rhythm."""
    moment = rng.randrange(start, max(end, start + 1))
    for _ in range(6):
        if rng.random() * _HOURLY_MAX < HOURLY_ACTIVITY[local_hour(moment)]:
            return moment
        moment = rng.randrange(start, max(end, start + 1))
    return moment


def _nickname(rng: random.Random) -> str:
    name = rng.choice(P.NICK_PREFIXES) + rng.choice(P.NICK_NOUNS) + rng.choice(P.NICK_SUFFIXES)
    return name if len(name) >= 2 else name + "呀"


def _default_nickname(rng: random.Random) -> str:
    return f"小红薯{rng.getrandbits(32):08X}"


def make_accounts(rng: random.Random, ids: Ids, start_ms: int) -> tuple[Account, Account]:
    brand_id = ids.object_id(start_ms - 900 * DAY_MS)
    creator_id = ids.object_id(start_ms - 1400 * DAY_MS)
    brand = Account(user_id=brand_id, nicknames=[(0, P.BRAND_NAME)], handle="chengji_lab", name=P.BRAND_NAME,
                    role="brand", avatar=f"https://sns-avatar-qc.xhscdn.com/avatar/{brand_id}.jpg",
                    ip_location="上海", gender=None)
    creator = Account(user_id=creator_id, nicknames=[(0, "小美的日常")], handle="xiaomei_daily", name="小美的日常",
                      role="creator", avatar=f"https://sns-avatar-qc.xhscdn.com/avatar/{creator_id}.jpg",
                      ip_location="浙江", gender="Female")
    return brand, creator


def make_people(rng: random.Random, ids: Ids, start_ms: int, end_ms: int, scale: float = 1.0) -> list[Person]:
    """~5,000 people with heavy-tailed activity: a few super fans comment dozens of times, most once."""
    people: list[Person] = []
    span = end_ms - start_ms
    for kind, count in PEOPLE_KINDS:
        for _ in range(max(1, round(count * scale))):
            audience = rng.choices(["brand", "creator", "both"], weights=[50, 38, 12])[0]
            if kind == "super_fan":
                planned = rng.randint(35, 90)
                active_from = start_ms + rng.randrange(20 * DAY_MS)
                active_to = end_ms - rng.randrange(3 * DAY_MS)
            elif kind == "regular":
                planned = min(40, 5 + int(rng.expovariate(1 / 10)))
                active_from = max(start_ms, start_ms + rng.randrange(-30 * DAY_MS, span - 20 * DAY_MS))
                active_to = min(end_ms, active_from + rng.randrange(45 * DAY_MS, 200 * DAY_MS))
            else:
                planned = {
                    "casual": lambda: rng.choices([1, 2, 3, 4, 5, 6, 8], weights=[47, 22, 10, 7, 5, 5, 4])[0],
                    "spammer": lambda: rng.randint(3, 25),
                    "abuser": lambda: rng.randint(2, 8),
                    "partner": lambda: rng.randint(1, 3),
                    "lurker": lambda: 0,
                }[kind]()
                length = {"casual": int(rng.expovariate(1 / (12 * DAY_MS))) + HOUR_MS,
                          "spammer": rng.randrange(5 * DAY_MS, 60 * DAY_MS),
                          "abuser": rng.randrange(10 * DAY_MS, 120 * DAY_MS)}.get(kind, 30 * DAY_MS)
                active_from = start_ms + rng.randrange(span - HOUR_MS)
                active_to = min(end_ms, active_from + length)
            joined = start_ms - rng.randrange(3 * 365 * DAY_MS)
            user_id = ids.object_id(joined)
            if kind == "spammer":
                first = rng.choice(P.SPAM_NICKNAMES) + rng.choice(["", "", str(rng.randint(1, 99))])
            elif kind == "partner":
                first = rng.choice(P.PARTNER_NICKNAMES)
            else:
                first = _default_nickname(rng) if rng.random() < 0.16 else _nickname(rng)
            nicknames = [(0, first)]
            if kind not in ("spammer", "partner") and rng.random() < 0.11:
                changed_at = rng.randrange(active_from, max(active_to, active_from + 1))
                nicknames.append((changed_at, _nickname(rng)))
                if rng.random() < 0.25:
                    nicknames.append((min(end_ms, changed_at + rng.randrange(DAY_MS, 60 * DAY_MS)),
                                      nicknames[-1][1] + rng.choice(["🌙", "✨", "_", "ovo", "er"])))
            fans = {"super_fan": rng.randint(200, 20_000), "regular": rng.randint(30, 5_000),
                    "partner": rng.randint(10_000, 500_000)}.get(kind, rng.randint(0, 300))
            people.append(Person(
                user_id=user_id, nicknames=nicknames, index=len(people), kind=kind, audience=audience,
                planned_comments=planned, active_from=active_from, active_to=active_to,
                avatar=f"https://sns-avatar-qc.xhscdn.com/avatar/{ids.object_id(joined + DAY_MS)}.jpg",
                ip_location="" if rng.random() < 0.15 else rng.choices(P.PROVINCES, P.PROVINCE_WEIGHTS)[0],
                gender=rng.choices(["Female", "Male", None], weights=[80, 8, 12])[0],
                skin_type=rng.choice(P.SKIN_TYPES), concerns=rng.sample(P.CONCERNS, rng.randint(1, 3)),
                city=rng.choice(P.CITIES), fans=fans, follows=rng.randint(5, 1200),
                bio=rng.choice(["", "记录生活", "敏感肌自救中", "爱护肤爱分享", "合作请私信", "一个普通打工人",
                                "成分党｜敏感肌", "vx同号"]),
            ))
    rng.shuffle(people)
    for position, person in enumerate(people):
        person.index = position
    return people


def _new_note(rng, ids, book, *, account, author, kind, created_ms, popularity, product=None, special="",
              title=None, desc=None, tags=None) -> Note:
    made_title, made_desc, made_tags = book.note_text(kind, product=product)
    note_type = "video" if rng.random() < 0.25 else "normal"
    return Note(
        note_id=ids.object_id(created_ms), account=account, author=author, kind=kind, note_type=note_type,
        title=title or made_title, desc=desc or made_desc, tags=tags or made_tags,
        images=[ids.image_url(created_ms) for _ in range(rng.randint(1, 9 if note_type == "normal" else 1))],
        video_url=(f"http://sns-video-bd.xhscdn.com/stream/110/258/{rng.getrandbits(96):024x}_258.mp4"
                   if note_type == "video" else ""),
        created_ms=created_ms, popularity=popularity, xsec_token=ids.token(), product=product, special=special,
    )


def _posting_time(rng: random.Random, day_ms: int) -> int:
    return day_ms + rng.choice([9, 12, 12, 18, 19, 20, 20, 21]) * HOUR_MS + rng.randrange(HOUR_MS) - 8 * HOUR_MS


def make_notes(rng: random.Random, ids: Ids, book: P.Phrasebook, world: World, *, brand_notes: int = 150,
               creator_notes: int = 110, ugc_notes: int = 40) -> None:
    """Brand posts, the creator's posts, the challenge and its UGC, and the launch that goes wrong."""
    start_day = world.start_ms - world.start_ms % DAY_MS  # midnight UTC; posting times add the local offset
    days = (world.now_ms - start_day) // DAY_MS

    def day(offset: int) -> int:
        return start_day + offset * DAY_MS

    def popularity() -> float:
        return math.exp(rng.gauss(0, 0.8))

    brand, creator = world.brand, world.creator
    # the challenge runs twice (August, November); a crisis hits a launch in mid-October
    now_local = datetime.fromtimestamp(world.now_ms / 1000, SHANGHAI)
    midnight = ms_of(now_local.replace(hour=0, minute=0, second=0, microsecond=0))
    windows = [(midnight - 111 * DAY_MS, midnight - 104 * DAY_MS), (midnight - 19 * DAY_MS, midnight - 12 * DAY_MS)]
    world.challenge_windows = windows
    notes = world.notes
    crisis = _new_note(rng, ids, book, account=brand, author=brand, kind="brand",
                       created_ms=midnight - 37 * DAY_MS + 10 * HOUR_MS + 180_000, popularity=4.0,
                       product=P.CRISIS_PRODUCT,
                       special="crisis", title="新品上市｜澄肌焕亮精华，28天焕亮肌肤✨",
                       desc="等了好久的焕亮精华终于来了！敏感肌也能用的温和焕亮配方，评论区抽3位送正装🎁 "
                            "#新品[话题]# #焕亮精华[话题]# #敏感肌护肤[话题]#",
                       tags=["新品", "焕亮精华", "敏感肌护肤"])
    notes.append(crisis)
    world.crisis_note, world.crisis_start_ms = crisis, crisis.created_ms
    for number, (opens, closes) in enumerate(windows, start=1):
        notes.append(_new_note(rng, ids, book, account=brand, author=brand, kind="brand",
                               created_ms=opens - 2 * DAY_MS + 12 * HOUR_MS, popularity=2.5, special="challenge",
                               title=f"7天打卡挑战第{number}期来啦！",
                               desc=f"带话题{P.BRANDED_HASHTAG}发笔记打卡7天，每天评论区报到，抽10位送正装！",
                               tags=[P.BRANDED_TOPIC, "护肤打卡", "敏感肌护肤"]))
        notes.append(_new_note(rng, ids, book, account=brand, author=brand, kind="brand",
                               created_ms=closes + 2 * DAY_MS + 12 * HOUR_MS, popularity=1.5, special="winners",
                               title=f"第{number}期打卡挑战获奖名单🎉",
                               desc=f"感谢每一位参加{P.BRANDED_HASHTAG}的宝子！获奖的宝子请私信我们地址～",
                               tags=[P.BRANDED_TOPIC, "获奖名单"]))
    notes.append(_new_note(rng, ids, book, account=brand, author=brand, kind="brand",
                           created_ms=world.now_ms - 17 * HOUR_MS, popularity=3.0, special="qa",
                           title="每月问答｜护肤问题评论区问，我们挨个回答",
                           desc="这个月的问答来啦！肤质、用法、搭配，评论区留言，团队成员一条条回复～ "
                                "#护肤问答[话题]# #敏感肌护肤[话题]#", tags=["护肤问答", "敏感肌护肤"]))
    while len([n for n in notes if n.kind == "brand"]) < brand_notes:
        created = _posting_time(rng, day(rng.randrange(1, days)))
        if created < world.now_ms - 6 * HOUR_MS:
            notes.append(_new_note(rng, ids, book, account=brand, author=brand, kind="brand", created_ms=created,
                                   popularity=popularity(),
                                   product=rng.choice(P.EVERYDAY_PRODUCTS if created < crisis.created_ms
                                                      else [*P.EVERYDAY_PRODUCTS, P.CRISIS_PRODUCT])))
    for index in range(creator_notes):
        created = _posting_time(rng, day(rng.randrange(1, days)))
        while created >= world.now_ms - 4 * HOUR_MS:
            created -= DAY_MS
        special = "sponsored" if index < 8 else ""
        note = _new_note(rng, ids, book, account=creator, author=creator, kind="creator", created_ms=created,
                         popularity=popularity() * 1.3, special=special)
        if special:
            product = rng.choice(P.EVERYDAY_PRODUCTS)
            note.title = f"和{P.BRAND_NAME}一起做的28天修护｜{product}真实反馈"
            note.desc = (f"本期与@{P.BRAND_NAME} 合作，{product}我真的用了一个月。"
                         f"#品牌合作[话题]# #{P.BRANDED_TOPIC}[话题]#")
            note.tags, note.product = ["品牌合作", P.BRANDED_TOPIC, "敏感肌护肤"], product
        notes.append(note)
    authors = [p for p in world.people if p.follows_account("brand") and p.kind in ("super_fan", "regular")]
    authors = rng.sample(authors, min(26, len(authors)))
    for index in range(ugc_notes):
        # two challenge rounds, and a few stragglers still using the hashtag in the last days
        opens, closes = (windows[0] if index < 18 else windows[1] if index < ugc_notes - 4
                         else (world.now_ms - 3 * DAY_MS, world.now_ms - 3 * HOUR_MS))
        author = authors[index % 12] if index % 3 else authors[rng.randrange(len(authors))]
        created = sample_active_time(rng, opens, closes)
        note = _new_note(rng, ids, book, account=brand, author=author, kind="ugc", created_ms=created,
                         popularity=popularity() * 0.35, product=rng.choice(P.EVERYDAY_PRODUCTS))
        notes.append(note)
    notes.sort(key=lambda n: n.created_ms)


class NotePicker:
    """Which note a person comments on at a moment: recent, popular notes of the accounts they follow."""

    WINDOW_MS = 20 * DAY_MS

    def __init__(self, notes: list[Note]):
        self.by_audience: dict[str, tuple[list[int], list[Note]]] = {}
        for audience, kinds in (("brand", ("brand", "ugc")), ("creator", ("creator",)),
                                ("both", ("brand", "ugc", "creator"))):
            chosen = [n for n in notes if n.kind in kinds]
            self.by_audience[audience] = ([n.created_ms for n in chosen], chosen)

    def pick(self, rng: random.Random, audience: str, moment: int) -> Note | None:
        times, notes = self.by_audience[audience]
        high = bisect.bisect_left(times, moment)
        low = bisect.bisect_left(times, moment - self.WINDOW_MS)
        if high <= low:
            return None
        candidates = notes[low:high]
        weights = [n.popularity * (math.exp(-(moment - n.created_ms) / (30 * HOUR_MS)) + 0.03) for n in candidates]
        return rng.choices(candidates, weights=weights)[0]
