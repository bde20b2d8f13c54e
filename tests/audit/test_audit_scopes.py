"""The audit log shows each person only their accounts' changes (issue 10, item 1): a change records
every account it concerns, and a manager sees it only when they run all of them; a change that
concerns no account (the workspace-wide rules, say) only a manager of every account sees."""

from __future__ import annotations

from fandesk.audit.service import record
from fandesk.db import transaction
from fandesk.members.service import add_member
from fandesk.members.sign_in import set_login
from tests.web.factories import PASSWORD


def table(page: str) -> str:
    return page.split('<table class="audit">')[1]


def test_each_manager_sees_only_the_changes_of_accounts_they_run(world, browser, workspace, cli):
    a, b = world.accounts["brand_a"], world.accounts["brand_b"]
    with transaction(workspace.sessions) as session:
        boss = add_member(session, name="总经理", role="manager", accounts=["brand_a", "brand_b"])
        set_login(session, member_id=boss.id, password=PASSWORD, username="boss", language="zh")
        record(session, member_id=None, action="settings.rules", object_type="rules", object_id=None,
               after="workspace-wide secret rule")
    boss_browser = browser("boss")
    for name, accounts in (("只在B的人", [b]), ("两边都在的人", [a, b]), ("只在A的人", [a])):
        added = boss_browser.post("/settings/users", {"name": name, "username": f"u{len(name)}{accounts[0]}",
                                                      "password": PASSWORD, "role": "moderator",
                                                      "accounts": [str(x) for x in accounts]})
        assert added.status_code == 303, added.text[-1000:]
    # the command line's `user add` records the accounts too (it used to record none: shown to everyone)
    assert cli("user", "add", "命令行加的B", "--role", "viewer", "--account", "brand_b",
               "--password", PASSWORD).exit_code == 0
    mine = table(browser("manager").get("/audit?action=member.add").text)  # runs brand_a only
    assert "只在A的人" in mine
    for hidden in ("只在B的人", "两边都在的人", "命令行加的B"):
        assert hidden not in mine, hidden
    assert "workspace-wide secret rule" not in table(browser("manager").get("/audit").text)
    everything = table(boss_browser.get("/audit").text)
    for shown in ("只在B的人", "两边都在的人", "只在A的人", "命令行加的B", "workspace-wide secret rule"):
        assert shown in everything, shown
