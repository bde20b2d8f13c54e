"""The demo generator as the `fandesk demo` command uses it: deterministic files and a manifest that
says what to import and what an import should find."""

from __future__ import annotations

import hashlib
import random
import re
from datetime import timedelta

import pytest

from fandesk.demo.generate import generate_demo_files

HEX24 = re.compile(r"^[0-9a-f]{24}$")
CANONICAL = {
    "followers": {"user_id", "nickname", "followed_at"},
    "purchases": {"user_id", "nickname", "order_id", "product", "amount", "purchased_at"},
    "referrals": {"referrer_user_id", "referred_user_id", "referred_nickname", "referred_at", "revenue"},
    "survey": {"user_id", "nickname", "answered_at", "satisfaction", "nps", "answer"},
    "costs": {"month", "category", "amount", "hours", "note"},
}


def tree(root):
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_another_seed_gives_another_workspace(demo, tmp_path):
    other = generate_demo_files(tmp_path, seed=8)
    assert other.jobs[0].paths[1].read_bytes() != demo.manifest.jobs[0].paths[1].read_bytes()
    assert other.accounts[0].user_id != demo.manifest.accounts[0].user_id
    # regenerating over it with the first seed gives exactly the first workspace: same bytes, and
    # nothing left over from seed 8 (a stale DM history would be imported by mistake)
    random.seed(12345)  # the generator must not depend on the global RNG, nor on the clock
    again = generate_demo_files(tmp_path, seed=7)
    first, second = tree(demo.manifest.out_dir), tree(tmp_path)
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    assert again.counts == demo.manifest.counts


def test_accounts_are_a_brand_and_a_creator_with_platform_ids(demo):
    brand, creator = demo.manifest.accounts
    assert (brand.handle, brand.name, brand.role) == ("chengji_lab", "澄肌实验室", "brand")
    assert creator.handle == "xiaomei_daily" and creator.role == "creator"
    for account in (brand, creator):
        assert HEX24.match(account.user_id)
        assert account.time_zone == "Asia/Shanghai"
    assert brand.creator_hash is None
    assert creator.creator_hash == hashlib.sha256(creator.user_id.encode()).hexdigest()[:16]


def test_every_job_names_existing_files_and_a_known_account(demo):
    handles = {a.handle for a in demo.manifest.accounts}
    for job in demo.manifest.jobs:
        assert job.paths and all(p.is_file() and p.stat().st_size > 0 for p in job.paths)
        assert job.account in handles
        assert job.description
    kinds = [job.sheet_kind for job in demo.manifest.jobs if job.sheet_kind]
    assert kinds == ["followers", "purchases", "referrals", "survey", "costs"]


@pytest.mark.parametrize("kind", ["followers", "purchases", "referrals", "survey", "costs"])
def test_sheet_mappings_use_canonical_fields_and_real_headers(demo, kind):
    from openpyxl import load_workbook

    job = next(j for j in demo.manifest.jobs if j.sheet_kind == kind)
    path = job.paths[0]
    if path.suffix == ".xlsx":
        sheet = load_workbook(path, read_only=True).worksheets[0]
        header = [c for c in next(sheet.iter_rows(values_only=True))]
    else:
        encoding = "gb18030" if kind == "referrals" else "utf-8-sig"
        header = path.read_text(encoding=encoding).splitlines()[0].split(",")
    for canonical, column in job.column_map.items():
        assert canonical in CANONICAL[kind] or (kind == "followers" and canonical.startswith("custom."))
        assert column in header, f"{kind}: {column} is not a column of {path.name}"
    required = {"followers": {"user_id"}, "purchases": {"user_id", "order_id", "amount"},
                "referrals": {"referrer_user_id"}, "survey": {"satisfaction"}, "costs": {"month", "amount"}}[kind]
    assert required <= job.column_map.keys()
    if kind == "followers":
        assert {"custom.skin_type", "custom.concerns"} <= job.column_map.keys()


def test_counts_are_the_size_the_demo_promises(demo):
    counts = demo.manifest.counts
    assert 270 <= counts.notes <= 330
    assert 27_000 <= counts.comments <= 33_000
    assert 4_500 <= counts.people <= 5_500
    assert counts.people <= counts.people_by_user_id + counts.people_by_creator_hash
    assert 0.15 <= counts.account_replies / counts.comments <= 0.35
    assert 80 <= counts.dm_conversations <= 120
    assert counts.dm_messages > 2 * counts.dm_conversations
    assert 1_200 <= counts.purchases <= 1_900
    assert counts.referrals >= 80 and counts.mentions >= 50
    assert counts.crisis_negative_comments >= 30
    assert sum(counts.notes_by_account.values()) == counts.notes
    assert sum(counts.comments_by_account.values()) == counts.comments


def test_counts_match_the_files(demo):
    counts = demo.manifest.counts
    api_comments = set()
    for name, payload in demo.api.items():
        data = payload.get("data", payload) if isinstance(payload, dict) else payload
        if name.startswith(("comments_page_", "sub_comments_")):
            for item in data["comments"]:
                api_comments.add(item["id"])
                api_comments.update(sub["id"] for sub in item.get("sub_comments", []))
    ids = ({c["comment_id"] for c in demo.classic_comments} | {c["comment_id"] for c in demo.csv_comments}
           | {c["comment_id"] for c in demo.teaching_comments} | api_comments)
    assert len(ids) == counts.comments
    notes = ({n["note_id"] for n in demo.classic_notes} | {n["note_id"] for n in demo.csv_notes}
             | {n["note_id"] for n in demo.teaching_notes})
    assert len(notes) == counts.notes
    assert len(demo.api["dm_conversations.json"]["data"]["chatbox_list"]) == counts.dm_conversations
    histories = [v for k, v in demo.api.items() if k.startswith("dm_history_")]
    assert sum(len(h) for h in histories) == counts.dm_messages
    mentions = sum(len(v.get("data", v)["message_list"]) for k, v in demo.api.items() if k.startswith("mentions_"))
    assert mentions == counts.mentions


def test_history_spans_six_months_and_nothing_is_in_the_future(demo):
    now_ms = int(demo.manifest.now.timestamp() * 1000)
    times = [c["create_time"] for c in demo.classic_comments + demo.teaching_comments]
    times += [int(c["create_time"]) for c in demo.csv_comments]
    assert max(times) < now_ms
    assert min(times) >= now_ms - int(timedelta(days=190).total_seconds() * 1000)
    assert max(times) - min(times) > int(timedelta(days=170).total_seconds() * 1000)
