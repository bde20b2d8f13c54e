"""Templates per account (issue 10, item 1): the workspace's templates serve every account and only a
manager of every account changes them; a manager of one account copies one into that account and
changes the copy, which drafts on that account then prefer and no other account sees."""

from __future__ import annotations

import re

from sqlalchemy import select

from fandesk.db import transaction
from fandesk.members.service import add_member
from fandesk.members.sign_in import set_login
from fandesk.replies.models import ReplyTemplate
from tests.web.factories import PASSWORD

EDITOR = re.compile(r'<textarea name="text" id="reply-text"[^>]*>([^<]*)</textarea>')


def workspace_thanks(workspace) -> ReplyTemplate:
    with workspace.sessions() as session:
        return session.scalars(select(ReplyTemplate).where(ReplyTemplate.account_id.is_(None),
                                                           ReplyTemplate.key == "thanks",
                                                           ReplyTemplate.language == "zh")).first()


def manager_of(workspace, name, username, accounts):
    with transaction(workspace.sessions) as session:
        member = add_member(session, name=name, role="manager", accounts=accounts)
        set_login(session, member_id=member.id, password=PASSWORD, username=username, language="zh")


def test_a_manager_of_one_account_copies_a_workspace_template_instead_of_changing_it(world, browser, workspace):
    shared = workspace_thanks(workspace)
    form = {"template_id": str(shared.id), "kind": "reply", "key": "thanks", "language": "zh", "title": shared.title,
            "body": "被一个账号改掉了", "active": "1"}
    manager = browser("manager")  # brand_a only
    page = manager.get("/templates").text
    row = page.split(f'data-template="{shared.id}"')[1].split("</tr>")[0]
    assert f'href="/templates?edit={shared.id}"' not in row and f'action="/templates/{shared.id}/copy"' in row
    assert manager.post("/templates", form).status_code == 403
    assert manager.post("/templates", {**form, "template_id": "", "account": "workspace",
                                       "title": "新的共享模板"}).status_code == 403
    assert workspace_thanks(workspace).body == shared.body  # unchanged for every account
    copied = manager.post(f"/templates/{shared.id}/copy", {"account": str(world.accounts["brand_a"])})
    assert copied.status_code == 303
    copy_id = int(copied.headers["location"].split("edit=")[1])
    assert manager.post("/templates", {**form, "template_id": str(copy_id), "title": "品牌A的感谢",
                                       "body": "@{nickname} 谢谢你喜欢{account}！你最常用哪一款？"}).status_code == 303
    with workspace.sessions() as session:
        copy = session.get(ReplyTemplate, copy_id)
        assert (copy.account_id, copy.title) == (world.accounts["brand_a"], "品牌A的感谢")
    # drafts on brand_a offer the copy and the workspace's templates, and prefer the copy
    praise = world.items["praise"]
    item_page = manager.get(f"/items/{praise}").text
    assert "品牌A的感谢" in item_page and shared.title in item_page
    drafted = manager.post(f"/items/{praise}/draft", {}, htmx=True).text
    assert EDITOR.search(drafted).group(1).endswith("你最常用哪一款？")
    # another account's manager never sees brand_a's copy; a manager of every account changes the original
    manager_of(workspace, "B经理", "manager-b", ["brand_b"])
    assert "品牌A的感谢" not in browser("manager-b").get("/templates").text
    manager_of(workspace, "总经理", "boss", ["brand_a", "brand_b"])
    assert browser("boss").post("/templates", form).status_code == 303
    assert workspace_thanks(workspace).body == "被一个账号改掉了"
