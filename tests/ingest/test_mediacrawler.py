"""Importing MediaCrawler output: both generations, every container, threads, idempotency."""

from __future__ import annotations

import json
import shutil
import sqlite3

from openpyxl import Workbook

from tests.conftest import FIXTURES
from tests.ingest.helpers import BRAND_USER_ID, add_fixture_accounts, rows, scalar, snapshot


def test_classic_jsonl_notes_comments_and_threads(workspace, cli):
    add_fixture_accounts(workspace)
    result = cli("import", str(FIXTURES / "classic" / "creator_contents_2026-11-20.jsonl"),
                 str(FIXTURES / "classic" / "creator_comments_2026-11-20.jsonl"))
    assert result.exit_code == 0, result.output
    assert "comment" in result.output and "5" in result.output
    notes = rows(workspace,
                 "SELECT platform_id, liked_count, comment_count, tags, is_stub FROM note ORDER BY platform_id")
    assert notes[0][1:3] == (12000, 10)  # "1.2万" and "10+"
    assert json.loads(notes[0][3]) == ["敏感肌", "澄肌打卡挑战"]
    assert not notes[0][4]
    thread = rows(workspace, """SELECT c.platform_id, p.platform_id, r.platform_id, c.depth, c.is_ours, c.like_count
                                FROM comment c LEFT JOIN comment p ON p.id = c.parent_id
                                LEFT JOIN comment r ON r.id = c.root_id ORDER BY c.created_at""")
    root = "c0000000000000000000001a"
    assert thread[0] == (root, None, root, 0, False, 12)
    assert thread[1][:5] == ("c0000000000000000000002b", root, root, 1, True)  # the brand's own reply
    assert thread[2][:4] == ("c0000000000000000000003c", "c0000000000000000000002b", root, 2)
    assert thread[3][5] == 10000  # "1万"
    # Picture-only comment: empty text kept, pictures listed
    assert rows(workspace, "SELECT text, pictures FROM comment WHERE platform_id = 'c0000000000000000000005e'") == [
        ("", '["https://sns-img/c5a.jpg","https://sns-img/c5b.jpg"]')]
    # Raw record kept whole
    raw = json.loads(scalar(workspace, "SELECT raw FROM comment WHERE platform_id = 'c0000000000000000000004d'"))
    assert raw["like_count"] == "1万" and raw["content"] == "用了一周烂脸了，避雷🙄"
    # People: our own account's replies are not interactions of a follower
    kinds = rows(workspace, "SELECT kind, count(*) FROM interaction GROUP BY kind ORDER BY kind")
    assert kinds == [("commented", 3), ("replied", 1)]
    assert scalar(workspace, "SELECT count(*) FROM person WHERE platform_user_id = :u", u=BRAND_USER_ID) == 1


def test_import_twice_changes_nothing(workspace, cli):
    add_fixture_accounts(workspace)
    files = [str(FIXTURES / "classic"), str(FIXTURES / "api")]
    assert cli("import", *files, "--account", "chengji_lab").exit_code == 0
    before = snapshot(workspace)
    again = cli("import", *files, "--account", "chengji_lab")
    assert again.exit_code == 0
    assert snapshot(workspace) == before
    lines = [line for line in again.output.splitlines() if "comment" in line]
    assert lines and all("│   0 │" in line or "│ 0 " in line for line in lines[:1]), again.output


def test_recrawl_updates_counts_and_edits_latest_wins(workspace, cli, tmp_path):
    add_fixture_accounts(workspace)
    source = FIXTURES / "classic" / "creator_comments_2026-11-20.jsonl"
    assert cli("import", str(source), "--account", "chengji_lab").exit_code == 0
    records = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines()]
    newer = dict(records[0], like_count="1.5万", content="求链接！！敏感肌能用吗[哭惹R] 已解决谢谢",
                 last_modify_ts=1763700000000)
    older = dict(records[3], like_count="3", last_modify_ts=1763500000000)
    recrawl = tmp_path / "detail_comments_2026-11-21.jsonl"
    recrawl.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in (newer, older)) + "\n", encoding="utf-8")
    result = cli("import", str(recrawl), "--account", "chengji_lab")
    assert result.exit_code == 0, result.output
    changed = rows(workspace, "SELECT like_count, text FROM comment WHERE platform_id = :p", p=records[0]["comment_id"])
    assert changed == [(15000, "求链接！！敏感肌能用吗[哭惹R] 已解决谢谢")]
    # an older crawl does not overwrite a newer one
    kept = scalar(workspace, "SELECT like_count FROM comment WHERE platform_id = :p", p=records[3]["comment_id"])
    assert kept == 10000
    assert scalar(workspace, "SELECT count(*) FROM comment") == 5
    assert scalar(workspace, "SELECT count(*) FROM interaction") == 4


def test_reply_before_parent_is_linked_when_parent_arrives(workspace, cli, tmp_path):
    add_fixture_accounts(workspace)
    records = [json.loads(line) for line in
               (FIXTURES / "classic" / "creator_comments_2026-11-20.jsonl").read_text(encoding="utf-8").splitlines()]
    replies, parents = tmp_path / "replies.jsonl", tmp_path / "parents.jsonl"
    # the reply-to-reply and the reply come first, in reverse order; the top-level comment later
    replies.write_text("\n".join(json.dumps(r) for r in (records[2], records[1])), encoding="utf-8")
    parents.write_text(json.dumps(records[0]), encoding="utf-8")
    assert cli("import", str(replies), "--account", "chengji_lab").exit_code == 0
    assert rows(workspace, "SELECT count(*), count(root_id) FROM comment") == [(2, 0)]
    assert cli("import", str(parents), "--account", "chengji_lab").exit_code == 0
    linked = rows(workspace, """SELECT c.platform_id, p.platform_id, c.depth FROM comment c
                                LEFT JOIN comment p ON p.id = c.parent_id ORDER BY c.depth""")
    assert linked == [("c0000000000000000000001a", None, 0),
                      ("c0000000000000000000002b", "c0000000000000000000001a", 1),
                      ("c0000000000000000000003c", "c0000000000000000000002b", 2)]


def test_missing_parent_leaves_thread_open(workspace, cli, tmp_path):
    add_fixture_accounts(workspace)
    orphan = {"comment_id": "orphan1", "create_time": 1763001000000, "note_id": "6650a1b2c3d4e5f600000001",
              "content": "同问", "user_id": "u9", "nickname": "路人甲", "parent_comment_id": "never-imported",
              "like_count": 0}
    path = tmp_path / "orphan.jsonl"
    path.write_text(json.dumps(orphan, ensure_ascii=False), encoding="utf-8")
    assert cli("import", str(path), "--account", "chengji_lab").exit_code == 0
    assert rows(workspace, "SELECT parent_platform_id, parent_id, root_id, depth FROM comment") == [
        ("never-imported", None, None, None)]
    # the comment's note was not imported: a stub waits for it, then the real note fills it
    assert rows(workspace, "SELECT is_stub FROM note") == [(True,)]
    assert cli("import", str(FIXTURES / "classic" / "creator_contents_2026-11-20.jsonl")).exit_code == 0
    assert scalar(workspace, "SELECT count(*) FROM note WHERE is_stub = :f", f=False) == 2


def test_teaching_edition_links_people_by_creator_hash(workspace, cli):
    add_fixture_accounts(workspace)
    result = cli("import", str(FIXTURES / "teaching"))
    assert result.exit_code == 0, result.output
    # the notes belong to the creator account, found by its creator_hash
    assert rows(workspace, "SELECT a.handle FROM note n JOIN account a ON a.id = n.account_id") == [("xiaomei",)]
    people = rows(workspace, "SELECT person_key, nickname, nickname_masked FROM person ORDER BY person_key")
    assert ("hash:a1b2c3d4e5f60718", "桃***桃", True) in people
    assert scalar(workspace, "SELECT count(*) FROM comment c JOIN person p ON p.id = c.person_id "
                             "WHERE p.person_key = 'hash:a1b2c3d4e5f60718'") == 2
    ours = rows(workspace, "SELECT platform_id FROM comment WHERE is_ours = :t", t=True)
    assert ours == [("t0000000000000000000002b",)]
    assert scalar(workspace, "SELECT max(depth) FROM comment") == 2


def test_masked_nickname_never_replaces_a_real_one(workspace, cli, tmp_path):
    add_fixture_accounts(workspace)
    base = {"note_id": "6650a1b2c3d4e5f600000001", "content": "好用", "like_count": 0, "parent_comment_id": 0,
            "user_id": "u77"}
    lines = [dict(base, comment_id="x1", create_time=1763001000000, nickname="奶茶三分糖"),
             dict(base, comment_id="x2", create_time=1763002000000, nickname="奶茶全糖"),
             dict(base, comment_id="x3", create_time=1763003000000, nickname="奶***糖")]
    path = tmp_path / "nick.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in lines), encoding="utf-8")
    assert cli("import", str(path), "--account", "chengji_lab").exit_code == 0
    assert scalar(workspace, "SELECT nickname FROM person WHERE person_key = 'uid:u77'") == "奶茶全糖"
    history = rows(workspace, "SELECT n.nickname FROM nickname_change n JOIN person p ON p.id = n.person_id "
                              "WHERE p.person_key = 'uid:u77' ORDER BY n.seen_at")
    assert history == [("奶茶三分糖",), ("奶茶全糖",)]


def test_csv_utf8_bom_mixed_count_types(workspace, cli):
    add_fixture_accounts(workspace)
    result = cli("import", str(FIXTURES / "classic" / "search_comments_2026-11-20.csv"), "--account", "chengji_lab")
    assert result.exit_code == 0, result.output
    assert rows(workspace, "SELECT text, like_count FROM comment ORDER BY created_at") == [
        ("发货太慢了，等了一周，客服也不理人", 2), ("yyds！！回购第三瓶了 [赞R][赞R]", 15)]


def _mediacrawler_rows():
    notes = [json.loads(line) for line in
             (FIXTURES / "classic" / "creator_contents_2026-11-20.jsonl").read_text(encoding="utf-8").splitlines()]
    comments = [json.loads(line) for line in
                (FIXTURES / "classic" / "creator_comments_2026-11-20.jsonl").read_text(encoding="utf-8").splitlines()]
    return notes, comments


def test_mediacrawler_sqlite_tables(workspace, cli, tmp_path):
    add_fixture_accounts(workspace)
    notes, comments = _mediacrawler_rows()
    path = tmp_path / "sqlite_tables.db"
    with sqlite3.connect(path) as conn:
        for table, records in (("xhs_note", notes), ("xhs_note_comment", comments)):
            columns = list(records[0])
            conn.execute(f"CREATE TABLE {table} (id INTEGER PRIMARY KEY, {', '.join(columns)})")
            for r in records:
                values = [json.dumps(v, ensure_ascii=False) if k in ("image_list", "tag_list") else
                          ("0" if k == "parent_comment_id" and v == 0 else v) for k, v in r.items()]
                conn.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                             values)
    result = cli("import", str(path))
    assert result.exit_code == 0, result.output
    assert scalar(workspace, "SELECT count(*) FROM comment WHERE root_id IS NOT NULL") == 5
    # tag_list stored through json.dumps (a quoted JSON string) still reads as a list
    assert json.loads(scalar(workspace, "SELECT tags FROM note WHERE platform_id = '6650a1b2c3d4e5f600000001'")) == [
        "敏感肌", "澄肌打卡挑战"]


def test_mediacrawler_excel_workbook(workspace, cli, tmp_path):
    add_fixture_accounts(workspace)
    notes, comments = _mediacrawler_rows()
    book = Workbook()
    book.remove(book.active)
    for title, records in (("Contents", notes), ("Comments", comments)):
        sheet = book.create_sheet(title)
        sheet.append(list(records[0]))
        for r in records:
            sheet.append(list(r.values()))
    path = tmp_path / "xhs_creator_20261120_101010.xlsx"
    book.save(path)
    result = cli("import", str(path))
    assert result.exit_code == 0, result.output
    assert scalar(workspace, "SELECT count(*) FROM comment") == 5
    assert scalar(workspace, "SELECT count(*) FROM note WHERE is_stub = :f", f=False) == 2


def test_whole_data_folder(workspace, cli, tmp_path):
    add_fixture_accounts(workspace)
    data = tmp_path / "data" / "xhs"
    shutil.copytree(FIXTURES / "classic", data / "jsonl")
    result = cli("import", str(tmp_path / "data"), "--account", "chengji_lab")
    assert result.exit_code == 0, result.output
    assert scalar(workspace, "SELECT count(*) FROM comment") == 7
    # notes came first, so no comment waited on a stub
    assert scalar(workspace, "SELECT count(*) FROM note WHERE is_stub = :t", t=True) == 0


def test_creator_records_fill_the_profile_of_people_we_know(workspace, cli, tmp_path):
    add_fixture_accounts(workspace)
    assert cli("import", str(FIXTURES / "classic" / "creator_comments_2026-11-20.jsonl"),
               "--account", "chengji_lab", "--no-triage").exit_code == 0
    creators = tmp_path / "creator_creator_2026-11-20.json"
    creators.write_text(json.dumps([{"user_id": "60aa00000000000000000001", "nickname": "桃桃不吃桃",
                                     "gender": "Female", "avatar": "https://sns-avatar/1.jpg",
                                     "desc": "敏感肌｜成分党🧪", "ip_location": "广东", "follows": "120",
                                     "fans": "1.1万", "interaction": "3.4万",
                                     "tag_list": "{\"profession\": \"学生\"}", "last_modify_ts": 1763600000000}],
                                   ensure_ascii=False), encoding="utf-8")
    result = cli("import", str(creators), "--account", "chengji_lab", "--no-triage")
    assert result.exit_code == 0, result.output
    assert rows(workspace, "SELECT gender, bio, follower_count FROM person WHERE person_key = "
                           "'uid:60aa00000000000000000001'") == [("Female", "敏感肌｜成分党🧪", 11000)]
    assert scalar(workspace, "SELECT count(*) FROM person") == 4
