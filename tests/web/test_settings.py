"""Settings in the web app: users, accounts, out-of-office, approval rules and triage rules, for managers
only, each manager on their own accounts only, every change in the audit log."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from fandesk.audit.models import AuditEvent
from fandesk.members.models import AccountMember, Member
from tests.web.factories import PASSWORD, now

NEW_PASSWORD = "新的密码-2026!"
EDITOR = re.compile(r'<textarea name="text" id="reply-text"[^>]*>([^<]*)</textarea>')


def events(workspace, action):
    with workspace.sessions() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.action == action).order_by(AuditEvent.id)))


def member_named(workspace, name):
    with workspace.sessions() as session:
        return session.scalars(select(Member).where(Member.name == name)).first()


def accounts_of(workspace, member_id):
    with workspace.sessions() as session:
        return set(session.scalars(select(AccountMember.account_id).where(AccountMember.member_id == member_id)))


def get_routes(world):
    a = world.accounts["brand_a"]
    return [("manage_settings", "/settings"), ("manage_users", "/settings/users"),
            ("manage_users", f"/settings/users/{world.members['moderator']}"),
            ("manage_settings", "/settings/accounts"), ("manage_settings", f"/settings/accounts/{a}"),
            ("manage_rules", "/settings/approval"), ("manage_rules", "/settings/rules")]


def post_routes(world):
    a, moderator = world.accounts["brand_a"], world.members["moderator"]
    return [
        ("/settings/users", {"name": "阿珍", "username": "azhen", "password": PASSWORD, "role": "moderator",
                             "accounts": [str(a)], "on_duty": "1"}),
        (f"/settings/users/{moderator}", {"role": "viewer", "accounts": [str(a)]}),
        (f"/settings/users/{moderator}/password", {"password": NEW_PASSWORD}),
        (f"/settings/users/{moderator}/active", {"active": "0"}),
        (f"/settings/accounts/{a}", {"name": "改名了", "time_zone": "Asia/Tokyo", "hours": "mon-fri 09:00-18:00"}),
        (f"/settings/accounts/{a}/out-of-office", {"enabled": "1", "text_zh": "放假啦"}),
        (f"/settings/approval/{a}", {"sentiments": ["negative"]}),
        (f"/settings/rules/{a}", {"text": '[[rule]]\nname = "x"\nkind = "auto_hide_spam"\n'}),
        ("/settings/rules/workspace", {"text": '[[rule]]\nname = "x"\nkind = "auto_hide_spam"\n'}),
    ]


# -- who may ----------------------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["moderator", "creator", "viewer"])
def test_only_managers_reach_settings(role, world, browser, workspace):
    b = browser(role)
    assert 'id="nav-settings"' not in b.get("/queue").text
    for _, url in get_routes(world):
        assert b.get(url).status_code == 403, url
    for url, data in post_routes(world):
        assert b.post(url, data).status_code == 403, url
    assert events(workspace, "member.add") == [] and member_named(workspace, "阿珍") is None
    assert events(workspace, "settings.rules") == []


def test_a_manager_reaches_every_settings_page_in_both_languages(world, browser):
    b = browser("manager")
    assert 'href="/settings" id="nav-settings"' in b.get("/queue").text
    index = b.get("/settings").text
    assert 'href="/settings/fields"' in index and "自定义字段" in index
    for lang in ("zh", "en"):
        b.post("/language", {"lang": lang})
        for _, url in get_routes(world):
            page = b.get(url)
            assert page.status_code == 200, (lang, url)
    assert "Custom fields" in b.get("/settings").text


def test_a_manager_changes_only_their_own_accounts(world, browser, workspace):
    """brand_b and its moderator are someone else's: not found, not even listed."""
    b = browser("manager")
    other, stranger = world.accounts["brand_b"], world.members["stranger"]
    for url in (f"/settings/accounts/{other}", f"/settings/users/{stranger}"):
        assert b.get(url).status_code == 404, url
    for url, data in [(f"/settings/accounts/{other}", {"name": "x", "time_zone": "UTC", "hours": ""}),
                      (f"/settings/accounts/{other}/out-of-office", {"enabled": "1", "text_zh": "x"}),
                      (f"/settings/approval/{other}", {}),
                      (f"/settings/users/{stranger}", {"role": "viewer", "accounts": [str(other)]}),
                      (f"/settings/users/{stranger}/password", {"password": NEW_PASSWORD}),
                      (f"/settings/users/{stranger}/active", {"active": "0"})]:
        assert b.post(url, data).status_code == 404, url
    # nor can a manager put someone on, or take someone to, an account that is not theirs
    moderator = world.members["moderator"]
    assert b.post(f"/settings/users/{moderator}", {"role": "moderator", "accounts": [str(other)]}).status_code == 404
    assert b.post("/settings/users", {"name": "阿珍", "username": "azhen", "password": PASSWORD, "role": "viewer",
                                      "accounts": [str(other)]}).status_code == 404
    users = b.get("/settings/users").text
    assert "moderator-b" not in users and "brand_b" not in users
    assert "Brand B" not in b.get("/settings/accounts").text and "Brand B" not in b.get("/settings/approval").text
    with workspace.sessions() as session:
        assert session.get(Member, stranger).active and session.get(Member, moderator).role == "moderator"
    assert member_named(workspace, "阿珍") is None and accounts_of(workspace, moderator) == {world.accounts["brand_a"]}


# -- users ------------------------------------------------------------------------------------------------

def test_a_manager_adds_a_user_who_then_signs_in(world, browser, workspace):
    b = browser("manager")
    a = world.accounts["brand_a"]
    page = b.post("/settings/users", {"name": "阿珍🌸", "username": "azhen", "password": "绝绝子的密码[笑哭R]",
                                      "role": "creator", "language": "en", "accounts": [str(a)], "on_duty": "1"},
                  htmx=True)
    assert page.status_code == 200 and 'id="saved"' in page.text and "阿珍🌸" in page.text
    member = member_named(workspace, "阿珍🌸")
    assert member.role == "creator" and member.username == "azhen" and member.language == "en"
    assert accounts_of(workspace, member.id) == {a}
    [event] = events(workspace, "member.add")
    assert event.member_id == world.members["manager"] and "argon2" not in (event.after or "")
    assert json.loads(event.after)["accounts"] == ["brand_a"]
    newcomer = browser()
    assert newcomer.sign_in("azhen", "绝绝子的密码[笑哭R]").status_code == 303
    assert "阿珍🌸" in newcomer.get("/queue").text


@pytest.mark.parametrize(("data", "message"), [
    ({"password": "short"}, "密码至少需要 8 个字符"),
    ({"username": "   "}, "用户名"),
    ({"username": "moderator"}, "用户名 moderator 已被占用"),
    ({"name": "moderator-a"}, "已经有一位叫 moderator-a 的成员"),
    ({"accounts": []}, "至少勾选一个账号"),
    ({"role": "boss"}, "请选择角色"),
])
def test_adding_a_user_with_a_wrong_field_says_which_and_writes_nothing(data, message, world, browser, workspace):
    b = browser("manager")
    form = {"name": "阿珍", "username": "azhen", "password": PASSWORD, "role": "moderator",
            "accounts": [str(world.accounts["brand_a"])]} | data
    response = b.post("/settings/users", form, htmx=True)
    assert response.status_code == 400 and message in response.text, response.text
    assert response.headers["HX-Retarget"] == "#flash"
    assert member_named(workspace, "阿珍") is None and events(workspace, "member.add") == []


def test_change_role_accounts_and_duty_with_before_and_after(world, browser, workspace):
    b = browser("manager")
    moderator, a = world.members["moderator"], world.accounts["brand_a"]
    response = b.post(f"/settings/users/{moderator}", {"role": "viewer", "accounts": [str(a)]})
    assert response.status_code == 303 and response.headers["location"] == f"/settings/users/{moderator}"
    with workspace.sessions() as session:
        member = session.get(Member, moderator)
        assert member.role == "viewer" and member.on_duty is False
    [event] = events(workspace, "member.update")
    assert json.loads(event.before)["role"] == "moderator" and json.loads(event.after)["role"] == "viewer"
    assert json.loads(event.before)["on_duty"] is True and json.loads(event.after)["on_duty"] is False
    # the change applies at once: the former moderator can no longer triage
    former = browser("moderator")
    assert former.post(f"/items/{world.items['question']}/action", {"action": "assign"}).status_code == 403


def test_a_password_reset_signs_the_person_out_and_the_new_one_works(world, browser, workspace):
    moderator = browser("moderator")
    assert moderator.get("/queue").status_code == 200
    b = browser("manager")
    short = b.post(f"/settings/users/{world.members['moderator']}/password", {"password": "1234567"}, htmx=True)
    assert short.status_code == 400 and "8" in short.text
    assert moderator.get("/queue", follow_redirects=False).status_code == 200
    assert b.post(f"/settings/users/{world.members['moderator']}/password",
                  {"password": NEW_PASSWORD}).status_code == 303
    assert moderator.get("/queue", follow_redirects=False).status_code == 303  # signed out
    assert browser().sign_in("moderator", PASSWORD).status_code == 401
    assert browser().sign_in("moderator", NEW_PASSWORD).status_code == 303
    [event] = events(workspace, "member.password")
    assert "argon2" not in event.after and "argon2" not in event.before


def test_a_manager_resetting_their_own_password_stays_signed_in(world, browser):
    b = browser("manager")
    assert b.post(f"/settings/users/{world.members['manager']}/password", {"password": NEW_PASSWORD}).status_code == 303
    assert b.get("/settings/users").status_code == 200


def test_a_deactivated_user_is_signed_out_and_cannot_sign_in_until_reactivated(world, browser, workspace):
    moderator = browser("moderator")
    b = browser("manager")
    page = b.post(f"/settings/users/{world.members['moderator']}/active", {"active": "0"}, htmx=True)
    assert page.status_code == 200 and 'id="reactivate"' in page.text
    assert moderator.get("/queue", follow_redirects=False).status_code == 303
    assert browser().sign_in("moderator").status_code == 401
    with workspace.sessions() as session:
        assert session.get(Member, world.members["moderator"]).on_duty is False
    # nobody assigns items to them any more
    assignees = re.search(r'<select name="assignee".*?</select>', b.get(f"/items/{world.items['question']}").text)
    assert "manager-a" in assignees.group(0) and "moderator-a" not in assignees.group(0)
    assert [e.action for e in events(workspace, "member.deactivate")] == ["member.deactivate"]
    b.post(f"/settings/users/{world.members['moderator']}/active", {"active": "1"})
    assert browser().sign_in("moderator").status_code == 303
    assert len(events(workspace, "member.activate")) == 1


def test_the_last_manager_cannot_be_demoted_or_deactivated(world, browser, workspace):
    b = browser("manager")
    me, a = world.members["manager"], world.accounts["brand_a"]
    demote = b.post(f"/settings/users/{me}", {"role": "moderator", "accounts": [str(a)], "on_duty": "1"}, htmx=True)
    assert demote.status_code == 400 and "最后一位在职经理" in demote.text
    deactivate_self = b.post(f"/settings/users/{me}/active", {"active": "0"}, htmx=True)
    assert deactivate_self.status_code == 400 and "不能停用自己" in deactivate_self.text
    with workspace.sessions() as session:
        assert session.get(Member, me).role == "manager" and session.get(Member, me).active
    assert events(workspace, "member.update") == []
    # with a second manager, stepping down is fine and takes effect at once
    b.post(f"/settings/users/{world.members['moderator']}", {"role": "manager", "accounts": [str(a)]})
    assert b.post(f"/settings/users/{me}", {"role": "moderator", "accounts": [str(a)]}).headers["location"] == "/queue"
    assert b.get("/settings").status_code == 403


# -- accounts and out of office --------------------------------------------------------------------------

def test_account_name_time_zone_and_business_hours(world, browser, workspace):
    b = browser("manager")
    a = world.accounts["brand_a"]
    page = b.post(f"/settings/accounts/{a}", {"name": "澄肌实验室 🧪", "time_zone": "Asia/Hong_Kong",
                                              "hours": "mon-fri 09:00-18:00\nsat 10:00-16:00\n"}, htmx=True)
    assert page.status_code == 200 and 'id="saved"' in page.text
    assert "mon-fri 09:00-18:00\nsat 10:00-16:00" in page.text
    listing = b.get("/settings/accounts").text
    assert "澄肌实验室 🧪" in listing and "Asia/Hong_Kong" in listing and "mon-fri 09:00-18:00, sat 10:00-16:00" in listing
    [event] = events(workspace, "account.update")
    assert json.loads(event.before) == {"name": "品牌A", "time_zone": "Asia/Shanghai", "hours": []}
    assert json.loads(event.after)["hours"] == ["mon-fri 09:00-18:00", "sat 10:00-16:00"]


@pytest.mark.parametrize(("data", "message"), [
    ({"time_zone": "Beijing"}, "时区“Beijing”无法识别"),
    ({"hours": "mon-fri 09:00-18:00\n周一到周五 9点-6点"}, "营业时间“周一到周五 9点-6点”"),
    ({"hours": "mon-fri 18:00-09:00"}, "营业时间“mon-fri 18:00-09:00”"),
    ({"name": "  "}, "显示名称"),
])
def test_a_wrong_account_field_is_named_and_nothing_changes(data, message, world, browser, workspace):
    b = browser("manager")
    a = world.accounts["brand_a"]
    form = {"name": "新名字", "time_zone": "Asia/Tokyo", "hours": "mon-fri 09:00-18:00"} | data
    response = b.post(f"/settings/accounts/{a}", form, htmx=True)
    assert response.status_code == 400 and message in response.text, response.text
    page = b.get(f"/settings/accounts/{a}").text
    assert "品牌A" in page and "Asia/Shanghai" in page and "新名字" not in page
    assert events(workspace, "account.update") == []


def test_out_of_office_shows_on_the_queue_and_opens_new_drafts(world, browser, workspace):
    b = browser("manager")
    a = world.accounts["brand_a"]
    notice = "春节放假中，2月18日起恢复回复哦～🧧"
    b.post(f"/settings/accounts/{a}/out-of-office", {"enabled": "1", "text_zh": notice,
                                                     "text_en": "We're off for the Spring Festival."})
    moderator = browser("moderator")
    banner = moderator.get("/queue").text
    assert 'id="away-banner"' in banner and "品牌A" in banner
    assert 'id="away-banner"' not in browser("stranger").get("/queue").text  # brand_b is not away
    page = moderator.post(f"/items/{world.items['question']}/draft", {}, htmx=True).text
    assert EDITOR.search(page).group(1).startswith(f"@小鹿 {notice}")
    assert 'id="away-notice"' in page
    late = moderator.post(f"/items/{world.items['complaint']}/draft", {}, htmx=True).text
    assert EDITOR.search(late).group(1).startswith(f"@路人甲 抱歉回复晚了！{notice}")
    [event] = events(workspace, "account.out_of_office")
    assert event.before is None and json.loads(event.after)["text_zh"] == notice
    # switched off: gone from the queue and from new drafts
    b.post(f"/settings/accounts/{a}/out-of-office", {"text_zh": notice})
    assert 'id="away-banner"' not in moderator.get("/queue").text
    page = moderator.post(f"/items/{world.items['praise']}/draft", {}, htmx=True).text
    assert notice not in EDITOR.search(page).group(1)


def test_out_of_office_window_is_in_the_accounts_local_time(world, browser):
    b = browser("manager")
    a = world.accounts["brand_a"]
    later = (now() + timedelta(hours=8, days=2)).strftime("%Y-%m-%dT%H:%M")  # Shanghai is UTC+8
    b.post(f"/settings/accounts/{a}/out-of-office", {"enabled": "1", "starts": later, "text_zh": "下周休假"})
    assert 'id="away-banner"' not in b.get("/queue").text
    page = b.get(f"/settings/accounts/{a}").text
    assert f'name="starts" value="{later}"' in page and "已排定" in page
    started = (now() + timedelta(hours=7)).strftime("%Y-%m-%dT%H:%M")
    b.post(f"/settings/accounts/{a}/out-of-office", {"enabled": "1", "starts": started, "text_zh": "休假中"})
    assert 'id="away-banner"' in b.get("/queue").text


@pytest.mark.parametrize(("data", "message"), [
    ({"starts": "下周一"}, "“下周一”不是日期时间"),
    ({"starts": "2026-02-18T09:00", "ends": "2026-02-10T09:00"}, "“截止”必须晚于“开始”"),
    ({"text_zh": "", "text_en": ""}, "请先写好中文或英文的外出通知"),
    ({"text_zh": "长" * 301}, "301 个字符"),
])
def test_a_wrong_out_of_office_field_is_named_and_nothing_changes(data, message, world, browser, workspace):
    b = browser("manager")
    form = {"enabled": "1", "text_zh": "放假中"} | data
    response = b.post(f"/settings/accounts/{world.accounts['brand_a']}/out-of-office", form, htmx=True)
    assert response.status_code == 400 and message in response.text, response.text
    assert 'id="away-banner"' not in b.get("/queue").text
    assert events(workspace, "account.out_of_office") == []


def test_hostile_account_name_and_notice_render_as_text(world, browser):
    hostile = '<script>alert(1)</script><img src=x onerror=alert(1)>'
    b = browser("manager")
    a = world.accounts["brand_a"]
    b.post(f"/settings/accounts/{a}", {"name": hostile, "time_zone": "Asia/Shanghai", "hours": ""})
    b.post(f"/settings/accounts/{a}/out-of-office", {"enabled": "1", "text_zh": hostile})
    for url in ("/queue", f"/settings/accounts/{a}", "/settings/accounts", "/settings/approval",
                f"/items/{world.items['question']}"):
        page = b.get(url).text
        assert "<script>alert(1)" not in page and "<img src=x" not in page, url
        assert "&lt;script&gt;" in page, url


# -- approval rules ---------------------------------------------------------------------------------------

def draft_needs_approval(b, item_id) -> bool:
    return 'class="needs-approval"' in b.post(f"/items/{item_id}/draft", {}, htmx=True).text


def test_approval_rules_decide_which_replies_wait_for_a_manager(world, browser, workspace):
    moderator = browser("moderator")
    complaint, praise = world.items["complaint"], world.items["praise"]
    assert draft_needs_approval(moderator, complaint)  # the default: negative sentiment
    assert not draft_needs_approval(moderator, praise)
    manager = browser("manager")
    page = manager.get("/settings/approval").text
    assert re.search(r'name="sentiments" value="negative"\s+checked', page)
    manager.post(f"/settings/approval/{world.accounts['brand_a']}", {"categories": ["praise", "crisis"],
                                                                     "escalated": "1"})
    assert not draft_needs_approval(moderator, complaint)
    assert draft_needs_approval(moderator, praise)
    [event] = events(workspace, "settings.approval_rules")
    assert json.loads(event.before) == {"sentiments": ["negative"], "categories": ["crisis", "partnership"],
                                        "escalated": True}
    assert json.loads(event.after) == {"sentiments": [], "categories": ["praise", "crisis"], "escalated": True}


def test_a_draft_written_under_old_rules_is_checked_again_when_sent(world, browser):
    moderator = browser("moderator")
    complaint = world.items["complaint"]
    page = moderator.post(f"/items/{complaint}/draft", {}, htmx=True).text
    reply_id = re.search(r'data-reply="(\d+)"', page).group(1)
    browser("manager").post(f"/settings/approval/{world.accounts['brand_a']}", {"escalated": "1"})
    moderator.post(f"/replies/{reply_id}/submit", {"text": "@路人甲 抱歉让你不舒服了，私信你安排退换哦"})
    assert "awaiting_approval" not in moderator.get(f"/items/{complaint}").text
    assert "@路人甲 抱歉让你不舒服了" in moderator.get("/outbox").text
