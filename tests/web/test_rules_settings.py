"""Triage rules in Settings, per account (issue 10, item 1): a manager reads and changes the rules of
the accounts they manage and nothing else; the workspace-wide rules belong to managers of every
account; a save never drops or alters rules its author cannot see."""

from __future__ import annotations

import html
import json
import re

import pytest
from sqlalchemy import select

from fandesk.audit.models import AuditEvent
from fandesk.db import transaction
from fandesk.inbox.rule_scopes import load_rules, save_rules
from fandesk.members.service import add_member
from fandesk.members.sign_in import set_login
from tests.web.factories import PASSWORD

TEXTAREA = r'<textarea name="text"[^>]*data-scope="{scope}"[^>]*>(.*?)</textarea>'

BRAND_B_RULES = """[[rule]]
name = "B 的法律词升级"
kind = "escalate"
words = ["律师", "起诉"]

[[rule]]
name = "B 的引流隐藏"
kind = "auto_hide_spam"
"""
WORKSPACE_RULES = """[[rule]]
name = "全体：过敏要紧急"
kind = "keyword_alert"
words = ["过敏"]
tier = "urgent"
"""
MINE = """[[rule]]
name = "A 的售后暗号"
kind = "keyword_alert"
words = ["退货", "[哭惹R]", "😭"]
tier = "important"
"""


def textarea(page: str, scope) -> str | None:
    found = re.search(TEXTAREA.format(scope=scope), page, re.S)
    return html.unescape(found.group(1)) if found else None


def events(workspace, action="settings.rules"):
    with workspace.sessions() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


@pytest.fixture
def boss(workspace, world):
    """A manager of every account."""
    with transaction(workspace.sessions) as session:
        member = add_member(session, name="总经理", role="manager", accounts=["brand_a", "brand_b"])
        set_login(session, member_id=member.id, password=PASSWORD, username="boss", language="zh")
    return member.id


def brand_b_and_workspace_rules(workspace, world, boss):
    everything = list(world.accounts.values())
    with transaction(workspace.sessions) as session:
        folder = workspace.settings.workspace
        save_rules(session, workspace=folder, account_id=world.accounts["brand_b"], account_ids=everything,
                   member_id=boss, text=BRAND_B_RULES)
        save_rules(session, workspace=folder, account_id=None, account_ids=everything, member_id=boss,
                   text=WORKSPACE_RULES)


def rules_for(workspace, handle, kind):
    with transaction(workspace.sessions) as session:
        return [r.name for r in load_rules(session, workspace=workspace.settings.workspace).of_kind(kind, handle)]


def test_a_manager_of_one_account_cannot_see_or_change_another_accounts_rules(world, browser, workspace, boss):
    brand_b_and_workspace_rules(workspace, world, boss)
    a, b = world.accounts["brand_a"], world.accounts["brand_b"]
    manager = browser("manager")  # manages brand_a only
    page = manager.get("/settings/rules").text
    assert textarea(page, a) is not None and textarea(page, b) is None and textarea(page, "workspace") is None
    assert "B 的法律词升级" not in page and "B 的引流隐藏" not in page and "Brand B" not in page
    assert "全体：过敏要紧急" in page.split('id="shared-rules"')[1]  # named: it applies to brand_a too
    # the save: a rule aimed at the other account, from the one account this manager has
    aimed = '[[rule]]\nname = "x"\nkind = "auto_hide_spam"\naccounts = ["brand_b"]\n'
    refused = manager.post(f"/settings/rules/{a}", {"text": aimed}, htmx=True)
    assert refused.status_code == 400 and "field &#39;accounts&#39;" in refused.text
    assert manager.post(f"/settings/rules/{b}", {"text": aimed}).status_code == 404
    assert manager.post("/settings/rules/workspace", {"text": aimed}).status_code == 403
    saved = manager.post(f"/settings/rules/{a}", {"text": MINE}, htmx=True)
    assert saved.status_code == 200 and 'id="saved"' in saved.text, saved.text[-2000:]
    assert textarea(saved.text, a) == MINE
    # brand_b's rules and the workspace-wide ones are exactly as they were; the new rule is brand_a's only
    assert rules_for(workspace, "brand_b", "escalate") == ["B 的法律词升级"]
    assert rules_for(workspace, "brand_b", "auto_hide_spam") == ["B 的引流隐藏"]
    assert rules_for(workspace, "brand_b", "keyword_alert") == ["全体：过敏要紧急"]
    assert rules_for(workspace, "brand_a", "keyword_alert") == ["A 的售后暗号", "全体：过敏要紧急"]
    assert rules_for(workspace, "brand_a", "escalate") == []
    everything_b = textarea(browser("boss").get("/settings/rules").text, b)
    assert everything_b == BRAND_B_RULES
    event = events(workspace)[-1]
    assert (event.account_id, event.member_id, json.loads(event.after)) == (a, world.members["manager"], MINE)


def test_the_workspace_wide_rules_belong_to_managers_of_every_account(world, browser, workspace, boss):
    b = browser("boss")
    page = b.get("/settings/rules").text
    assert "轮流分配待办" in textarea(page, "workspace")  # the defaults until someone changes them
    assert textarea(page, world.accounts["brand_b"]) is not None and "还没有在网页中修改过" in page
    saved = b.post("/settings/rules/workspace", {"text": WORKSPACE_RULES, "version": "1"}, htmx=True)
    assert saved.status_code == 200 and 'id="saved"' in saved.text
    assert "总经理" in saved.text.split('id="rules-changed-workspace"')[1][:300]
    assert rules_for(workspace, "brand_a", "keyword_alert") == ["全体：过敏要紧急"]
    [event] = events(workspace)
    assert event.account_id is None and json.loads(event.after) == WORKSPACE_RULES


@pytest.mark.parametrize(("text", "message"), [
    ('[[rule]]\nname = "少了类型"\n', "rules of brand_a: rule 1 (&#39;少了类型&#39;), field &#39;kind&#39;"),
    ('[[rule]]\nname = "词"\nkind = "keyword_alert"\nwords = ["yyds"]\ntier = "超急"\n',
     "rules of brand_a: rule 1 (&#39;词&#39;), field &#39;tier&#39;"),
    ('[[rule]\nname = "括号"\n', "rules of brand_a: not valid TOML"),
])
def test_bad_rules_keep_the_text_typed_and_the_saved_rules(text, message, world, browser, workspace):
    a = world.accounts["brand_a"]
    b = browser("manager")
    b.post(f"/settings/rules/{a}", {"text": MINE})
    response = b.post(f"/settings/rules/{a}", {"text": text}, htmx=True)
    assert response.status_code == 400 and 'id="rules-error"' in response.text
    assert message in response.text, response.text[-3000:]
    assert textarea(response.text, a) == text
    assert rules_for(workspace, "brand_a", "keyword_alert")[0] == "A 的售后暗号"
    assert len(events(workspace)) == 1


def test_a_save_from_a_page_older_than_someone_elses_save_is_refused_and_says_who(world, browser, workspace):
    a = world.accounts["brand_a"]
    with transaction(workspace.sessions) as session:
        other = add_member(session, name="经理B", role="manager", accounts=["brand_a"])
        set_login(session, member_id=other.id, password=PASSWORD, username="manager-b", language="zh")
    first, second = browser("manager"), browser("manager-b")
    seen = re.search(r'name="version" value="(\d+)"', first.get("/settings/rules").text).group(1)
    assert second.post(f"/settings/rules/{a}", {"text": MINE, "version": seen}).status_code == 303
    late = first.post(f"/settings/rules/{a}", {"text": MINE.replace("退货", "换货"), "version": seen}, htmx=True)
    assert late.status_code == 409 and "经理B" in late.text.split('id="rules-error"')[1][:400]
    assert "换货" in textarea(late.text, a)  # what they typed is still there
    with transaction(workspace.sessions) as session:
        mine = load_rules(session, workspace=workspace.settings.workspace).of_kind("keyword_alert", "brand_a")[0]
    assert mine.words == ("退货", "[哭惹R]", "😭")
    assert len(events(workspace)) == 1
