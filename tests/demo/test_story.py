"""What a person exploring the demo would notice: real-looking people, varied Chinese comments, the
challenge and its UGC, the crisis, and spreadsheets about the same people."""

from __future__ import annotations

import re
import statistics
from collections import Counter
from datetime import datetime

from openpyxl import load_workbook

DEFAULT_NICK = re.compile(r"^小红薯[0-9A-F]{8}$")
STICKER = re.compile(r"\[[^\[\]]{1,6}R\]|\[doge\]")
NEGATIVE = re.compile("烂脸|过敏|避雷|投诉|12315|维权|虚假宣传|红肿|红疹|皮炎|黑心|举报|曝光|退款|起诉|消协|别买|受害者|"
                      "良心|删评|假货|激素|官方|一样")


def comment_authors(demo) -> list[str]:
    """The author of every comment (by id, once), by user id, or creator_hash in the teaching edition."""
    authors: dict[str, str] = {}
    for c in demo.classic_comments + demo.csv_comments:
        authors[c["comment_id"]] = c["user_id"]
    for c in demo.teaching_comments:
        authors[c["comment_id"]] = c["creator_hash"]
    ours = {demo.manifest.accounts[0].user_id, demo.manifest.accounts[1].creator_hash}
    return [a for a in authors.values() if a not in ours]


def brand_authored(demo) -> list[dict]:
    brand = demo.manifest.accounts[0].user_id
    return [c for c in demo.classic_comments if c["user_id"] == brand]


def test_a_few_super_fans_comment_dozens_of_times_most_people_once_or_twice(demo):
    per_person = Counter(comment_authors(demo))
    counts = sorted(per_person.values())
    assert counts[-1] >= 40 and sum(1 for c in counts if c >= 30) >= 10
    assert statistics.median(counts) <= 2
    assert sum(1 for c in counts if c <= 2) / len(counts) > 0.5


def test_people_change_nicknames_and_some_keep_the_default_one(demo):
    names: dict[str, set[str]] = {}
    for c in demo.classic_comments + demo.csv_comments:
        names.setdefault(c["user_id"], set()).add(c["nickname"])
    brand = demo.manifest.accounts[0].user_id
    renamed = [uid for uid, seen in names.items() if len(seen) > 1 and uid != brand]
    assert len(renamed) >= 30
    defaults = {uid for uid, seen in names.items() if any(DEFAULT_NICK.match(n) for n in seen)}
    assert len(defaults) >= 200
    nicknames = {n for seen in names.values() for n in seen}
    assert any("精准客户" in n or "电销" in n for n in nicknames)  # advert nicknames of spam accounts


def test_comments_are_varied_and_speak_xiaohongshu(demo):
    texts = [c["content"] for c in demo.classic_comments + demo.teaching_comments]
    written = [t for t in texts if t]
    assert len(set(written)) / len(written) > 0.45
    assert Counter(written).most_common(1)[0][1] < 0.02 * len(written)
    joined = "\n".join(written)
    for phrase in ["求链接", "敏感肌", "多少钱", "蹲", "绝绝子", "yyds", "回购", "空瓶", "种草", "烂脸", "过敏", "搓泥",
                   "没效果", "发货", "太贵", "降价", "退货", "退款", "商务合作", "寄样", "置换", "私我", "加V", "vx",
                   "看我主页", "避雷", "有病", "[笑哭R]", "[偷笑R]", "[哭惹R]", "[赞R]", "@", "#澄肌打卡挑战[话题]#"]:
        assert phrase in joined, phrase
    assert sum(1 for t in written if STICKER.search(t)) > 0.1 * len(written)
    assert any(re.search(r"[\U0001F300-\U0001FAFF]", t) for t in written)
    assert sum(1 for t in written if re.fullmatch(r"[A-Za-z0-9 ,.!?'😍]+", t)) > 20  # plain English
    assert any(re.search(r"[A-Za-z]{3,}", t) and re.search(r"[\u4e00-\u9fff]", t) for t in written)  # mixed
    assert any(re.search(r"1\s?[3-9](\s?\d){9}|1[3-9]\d-\d{4}-\d{4}", t) for t in written)  # phone numbers


def test_the_accounts_answer_a_good_share_and_address_people_by_name(demo):
    brand = demo.manifest.accounts[0].user_id
    replies = brand_authored(demo)
    assert 0.15 < len(replies) / len(demo.classic_comments) < 0.4
    top_level = [c for c in replies if c["parent_comment_id"] == 0]
    assert len(top_level) == 1 and "暂停该批次" in top_level[0]["content"]  # the crisis holding statement
    named = [c for c in replies if "宝子，" in c["content"]]
    assert len(named) > 200
    commenters = {c["comment_id"]: c for c in demo.classic_comments}
    conversations = [c for c in demo.classic_comments
                     if c["parent_comment_id"] in commenters
                     and commenters[c["parent_comment_id"]]["user_id"] == brand and c["user_id"] != brand]
    assert len(conversations) > 200  # followers answering the brand back: threads, not one-offs


def test_the_launch_note_turns_negative_within_two_days(demo):
    crisis_id = demo.manifest.crisis_note_id
    note = next(n for n in demo.classic_notes if n["note_id"] == crisis_id)
    assert "焕亮精华" in note["title"]
    start = note["time"]
    on_note = [c for c in demo.classic_comments if c["note_id"] == crisis_id and c["content"]]
    burst = [c for c in on_note if start <= c["create_time"] < start + 2 * 86_400_000 and NEGATIVE.search(c["content"])]
    assert len(burst) >= 30
    for word in ["烂脸", "过敏", "避雷", "投诉", "12315", "维权", "虚假宣传"]:
        assert any(word in c["content"] for c in burst), word
    others = [c for c in demo.classic_comments if c["note_id"] != crisis_id and c["content"]]
    baseline = sum(1 for c in others if NEGATIVE.search(c["content"])) / len(others)
    first_day = [c for c in on_note if c["create_time"] < start + 12 * 3_600_000]
    assert sum(1 for c in first_day if NEGATIVE.search(c["content"])) <= 0.25 * len(first_day)  # it started well
    window = [c for c in on_note if start + 16 * 3_600_000 <= c["create_time"] < start + 52 * 3_600_000]
    assert len(burst) / len(window) > 4 * baseline
    assert demo.manifest.crisis_started_at.timestamp() * 1000 == start


def test_followers_post_with_the_branded_hashtag(demo):
    brand = demo.manifest.accounts[0].user_id
    ugc = [n for n in demo.csv_notes if n["user_id"] != brand]
    assert len(ugc) == demo.manifest.counts.ugc_notes
    assert all("澄肌打卡挑战" in n["tag_list"].split(",") and demo.manifest.branded_hashtag in n["desc"] for n in ugc)
    authors = Counter(n["user_id"] for n in ugc)
    assert authors.most_common(1)[0][1] >= 2  # advocates post more than once
    commenters = {c["user_id"] for c in demo.classic_comments}
    assert sum(1 for a in authors if a in commenters) >= len(authors) // 2


def test_purchases_are_by_people_who_comment(demo):
    path = demo.path("purchases.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    import csv

    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == demo.manifest.counts.purchases
    assert len({r["订单号"] for r in rows}) == len(rows)
    commenters = set(comment_authors(demo))
    assert all(r["用户ID"] in commenters for r in rows)
    assert all(re.fullmatch(r"\d+\.\d\d", r["实付金额"]) for r in rows)
    datetime.strptime(rows[0]["下单时间"], "%Y-%m-%d %H:%M:%S")
    crisis_buyers = {r["用户ID"] for r in rows if "焕亮精华" in r["商品"]}
    assert len(crisis_buyers) >= 50


def test_referrals_are_saved_as_excel_on_chinese_windows_does(demo):
    raw = demo.path("referrals.csv").read_bytes()
    try:
        raw.decode("utf-8")
        decoded_as_utf8 = True
    except UnicodeDecodeError:
        decoded_as_utf8 = False
    assert not decoded_as_utf8
    lines = raw.decode("gb18030").splitlines()
    assert lines[0].startswith("推荐人ID,")
    assert len(lines) - 1 == demo.manifest.counts.referrals
    referrers = Counter(line.split(",")[0] for line in lines[1:])
    assert referrers.most_common(1)[0][1] >= 10  # a super advocate


def test_follower_sheet_has_custom_fields_and_dates(demo):
    sheet = load_workbook(demo.path("followers.xlsx"), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    assert len(body) == demo.manifest.counts.followers
    assert {"肤质", "关注问题"} <= set(header)
    followed = header.index("关注时间")
    assert all(isinstance(r[followed], datetime) for r in body)
    skin = Counter(r[header.index("肤质")] for r in body)
    assert "敏感肌" in skin and len(skin) >= 5


def test_costs_cover_six_months_of_hours_tools_and_rewards(demo):
    import csv

    with demo.path("costs.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == demo.manifest.counts.costs
    assert len({r["月份"] for r in rows}) == 6
    assert {r["类别"] for r in rows} == {"团队工时", "工具", "奖励"}
    assert all(r["工时"] for r in rows if r["类别"] == "团队工时")
