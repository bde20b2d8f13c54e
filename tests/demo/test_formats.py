"""The files are shaped exactly as `formats/mediacrawler-xhs.md` and `formats/xhs-api.md` say."""

from __future__ import annotations

import hashlib
import re

NOTE_FIELDS = ["note_id", "type", "title", "desc", "video_url", "time", "last_update_time", "user_id", "nickname",
               "avatar", "liked_count", "collected_count", "comment_count", "share_count", "ip_location",
               "image_list", "tag_list", "last_modify_ts", "note_url", "source_keyword", "xsec_token"]
COMMENT_FIELDS = ["comment_id", "create_time", "ip_location", "note_id", "content", "user_id", "nickname", "avatar",
                  "sub_comment_count", "pictures", "parent_comment_id", "last_modify_ts", "like_count"]
HEX16 = re.compile(r"^[0-9a-f]{16}$")
HEX24 = re.compile(r"^[0-9a-f]{24}$")
COUNT = re.compile(r"^\d+(\.\d)?万$|^\d+\+?$")
MASKED = re.compile(r"^.\*\*\*.$")


def unwrap(payload):
    return payload["data"] if isinstance(payload, dict) and "code" in payload else payload


def all_comments(demo) -> dict[str, tuple[str, str | None, int]]:
    """Every comment in every file: id -> (note id, parent id or None, create time ms)."""
    found: dict[str, tuple[str, str | None, int]] = {}
    for c in demo.classic_comments:
        found[c["comment_id"]] = (c["note_id"], c["parent_comment_id"] or None, c["create_time"])
    for c in demo.csv_comments:
        parent = None if c["parent_comment_id"] == "0" else c["parent_comment_id"]
        found[c["comment_id"]] = (c["note_id"], parent, int(c["create_time"]))
    for c in demo.teaching_comments:
        found[c["comment_id"]] = (c["note_id"], c["parent_comment_id"] or None, c["create_time"])
    for name, payload in demo.api.items():
        if name.startswith(("comments_page_", "sub_comments_")):
            for item in unwrap(payload)["comments"]:
                target = item.get("target_comment")
                found[item["id"]] = (item["note_id"], target["id"] if target else None, item["create_time"])
                for sub in item.get("sub_comments", []):
                    found[sub["id"]] = (sub["note_id"], sub["target_comment"]["id"], sub["create_time"])
    return found


def test_classic_jsonl_records_have_the_documented_fields_and_quirks(demo):
    assert all(list(n) == NOTE_FIELDS for n in demo.classic_notes)
    assert all(list(c) == COMMENT_FIELDS for c in demo.classic_comments)
    tops = [c for c in demo.classic_comments if c["parent_comment_id"] == 0]
    replies = [c for c in demo.classic_comments if c["parent_comment_id"] != 0]
    assert tops and replies and all(isinstance(c["parent_comment_id"], str) for c in replies)
    assert all(isinstance(c["create_time"], int) and c["create_time"] > 1_700_000_000_000 for c in tops)
    # counts: strings from the API, and integer 0 where the API had nothing, in one file
    like_types = {type(c["like_count"]) for c in demo.classic_comments}
    assert like_types == {int, str}
    assert {c["sub_comment_count"] for c in replies} == {0}
    assert any(c["sub_comment_count"] == "10+" for c in tops)
    assert all(COUNT.match(c["like_count"]) for c in demo.classic_comments if isinstance(c["like_count"], str))
    assert any(c["like_count"].endswith("万") for c in tops if isinstance(c["like_count"], str))
    assert any(str(n["liked_count"]).endswith("万") for n in demo.classic_notes)
    assert all(HEX24.match(c["user_id"]) and c["avatar"].startswith("https://") for c in demo.classic_comments)
    assert "" in {c["ip_location"] for c in demo.classic_comments}  # often absent
    pictures = [c for c in demo.classic_comments if c["pictures"]]
    assert any("," in c["pictures"] for c in pictures)
    assert any(c["content"] == "" for c in pictures)  # picture-only comments


def test_creators_file_holds_classic_profiles(demo):
    assert len(demo.creators) > 100
    brand = demo.manifest.accounts[0]
    assert demo.creators[0]["user_id"] == brand.user_id
    for record in demo.creators:
        assert set(record) == {"user_id", "nickname", "gender", "avatar", "desc", "ip_location", "follows", "fans",
                               "interaction", "tag_list", "last_modify_ts"}
        assert record["gender"] in ("Female", "Male", None)
        assert isinstance(record["tag_list"], str) and record["tag_list"].startswith("{")
    commenters = {c["user_id"] for c in demo.classic_comments + demo.csv_comments}
    assert all(r["user_id"] in commenters for r in demo.creators[1:])  # profiles of the brand's commenters


def test_search_csv_has_a_bom_and_both_new_and_recrawled_comments(demo):
    path = demo.path("search_comments_2026-11-20.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert list(demo.csv_comments[0]) == COMMENT_FIELDS
    assert list(demo.csv_notes[0]) == NOTE_FIELDS
    classic = {c["comment_id"]: c for c in demo.classic_comments}
    again = [c for c in demo.csv_comments if c["comment_id"] in classic]
    new = [c for c in demo.csv_comments if c["comment_id"] not in classic]
    assert len(again) > 100 and len(new) > 100

    def likes(value) -> float:
        text = str(value)
        return float(text[:-1]) * 10_000 if text.endswith("万") else float(text)

    assert all(likes(c["like_count"]) >= likes(classic[c["comment_id"]]["like_count"]) for c in again)
    assert any(likes(c["like_count"]) > likes(classic[c["comment_id"]]["like_count"]) for c in again)


def test_teaching_edition_hashes_ids_and_masks_nicknames(demo):
    for path in demo.manifest.jobs[2].paths:
        assert path.read_text(encoding="utf-8").startswith('[\n    {\n        "')  # one array, indent 4
    for record in demo.teaching_notes + demo.teaching_comments:
        assert "user_id" not in record and "avatar" not in record and "ip_location" not in record
        assert HEX16.match(record["creator_hash"])
        assert MASKED.match(record["nickname"]), record["nickname"]
    assert {c["parent_comment_id"] for c in demo.teaching_comments if not c["parent_comment_id"]} == {""}
    creator = demo.manifest.accounts[1]
    assert {n["creator_hash"] for n in demo.teaching_notes} == {creator.creator_hash}
    ours = [c for c in demo.teaching_comments if c["creator_hash"] == creator.creator_hash]
    assert len(ours) > 500 and all(c["parent_comment_id"] for c in ours)


def test_a_person_carries_the_same_creator_hash_as_their_user_id_elsewhere(demo):
    hashed = {hashlib.sha256(c["user_id"].encode()).hexdigest()[:16]: c["user_id"] for c in demo.classic_comments}
    shared = [c for c in demo.teaching_comments if c["creator_hash"] in hashed]
    assert len({c["creator_hash"] for c in shared}) > 100  # people who follow both accounts


def test_every_reply_points_at_an_earlier_comment_of_the_same_note(demo):
    comments = all_comments(demo)
    replies = {k: v for k, v in comments.items() if v[1] is not None}
    assert len(replies) > 10_000
    for comment_id, (note_id, parent_id, created) in replies.items():
        assert parent_id in comments, f"{comment_id} replies to a comment no file holds"
        parent_note, _, parent_created = comments[parent_id]
        assert parent_note == note_id and parent_created <= created
    depths = []
    for comment_id in replies:
        depth, node = 0, comment_id
        while comments[node][1] is not None:
            node, depth = comments[node][1], depth + 1
            assert depth < 50
        depths.append(depth)
    assert max(depths) >= 3  # replies to replies to replies


def test_api_comment_pages_embed_replies_with_and_without_the_envelope(demo):
    pages = {k: v for k, v in demo.api.items() if k.startswith("comments_page_")}
    assert len(pages) >= 3
    assert {("code" in v) for v in pages.values()} == {True, False}
    brand = demo.manifest.accounts[0].user_id
    for payload in pages.values():
        data = unwrap(payload)
        assert set(data) == {"comments", "cursor", "has_more", "time", "user_id", "xsec_token"}
        assert data["user_id"] == brand
        for item in data["comments"]:
            assert isinstance(item["like_count"], str) and isinstance(item["sub_comment_count"], str)
            assert {"user_id", "nickname", "image"} <= set(item["user_info"])
            assert len(item["sub_comments"]) <= 3
            assert item["sub_comment_has_more"] == (int(item["sub_comment_count"]) > len(item["sub_comments"]))
    embedded = [s for p in pages.values() for i in unwrap(p)["comments"] for s in i["sub_comments"]]
    assert any(s["show_tags"] == ["is_author"] and s["user_info"]["user_id"] == brand for s in embedded)
    sub_pages = [unwrap(v) for k, v in demo.api.items() if k.startswith("sub_comments_")]
    assert len(sub_pages) == 1 and sub_pages[0]["comments"]
    assert all("target_comment" in c and "sub_comments" not in c for c in sub_pages[0]["comments"])


def test_api_has_comments_newer_than_the_crawl(demo):
    crawled = {c["comment_id"] for c in demo.classic_comments} | {c["comment_id"] for c in demo.csv_comments}
    newest = max(c["create_time"] for c in demo.classic_comments)
    api_only = [(k, v) for k, v in all_comments(demo).items() if k not in crawled and v[2] > newest]
    assert api_only


def test_mentions_are_in_seconds_and_come_in_every_kind(demo):
    now_s = int(demo.manifest.now.timestamp())
    files = [v for k, v in sorted(demo.api.items()) if k.startswith("mentions_")]
    assert {("code" in v) for v in files} == {True, False}
    messages = [m for f in files for m in unwrap(f)["message_list"]]
    assert all(isinstance(m["time"], int) and now_s - 30 * 86_400 < m["time"] <= now_s for m in messages)
    kinds = {m["type"] for m in messages}
    assert {"comment/item", "comment/comment", "mention/comment"} <= kinds
    titles = {m["title"] for m in messages}
    assert {"评论了你的笔记", "回复了我的评论", "在评论中@了你"} <= titles
    for m in messages:
        assert {"userid", "nickname", "image"} <= set(m["user_info"])
        assert m["item_info"]["type"] == "note_info"
        if m["type"] == "comment/comment":
            assert m["comment_info"]["target_comment"]["user_info"]["userid"] == demo.manifest.accounts[0].user_id
        if "comment_info" in m:
            assert isinstance(m["comment_info"]["like_count"], int)
    assert all(m["comment_info"]["content"].count("@澄肌实验室") for m in messages if m["type"] == "mention/comment")


def test_dm_histories_are_in_milliseconds_and_some_messages_are_ours(demo):
    brand = demo.manifest.accounts[0].user_id
    boxes = unwrap(demo.api["dm_conversations.json"])["chatbox_list"]
    assert set(boxes[0]) == {"user_id", "nickname", "avatar", "last_msg_content", "last_msg_ts", "last_store_id",
                             "view_store_id", "label"}
    assert [b["last_msg_ts"] for b in boxes] == sorted((b["last_msg_ts"] for b in boxes), reverse=True)
    ours = theirs = 0
    for box in boxes:
        history = demo.api[f"dm_history_{box['user_id']}.json"]
        assert isinstance(history, list) and history
        assert history[-1]["created_at"] == box["last_msg_ts"]
        for message in history:
            assert message["created_at"] > 1_700_000_000_000
            assert {"created_at", "content", "message_type", "store_id", "receiver_id"} <= set(message)
            if message["receiver_id"] == box["user_id"]:
                ours += 1
                assert message.get("sender_id", brand) == brand
            else:
                theirs += 1
                assert message["receiver_id"] == brand
    assert ours > 80 and theirs > ours
    # some captures leave out the sender of our own messages; the receiver still names the follower
    assert any("sender_id" not in m for k, v in demo.api.items() if k.startswith("dm_history_") for m in v)
    unread = [b for b in boxes if b["view_store_id"] != b["last_store_id"]]
    assert unread  # conversations still waiting for the team
