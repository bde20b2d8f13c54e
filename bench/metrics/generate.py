"""A year of a big community for bench/metrics: 1,000,000 comments (followers' top-level comments and
replies, and ours) on 3,000 notes of two accounts, 100,000 people, mentions, DM conversations, the inbox
items triage would have made (sentiment, cause, spam, replies and response times), replies written in the
desk with their authors and work time, and the sheets (follows, purchases, referrals, survey, costs).

Rows are written straight into a migrated database (SQLite through sqlite3, PostgreSQL through COPY):
the importers are measured by bench/ingest, not here. Deterministic for a seed."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

import numpy as np

END = datetime(2026, 11, 30, 16, 0)  # 1 December 2026, 00:00 in Asia/Shanghai, as naive UTC
DAYS = 365
START = END - timedelta(days=DAYS)
SENTIMENTS = np.array(["positive", "neutral", "negative"])
CAUSES = np.array(["product_failure", "customer_service", "shipping_delay", "pricing", "other"])
TEXTS = np.array(["绝绝子，已经回购第三瓶了", "敏感肌可以用吗？", "@闺蜜 快来看这个", "用了一周没什么感觉",
                  "物流太慢了等了十天", "价格有点贵，有小样吗", "烂脸了，客服也不回", "yyds! 求链接",
                  "和我的肤质很搭 @小鹿 你试试", "请问油皮早上用还是晚上用"])
MEMBERS = ((1, "经理", "manager"), (2, "阿敏", "moderator"), (3, "小周", "moderator"), (4, "访客", "viewer"))


def _times(seconds: np.ndarray) -> np.ndarray:
    """Seconds since START -> the strings SQLAlchemy keeps on SQLite ('YYYY-MM-DD HH:MM:SS.ffffff')."""
    base = np.datetime64(START, "us")
    stamps = base + (seconds * 1_000_000).astype("int64").astype("timedelta64[us]")
    return np.char.replace(np.datetime_as_string(stamps, unit="us"), "T", " ")


def build(*, comments: int = 1_000_000, people: int = 100_000, seed: int = 7) -> dict[str, tuple[list[str], list]]:
    """Every table's columns and rows (lists of tuples), ready to insert."""
    rng = np.random.default_rng(seed)
    span = DAYS * 86400.0
    tables: dict[str, tuple[list[str], list]] = {}
    now_text = _times(np.array([span]))[0]

    tables["account"] = (["id", "handle", "name", "platform_user_id", "time_zone", "created_at"],
                         [(1, "glow_lab", "澄肌实验室", "u-glow", "Asia/Shanghai", now_text),
                          (2, "daily_mei", "小美的日常", "u-mei", "Asia/Shanghai", now_text)])
    tables["member"] = (["id", "name", "role", "on_duty", "language", "active"],
                        [(i, name, role, True, "zh", True) for i, name, role in MEMBERS])
    tables["account_member"] = (["id", "account_id", "member_id"],
                                [(i * 2 + a, a + 1, i + 1) for i in range(4) for a in range(2)])
    # people: a long tail, so some comment every day and most once
    person_ids = np.arange(1, people + 1)
    tables["person"] = (["id", "person_key", "platform_user_id", "nickname", "nickname_masked", "first_seen_at"],
                        [(int(p), f"uid:p{p}", f"p{p}", f"小红薯{p:06d}", False, now_text) for p in person_ids])

    n_notes = 3000
    note_account = np.where(rng.random(n_notes) < 0.7, 1, 2)
    note_time = np.sort(rng.random(n_notes) * span)
    tables["note"] = (["id", "account_id", "platform_id", "is_stub", "title", "created_at"],
                      [(i + 1, int(note_account[i]), f"n{i + 1}", False, f"笔记 {i + 1}", t)
                       for i, t in enumerate(_times(note_time))])

    roots, follower_replies = int(comments * 0.45), int(comments * 0.12)
    ours = comments - roots - follower_replies
    theirs = roots + follower_replies
    # who: a Zipf-like draw over the people
    weights = 1.0 / np.arange(1, people + 1) ** 0.9
    weights /= weights.sum()
    author = rng.choice(person_ids, size=theirs, p=weights)
    note_of = np.empty(comments, dtype=np.int64)
    at = np.empty(comments)
    parent = np.full(comments, -1, dtype=np.int64)
    root = np.empty(comments, dtype=np.int64)
    depth = np.zeros(comments, dtype=np.int64)
    # top-level comments: on a note, within days of it
    note_of[:roots] = rng.integers(0, n_notes, roots)
    at[:roots] = np.minimum(note_time[note_of[:roots]] + rng.exponential(3 * 86400, roots), span - 1)
    root[:roots] = np.arange(roots)
    # followers' replies: to a top-level comment, a third of them to another follower's reply
    first = rng.integers(0, roots, follower_replies)
    parent[roots:theirs] = first
    deeper = np.flatnonzero(rng.random(follower_replies) < 0.33)
    deeper = deeper[deeper > 0]
    parent[roots + deeper] = roots + rng.integers(0, deeper)  # an earlier reply
    for index in range(roots, theirs):  # in order: a parent is always earlier
        p = parent[index]
        note_of[index], root[index], depth[index] = note_of[p], root[p], depth[p] + 1
        at[index] = min(at[p] + rng.exponential(6 * 3600), span - 1)
    # our replies: each answers one follower comment, after a log-normal wait (median ~1.5 h)
    answered = rng.choice(theirs, size=ours, replace=False)
    wait = np.exp(rng.normal(np.log(1.5 * 3600), 1.2, ours))
    parent[theirs:] = answered
    note_of[theirs:] = note_of[answered]
    root[theirs:] = root[answered]
    depth[theirs:] = depth[answered] + 1
    at[theirs:] = at[answered] + wait
    keep = at < span  # replies after the end were not crawled yet
    reply_at = np.full(theirs, np.nan)
    reply_at[answered[keep[theirs:]]] = at[theirs:][keep[theirs:]]
    texts = TEXTS[rng.integers(0, len(TEXTS), comments)]
    times = _times(np.minimum(at, span - 1))
    ids = np.arange(1, comments + 1)
    account = note_account[note_of]
    is_ours = np.zeros(comments, dtype=bool)
    is_ours[theirs:] = True
    rows = []
    for i in range(comments):
        if not keep[i] and i >= theirs:
            continue
        p = int(parent[i])
        rows.append((int(ids[i]), f"c{ids[i]}", int(account[i]), int(note_of[i]) + 1,
                     None if is_ours[i] else int(author[i]), str(texts[i]), str(times[i]), bool(is_ours[i]),
                     None if p < 0 else f"c{p + 1}", None if p < 0 else p + 1, int(root[i]) + 1, int(depth[i])))
    tables["comment"] = (["id", "platform_id", "account_id", "note_id", "person_id", "text", "created_at", "is_ours",
                          "parent_platform_id", "parent_id", "root_id", "depth"], rows)

    # inbox items for followers' comments
    sentiment = SENTIMENTS[rng.choice(3, theirs, p=[0.62, 0.28, 0.10])]
    cause = np.where(sentiment == "negative", CAUSES[rng.choice(5, theirs, p=[0.45, 0.2, 0.15, 0.1, 0.1])], None)
    spam = rng.random(theirs) < 0.03
    tier_hours = np.where(sentiment == "negative", 2, np.where(rng.random(theirs) < 0.3, 12, 24))
    window = np.minimum(tier_hours, 4) * 3600.0
    replied = ~np.isnan(reply_at) & ~spam
    response = np.where(replied, np.round(np.nan_to_num(reply_at) - at[:theirs]), 0).astype(np.int64)
    received = times[:theirs]
    due = _times(np.minimum(at[:theirs] + window, span * 2))
    replied_text = _times(np.nan_to_num(reply_at))
    items = []
    for i in range(theirs):
        answered_now = bool(replied[i])
        items.append((i + 1, int(account[i]), "comment", i + 1, int(author[i]), int(note_of[i]) + 1, str(texts[i]),
                      str(received[i]), "replied" if answered_now else "new", None, "urgent" if tier_hours[i] == 2
                      else "important" if tier_hours[i] == 12 else "routine", str(due[i]), "casual", "[]",
                      str(sentiment[i]), 0.0, cause[i], "zh", False, bool(spam[i]), bool(spam[i]), False, "[]",
                      False, False, False, str(replied_text[i]) if answered_now else None,
                      theirs + 1 if answered_now else None, int(response[i]) if answered_now else None,
                      str(received[i]), str(received[i])))
    item_columns = ["id", "account_id", "channel", "source_id", "person_id", "note_id", "text", "received_at", "status",
                    "assignee_id", "tier", "reply_by", "category", "categories", "sentiment", "sentiment_score",
                    "cause",
                    "language", "is_question", "spam", "hidden", "escalated", "reasons", "tier_by_person",
                    "assignee_by_person", "status_by_person", "replied_at", "reply_source_id", "response_seconds",
                    "created_at", "updated_at"]

    # DMs: 5,000 conversations of the brand, stretches of 1-4 messages, our answer after a while
    dm_convs, dm_msgs, next_item = [], [], theirs + 1
    conv_people = rng.choice(person_ids, size=5000, replace=False)
    msg_id = 1
    for c, person in enumerate(conv_people, start=1):
        dm_convs.append((c, 1, int(person)))
        t = rng.random() * span
        for _stretch in range(int(rng.integers(1, 5))):
            firsts = []
            for _ in range(int(rng.integers(1, 5))):
                t += rng.exponential(600)
                if t >= span:
                    break
                dm_msgs.append((msg_id, c, f"m{msg_id}", False, "在吗？想问下订单", str(_times(np.array([t]))[0])))
                firsts.append((msg_id, t))
                msg_id += 1
            if not firsts:
                break
            answer = t + float(np.exp(rng.normal(np.log(4 * 3600), 1.3)))
            answered_dm = answer < span
            if answered_dm:
                dm_msgs.append((msg_id, c, f"m{msg_id}", True, "您好，这就帮您查", str(_times(np.array([answer]))[0])))
                msg_id += 1
            for source, when in firsts:
                text_at = str(_times(np.array([when]))[0])
                items.append((next_item, 1, "dm", source, int(person), None, "在吗？想问下订单", text_at,
                              "replied" if answered_dm else "new", None, "important",
                              str(_times(np.array([when + 12 * 3600]))[0]), "shipping", "[]", "neutral", 0.0, None,
                              "zh", True, False, False, False, "[]", False, False, False,
                              str(_times(np.array([answer]))[0]) if answered_dm else None, None,
                              int(answer - when) if answered_dm else None, text_at, text_at))
                next_item += 1
            t = answer + rng.exponential(20 * 86400)
            if t >= span:
                break
    tables["dm_conversation"] = (["id", "account_id", "person_id"], dm_convs)
    tables["dm_message"] = (["id", "conversation_id", "platform_id", "is_ours", "text", "created_at"], dm_msgs)
    tables["inbox_item"] = (item_columns, items)

    # replies written in the desk: a fifth of the answered comments, by the two moderators and the manager
    desk = np.flatnonzero(replied)
    desk = desk[rng.random(len(desk)) < 0.2]
    authors = rng.choice([1, 2, 3], size=len(desk), p=[0.2, 0.4, 0.4])
    work = np.minimum(np.exp(rng.normal(np.log(120), 0.7, len(desk))), 1800).astype(np.int64)
    replies, works = [], []
    for n, i in enumerate(desk, start=1):
        posted = str(replied_text[i])
        opened = str(_times(np.array([max(0.0, reply_at[i] - work[n - 1] - 30)]))[0])
        thanks = "谢谢你的反馈～"
        author = int(authors[n - 1])
        replies.append((n, int(i) + 1, int(account[i]), "reply", "posted", thanks, thanks, "template", False, author,
                        author, 0, 0, opened, posted, posted, posted, posted))
        works.append((n, n, int(i) + 1, int(account[i]), int(authors[n - 1]), "comment", opened, posted,
                      int(work[n - 1])))
    tables["reply"] = (["id", "item_id", "account_id", "kind", "status", "text", "draft_text", "source",
                        "needs_approval", "author_id", "approver_id", "edit_distance", "send_attempts", "created_at",
                        "updated_at", "submitted_at", "approved_at", "posted_at"], replies)
    tables["reply_work"] = (["id", "reply_id", "item_id", "account_id", "member_id", "channel", "opened_at", "done_at",
                             "seconds"], works)

    # the interaction log: every follower comment and DM, then the sheets
    interactions = []
    kinds = np.where(parent[:theirs] < 0, "commented", "replied")
    for i in range(theirs):
        interactions.append((int(account[i]), int(author[i]), str(kinds[i]), str(received[i]), f"comment:c{i + 1}"))
    dm_person = {c: p for c, _, p in dm_convs}
    for _id, conv, pid, mine, _, when in dm_msgs:
        if not mine:
            interactions.append((1, dm_person[conv], "messaged", when, f"dm:{pid}"))
    followers = rng.choice(person_ids, size=40_000, replace=False)
    follow_at = _times(rng.random(40_000) * span)
    for p, when in zip(followers, follow_at, strict=True):
        interactions.append((1 if p % 10 < 7 else 2, int(p), "followed", str(when), f"follow:{p}"))
    purchases, referrals, survey = [], [], []
    buyers = rng.choice(person_ids, size=25_000, p=weights)
    buy_at = _times(rng.random(25_000) * span)
    for n, (p, when) in enumerate(zip(buyers, buy_at, strict=True), start=1):
        amount = float(rng.choice([79, 99, 199, 299, 399]))
        purchases.append((n, 1, int(p), f"o{n}", "精华", amount, str(when), "{}"))
        interactions.append((1, int(p), "purchased", str(when), f"purchase:o{n}"))
    for n in range(1, 3001):
        referrer, referred = (int(x) for x in rng.choice(person_ids, size=2, replace=False))
        when = str(_times(np.array([rng.random() * span]))[0])
        referrals.append((n, 1, referrer, referred, f"r{n}", when, float(rng.choice([79, 199, 399])), "{}"))
        interactions.append((1, referrer, "referred", when, f"referral:r{n}"))
    for n in range(1, 4001):
        p = int(rng.choice(person_ids))
        when = str(_times(np.array([rng.random() * span]))[0])
        survey.append((n, 1, p, f"s{n}", when, int(rng.choice([3, 4, 5, 5])), int(rng.choice([6, 8, 9, 10, 10])), "",
                       "{}"))
        interactions.append((1, p, "answered_survey", when, f"survey:s{n}"))
    tables["interaction"] = (["account_id", "person_id", "kind", "occurred_at", "source_ref"], interactions)
    tables["purchase"] = (["id", "account_id", "person_id", "order_ref", "product", "amount", "purchased_at", "raw"],
                          purchases)
    tables["referral"] = (["id", "account_id", "referrer_id", "referred_id", "row_key", "referred_at", "revenue",
                           "raw"], referrals)
    tables["survey_answer"] = (["id", "account_id", "person_id", "row_key", "answered_at", "satisfaction", "nps",
                                "answer_text", "raw"], survey)
    costs = []
    for month in range(12):
        day = (START + timedelta(days=30 * month + 1)).date().replace(day=1)
        for account_id in (1, 2):
            for category, amount, hours in (("团队工时", 8500.0, 150.0), ("工具", 500.0, None),
                                            ("奖励", 2000.0, None)):
                costs.append((len(costs) + 1, account_id, f"k{len(costs)}", day.isoformat(), category, amount, hours,
                              "{}"))
    tables["cost"] = (["id", "account_id", "row_key", "incurred_on", "category", "amount", "hours", "raw"], costs)
    return tables


ORDER = ("account", "member", "account_member", "person", "note", "comment", "dm_conversation", "dm_message",
         "inbox_item", "reply", "reply_work", "interaction", "purchase", "referral", "survey_answer", "cost")


def write_sqlite(path: str, tables: dict) -> None:
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA foreign_keys=OFF")
    connection.execute("PRAGMA synchronous=OFF")
    for name in ORDER:
        columns, rows = tables[name]
        marks = ", ".join("?" for _ in columns)
        connection.executemany(f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({marks})", rows)
    connection.commit()
    connection.execute("ANALYZE")
    connection.close()


def write_postgresql(url: str, tables: dict) -> None:
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as connection:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = replica")  # no foreign key checks while loading
            for name in ORDER:
                columns, rows = tables[name]
                with cursor.copy(f"COPY {name} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            for name in ORDER:
                if name not in ("interaction",):
                    cursor.execute(f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                   f"(SELECT coalesce(max(id), 1) FROM {name}))")
            cursor.execute("SET session_replication_role = DEFAULT")
        connection.commit()
        connection.execute("ANALYZE")
