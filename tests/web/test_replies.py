"""Replies: a template draft filled from the follower's record, the quality check, approval, the outbox."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from fandesk.replies.quality import check_reply
from fandesk.replies.service import edit_distance

REPLY_ID = re.compile(r'data-reply="(\d+)"')
EDITOR = re.compile(r'<textarea name="text" id="reply-text"[^>]*>([^<]*)</textarea>')


def draft(b, item_id, **data):
    page = b.post(f"/items/{item_id}/draft", data, htmx=True).text
    return int(REPLY_ID.search(page).group(1)), EDITOR.search(page).group(1), page


def test_draft_from_the_best_template_filled_from_the_follower(world, browser):
    b = browser("moderator")
    _, text, page = draft(b, world.items["question"])
    assert text.startswith("@小鹿 ") and "澄肌修护精华" in text and "这个精华敏感肌能用吗" in text
    assert "{" not in text and "？" in text
    # the blank still to fill is explained
    assert 'data-check="answers_question"' in page and "补充具体答案" in page


def test_a_late_reply_gets_an_apology_opener(world, browser):
    b = browser("manager")
    _, text, _ = draft(b, world.items["complaint"])
    assert text.startswith("@路人甲 抱歉回复晚了！")


@pytest.mark.parametrize(("text", "misses"), [
    ("@小鹿 谢谢！", {"refers_to_comment", "answers_question", "adds_value", "asks_follow_up", "not_just_thanks",
                    "length"}),
    ("感谢您的反馈，我们会继续努力。如有疑问请联系客服", {"uses_name", "no_boilerplate", "asks_follow_up", "adds_value",
                                          "refers_to_comment", "answers_question"}),
    ("@小鹿 Thanks for asking about sensitive skin! It is gentle; try a patch test first. What's your routine?",
     {"right_language", "refers_to_comment"}),
    ("@小鹿 敏感肌可以用的～这款精华无酒精无香精，建议先在耳后试用两天再上脸，有刺痛就停用。你现在用的是哪款面霜呀？", set()),
    ("@小鹿 敏感肌能用！限时优惠券快下单，建议先试用。你是什么肤质呢？", {"no_boilerplate"}),
])
def test_quality_checklist(text, misses):
    checks = check_reply(text, comment="这个精华敏感肌能用吗？", nickname="小鹿", language="zh",
                         category="product_question", is_question=True)
    assert {c.code for c in checks if not c.ok} == misses
    assert all(c.detail for c in checks if not c.ok)


def test_live_check_explains_each_miss_in_the_page_language(world, browser):
    b = browser("moderator")
    reply_id, _, _ = draft(b, world.items["question"])
    html = b.post(f"/replies/{reply_id}/check", {"text": "谢谢"}, htmx=True).text
    assert "称呼对方（小鹿）" in html and "结尾加一个问题" in html


def test_moderator_reply_needing_approval_goes_to_a_manager(workspace, world, browser):
    moderator, manager = browser("moderator"), browser("manager")
    item = world.items["complaint"]
    reply_id, text, page = draft(moderator, item)
    assert "needs-approval" in page
    edited = text.replace("[补充我们的处理：原因/补救]", "我们已经安排顾问联系你，先停用并冷敷。")
    assert moderator.post(f"/replies/{reply_id}/submit", {"text": edited}).status_code == 303
    assert "awaiting_approval" in moderator.get(f"/items/{item}").text
    assert moderator.post(f"/replies/{reply_id}/review", {"decision": "approve"}).status_code == 403
    assert str(item) in manager.get("/queue?view=awaiting").text
    assert manager.get("/outbox").text.count('class="outbox-row') == 0
    manager.post(f"/replies/{reply_id}/review", {"decision": "approve", "note": "好"})
    outbox = manager.get("/outbox").text
    assert outbox.count('class="outbox-row') == 1 and "moderator-a" in outbox and "manager-a" in outbox
    from fandesk.replies.models import Reply

    with workspace.sessions() as session:
        reply = session.get(Reply, reply_id)
        assert reply.status == "approved" and reply.edit_distance == edit_distance(reply.draft_text, edited) > 0


def test_rejected_reply_returns_to_its_author_with_the_note(world, browser):
    moderator, manager = browser("moderator"), browser("manager")
    reply_id, text, _ = draft(moderator, world.items["complaint"])
    filled = text.replace("[补充我们的处理：原因/补救]", "已经安排顾问一对一跟进，先停用")
    assert moderator.post(f"/replies/{reply_id}/submit", {"text": filled}).status_code == 303
    manager.post(f"/replies/{reply_id}/review", {"decision": "reject", "note": "语气再软一点"})
    page = moderator.get(f"/items/{world.items['complaint']}").text
    assert "语气再软一点" in page and 'id="reply-text"' in page


def test_the_manager_reviews_with_the_writers_checklist(world, browser):
    moderator, manager = browser("moderator"), browser("manager")
    reply_id, text, _ = draft(moderator, world.items["complaint"])
    filled = text.replace("[补充我们的处理：原因/补救]", "已经安排顾问一对一跟进，先停用")
    assert moderator.post(f"/replies/{reply_id}/submit", {"text": filled}).status_code == 303
    page = manager.get(f"/items/{world.items['complaint']}").text
    review = page.split('class="review"')[1].split("</form>")[0]
    assert 'id="checklist"' in review and 'data-check="uses_name"' in review and "质量检查" in page
    # edited while reviewing: checked again, the same way as for the writer
    checked = manager.post(f"/replies/{reply_id}/check", {"text": "感谢您的反馈"}, htmx=True).text
    assert 'class="miss" data-check="uses_name"' in checked


def test_a_reply_without_a_rule_goes_straight_to_the_outbox_then_posted(workspace, world, browser):
    b = browser("moderator")
    reply_id, text, _ = draft(b, world.items["question"])
    b.post(f"/replies/{reply_id}/submit", {"text": text.replace("[补充具体答案：成分/用法/适合的肤质]", "无酒精无香精")})
    exported = b.get("/outbox/export.csv")
    assert exported.status_code == 200 and "attachment" in exported.headers["content-disposition"]
    row = next(csv.DictReader(io.StringIO(exported.text.lstrip("\ufeff"))))  # columns in the reader's words
    assert row["笔记 ID"] == "n1" and row["评论 ID"].startswith("c") and "无酒精无香精" in row["我们的回复"]
    assert row["对方写的"].startswith("这个精华敏感肌能用吗") and row["笔记链接"] == "https://www.xiaohongshu.com/explore/n1"
    data = json.loads(b.get("/outbox/export.json").text)
    assert data[0]["reply_id"] == reply_id and data[0]["approver"] == "moderator-a"
    page = b.get("/outbox").text  # what they wrote beside our reply, a link to the note, a copy button
    assert "这个精华敏感肌能用吗" in page and 'href="https://www.xiaohongshu.com/explore/n1"' in page
    assert 'class="copy"' in page and "复制" in page
    done = b.post("/outbox/posted", {"reply_ids": [str(reply_id)]})
    assert "已将 1 条回复标记为已发布" in b.get(done.headers["location"]).text
    assert b.get("/outbox").text.count('class="outbox-row') == 0
    from tests.web.test_auth import status_of

    assert status_of(workspace, world.items["question"]) == "replied"


def test_a_creator_drafts_but_cannot_send(world, browser):
    creator = browser("creator")
    reply_id, _, page = draft(creator, world.items["question"])
    assert 'id="submit-reply"' not in page
    assert creator.post(f"/replies/{reply_id}/submit", {}).status_code == 403


def test_nothing_half_written_leaves_a_blank_stops_submit_and_approval(world, browser, workspace):
    moderator, manager = browser("moderator"), browser("manager")
    reply_id, text, _ = draft(moderator, world.items["complaint"])
    assert "[补充我们的处理：原因/补救]" in text
    refused = moderator.post(f"/replies/{reply_id}/submit", {"text": text})
    assert refused.status_code == 400 and "[补充我们的处理：原因/补救]" in refused.text
    # a sticker is part of the reply, not a blank
    filled = text.replace("[补充我们的处理：原因/补救]", "先停用，顾问马上私信你[哭惹R]")
    assert moderator.post(f"/replies/{reply_id}/submit", {"text": filled}).status_code == 303
    # the manager may edit while approving, but not put a blank back
    again = manager.post(f"/replies/{reply_id}/review", {"decision": "approve", "text": filled + "[补充补偿方案]"})
    assert again.status_code == 400
    assert manager.post(f"/replies/{reply_id}/review", {"decision": "approve"}).status_code == 303
    from fandesk.replies.models import Reply

    with workspace.sessions() as session:
        assert session.get(Reply, reply_id).status == "approved"


def test_csv_export_does_not_run_formulas(world, browser):
    b = browser("manager")
    formulas = {"praise": "=HYPERLINK(\"http://x\")", "complaint": "＝HYPERLINK(\"http://x\")",
                "question": "@小鹿 敏感肌可以用的～建议先在耳后试用两天。你现在用的是哪款面霜呀？"}
    ids = {}
    for item, text in formulas.items():
        ids[item], _, _ = draft(b, world.items[item])
        b.post(f"/replies/{ids[item]}/submit", {"text": text})
    exported = b.get("/outbox/export.csv").text
    cells = {row["回复编号"]: row["我们的回复"] for row in csv.DictReader(io.StringIO(exported.lstrip("\ufeff")))}
    assert cells[str(ids["praise"])] == "'=HYPERLINK(\"http://x\")"
    assert cells[str(ids["complaint"])] == "'＝HYPERLINK(\"http://x\")"  # fullwidth: Excel reads it as =
    assert cells[str(ids["question"])] == formulas["question"]  # a reply to @someone is not a formula


def test_template_library_is_edited_by_managers(world, browser):
    manager = browser("manager")
    page = manager.get("/templates").text
    assert page.count("<tr") >= 24 + 1
    manager.post("/templates", {"kind": "reply", "key": "thanks", "language": "zh", "title": "暖心感谢",
                                "body": "@{nickname} 收到{quote}好开心！建议{skin_type}继续保湿。最近皮肤怎么样？",
                                "active": "1"})
    assert "暖心感谢" in manager.get("/templates").text
    assert "暖心感谢" in browser("creator").get("/templates").text


def test_edit_distance():
    assert edit_distance("abc", "abc") == 0
    assert edit_distance("kitten", "sitting") == 3
    assert edit_distance("你好呀", "你好") == 1


def test_a_moderator_writes_a_reply_in_their_own_words(workspace, world, browser):
    b = browser("moderator")
    page = b.post(f"/items/{world.items['question']}/draft", {"source": "own"}, htmx=True).text
    editor = page.split('id="reply-text"')[1].split("</textarea>")[0]
    assert editor.endswith(">@小鹿 ") and "[补充" not in editor  # only their name: no template's words
    assert "亲自撰写" in page
    reply_id = int(page.split('data-reply="')[1].split('"')[0])
    own = "@小鹿 敏感肌可以用，建议先在耳后试用两天～你平时用什么面霜呀？"
    assert b.post(f"/replies/{reply_id}/submit", {"text": own}).status_code == 303
    assert own in b.get("/outbox").text
