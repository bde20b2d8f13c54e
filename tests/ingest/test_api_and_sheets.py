"""Raw web API payloads (with and without the envelope) and spreadsheets with a column mapping."""

from __future__ import annotations

import json

from tests.conftest import FIXTURES
from tests.ingest.helpers import add_fixture_accounts, rows, scalar


def test_comment_pages_with_sub_comments_and_sub_comment_page(workspace, cli):
    add_fixture_accounts(workspace)
    result = cli("import", str(FIXTURES / "api" / "comments_page_1.json"),
                 str(FIXTURES / "api" / "sub_comments_a0000000000000000000a001.json"), "--account", "chengji_lab")
    assert result.exit_code == 0, result.output
    thread = rows(workspace, """SELECT c.platform_id, p.platform_id, c.depth, c.is_ours, c.platform_status
                                FROM comment c LEFT JOIN comment p ON p.id = c.parent_id ORDER BY c.created_at""")
    assert thread == [
        ("a0000000000000000000a001", None, 0, False, 0),
        ("a0000000000000000000a002", "a0000000000000000000a001", 1, True, 0),  # show_tags is_author
        ("a0000000000000000000a003", None, 0, False, -2),  # spam reply status kept
        ("a0000000000000000000a004", "a0000000000000000000a002", 2, False, 0),  # target_comment chain
    ]
    assert scalar(workspace, "SELECT nickname FROM person WHERE platform_user_id = '60aa00000000000000000004'") == \
        "油皮本油🫠"


def test_all_comments_of_a_note_as_the_sdk_returns_them(workspace, cli):
    """get_note_all_comments: one flat list (no envelope, no data), each top comment still holding its
    first replies, which the list then holds again on their own, followed by the sub-comment pages."""
    add_fixture_accounts(workspace)
    path = FIXTURES / "api" / "all_comments_6650a1b2c3d4e5f600000002.json"
    result = cli("import", str(path), "--account", "chengji_lab")
    assert result.exit_code == 0, result.output
    thread = rows(workspace, """SELECT c.platform_id, p.platform_id, c.depth, c.is_ours, c.like_count
                                FROM comment c LEFT JOIN comment p ON p.id = c.parent_id ORDER BY c.created_at""")
    assert thread == [
        ("a0000000000000000000b001", None, 0, False, 7),
        ("a0000000000000000000b002", "a0000000000000000000b001", 1, True, 1),  # straight to the top comment
        ("a0000000000000000000b003", "a0000000000000000000b001", 1, False, 0),
        ("a0000000000000000000b004", "a0000000000000000000b002", 2, False, 0),  # from a sub-comment page
        ("a0000000000000000000b005", None, 0, False, 2),
    ]
    assert scalar(workspace, "SELECT count(*) FROM interaction") == 4
    again = cli("import", str(path), "--account", "chengji_lab")
    row = next(line for line in again.output.splitlines() if "comment" in line)
    assert [cell.strip() for cell in row.split("│")[2:6]] == ["0", "0", "5", "0"]


def test_sub_comment_page_replies_straight_to_the_top_comment(workspace, cli, tmp_path):
    """get_note_sub_comments: a reply to the page's root names the root itself in target_comment."""
    add_fixture_accounts(workspace)
    assert cli("import", str(FIXTURES / "api" / "comments_page_1.json"), "--account", "chengji_lab").exit_code == 0
    top = "a0000000000000000000a001"
    reply = {"note_id": "6650a1b2c3d4e5f600000002", "user_info": {"user_id": "60aa00000000000000000009",
                                                                  "nickname": "川妹子吃辣"},
             "like_count": "0", "status": 0, "show_tags": [], "at_users": []}
    page = {"cursor": "", "has_more": False, "time": 1763300000000, "user_id": "5f1a2b3c4d5e6f7a8b9c0d1e",
            "comments": [dict(reply, id="a0000000000000000000a005", content="我也想知道", create_time=1763114000000,
                              target_comment={"id": top, "user_info": {"user_id": "60aa00000000000000000004"}}),
                         dict(reply, id="a0000000000000000000a006", content="+1", create_time=1763115000000,
                              target_comment={"id": "a0000000000000000000a005",
                                              "user_info": {"user_id": "60aa00000000000000000009"}})]}
    path = tmp_path / f"sub_comments_{top}_2.json"
    path.write_text(json.dumps({"code": 0, "success": True, "msg": "成功", "data": page}, ensure_ascii=False),
                    encoding="utf-8")
    result = cli("import", str(path), "--account", "chengji_lab")
    assert result.exit_code == 0, result.output
    assert rows(workspace, """SELECT c.platform_id, p.platform_id, r.platform_id, c.depth FROM comment c
                              JOIN comment p ON p.id = c.parent_id JOIN comment r ON r.id = c.root_id
                              WHERE c.platform_id IN ('a0000000000000000000a005', 'a0000000000000000000a006')
                              ORDER BY c.platform_id""") == [
        ("a0000000000000000000a005", top, top, 1), ("a0000000000000000000a006", "a0000000000000000000a005", top, 2)]


def test_mentions_use_seconds(workspace, cli):
    add_fixture_accounts(workspace)
    result = cli("import", str(FIXTURES / "api" / "mentions_1.json"), "--account", "chengji_lab")
    assert result.exit_code == 0, result.output
    mentions = rows(workspace, "SELECT platform_id, kind, text, target_comment_platform_id, created_at FROM mention "
                               "ORDER BY platform_id")
    assert mentions[0][:3] == ("m0000000000000000000001", "mention/comment", "@澄肌实验室 你们家这个到底适不适合孕妇用？")
    assert str(mentions[0][4]).startswith("2025-11-14")  # 1763120000 s
    assert mentions[1][3] == "c0000000000000000000002b"
    assert scalar(workspace, "SELECT count(*) FROM interaction WHERE kind = 'mentioned'") == 2


def test_direct_messages(workspace, cli):
    add_fixture_accounts(workspace)
    result = cli("import", str(FIXTURES / "api" / "dm_conversations.json"),
                 str(FIXTURES / "api" / "dm_history_60aa00000000000000000001.json"), "--account", "chengji_lab")
    assert result.exit_code == 0, result.output
    assert scalar(workspace, "SELECT count(*) FROM dm_conversation") == 2
    messages = rows(workspace, """SELECT m.text, m.is_ours, p.platform_user_id FROM dm_message m
                                  JOIN dm_conversation c ON c.id = m.conversation_id
                                  JOIN person p ON p.id = c.person_id ORDER BY m.created_at""")
    assert messages == [("你好，我上周买的精华", False, "60aa00000000000000000001"),
                        ("快递三天了还没到😭", False, "60aa00000000000000000001"),
                        ("亲亲抱歉！我马上帮你查物流", True, "60aa00000000000000000001")]
    assert scalar(workspace, "SELECT count(*) FROM interaction WHERE kind = 'messaged'") == 2
    assert scalar(workspace, "SELECT label FROM dm_conversation c JOIN person p ON p.id = c.person_id "
                             "WHERE p.platform_user_id = '60aa00000000000000000001'") == "老客"


def test_gbk_follower_sheet_with_mapping_and_custom_fields(workspace, cli):
    add_fixture_accounts(workspace)
    assert cli("import", str(FIXTURES / "classic" / "search_comments_2026-11-20.csv"),
               "--account", "chengji_lab").exit_code == 0
    result = cli("import", str(FIXTURES / "sheets" / "followers_gbk.csv"), "--account", "chengji_lab",
                 "--format", "followers",
                 "--map", "user_id=用户ID,nickname=昵称,followed_at=关注时间,custom.skin_type=肤质,custom.concerns=关注问题")
    assert result.exit_code == 0, result.output
    fields = rows(workspace, """SELECT p.nickname, f.name, f.value FROM person_field f JOIN person p ON p.id = f.person_id
                                ORDER BY p.nickname, f.name""")
    assert ("桃桃不吃桃", "skin_type", "敏感肌") in fields
    assert ("桃桃不吃桃", "concerns", "泛红,换季过敏") in fields
    # a row without a user id is matched by its unique nickname to the commenter we already know
    assert scalar(workspace, "SELECT count(*) FROM person WHERE nickname = '川妹子吃辣'") == 1
    assert ("川妹子吃辣", "skin_type", "油皮") in fields
    assert scalar(workspace, "SELECT count(*) FROM interaction WHERE kind = 'followed'") == 3


def test_purchases_sheet_amounts_and_idempotency(workspace, cli):
    add_fixture_accounts(workspace)
    args = ("import", str(FIXTURES / "sheets" / "purchases.csv"), "--account", "chengji_lab", "--format", "purchases",
            "--map", "order_id=订单号,user_id=用户ID,nickname=昵称,product=商品,amount=金额,purchased_at=下单时间")
    assert cli(*args).exit_code == 0
    assert cli(*args).exit_code == 0
    amounts = rows(workspace, "SELECT order_ref, amount FROM purchase ORDER BY order_ref")
    assert [(o, float(a)) for o, a in amounts] == [("SO20261101001", 199.0), ("SO20261102002", 398.0),
                                                   ("SO20261103003", 89.0)]
    assert scalar(workspace, "SELECT count(*) FROM interaction WHERE kind = 'purchased'") == 3
    # purchase time is read in the account's zone (Asia/Shanghai): 20:15 local is 12:15 UTC
    assert str(scalar(workspace, "SELECT purchased_at FROM purchase WHERE order_ref = 'SO20261101001'")).startswith(
        "2026-11-01 12:15")


def test_sheet_mapping_errors_name_the_columns(workspace, cli):
    add_fixture_accounts(workspace)
    result = cli("import", str(FIXTURES / "sheets" / "purchases.csv"), "--account", "chengji_lab",
                 "--format", "purchases", "--map", "user_id=买家")
    assert result.exit_code == 2
    assert "买家" in result.output and "订单号" in result.output
    plain = cli("import", str(FIXTURES / "sheets" / "purchases.csv"), "--account", "chengji_lab")
    assert plain.exit_code == 2 and "--format" in plain.output


def test_dm_to_us_without_sender_is_from_the_follower_the_file_names(workspace, cli, tmp_path):
    add_fixture_accounts(workspace)
    history = tmp_path / "dm_history_60aa00000000000000000042.json"
    history.write_text(json.dumps([
        {"created_at": 1763129000000, "content": "请问敏感肌可以用吗", "message_type": "TEXT", "store_id": 1,
         "receiver_id": "5f1a2b3c4d5e6f7a8b9c0d1e"},
        {"created_at": 1763129500000, "content": "可以的，建议先局部试用～", "message_type": "TEXT", "store_id": 2,
         "receiver_id": "60aa00000000000000000042"}], ensure_ascii=False), encoding="utf-8")
    result = cli("import", str(history), "--account", "chengji_lab")
    assert result.exit_code == 0, result.output
    assert rows(workspace, """SELECT m.is_ours, p.platform_user_id FROM dm_message m
                              JOIN dm_conversation c ON c.id = m.conversation_id JOIN person p ON p.id = c.person_id
                              ORDER BY m.created_at""") == [(False, "60aa00000000000000000042"),
                                                            (True, "60aa00000000000000000042")]


def test_follower_sheet_twice_is_unchanged(workspace, cli):
    add_fixture_accounts(workspace)
    args = ("import", str(FIXTURES / "sheets" / "followers_gbk.csv"), "--account", "chengji_lab", "--format",
            "followers", "--map", "user_id=用户ID,nickname=昵称,followed_at=关注时间,custom.skin_type=肤质", "--no-triage")
    first = cli(*args)
    again = cli(*args)
    assert first.exit_code == 0 and again.exit_code == 0
    row = next(line for line in again.output.splitlines() if "follower" in line)
    assert [cell.strip() for cell in row.split("│")[2:6]] == ["0", "0", "3", "0"]
