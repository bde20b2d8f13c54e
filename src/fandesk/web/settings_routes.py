"""Settings, for managers: the team (who signs in, their role, accounts, duty), each account (name, time
zone, business hours, out-of-office notice), which replies need approval, and the triage rules of each
account (the workspace-wide ones for managers of every account). A manager sees and changes only what lies
on their own accounts; every change is in the audit log."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from fandesk.errors import Invalid, InvalidField
from fandesk.web.common import CurrentUser, current_user, form_ids, is_htmx, render, tx
from fandesk.web.i18n import gettext_
from fandesk.web.labels import N_

router = APIRouter()

# The services' refusals (errors.InvalidField codes), said in the reader's language.
PROBLEMS = {
    "no_name": N_("Write the person's name as the team knows it (at most 100 characters)."),
    "no_username": N_("Choose a username: the name this person signs in with (at most 64 characters)."),
    "short_password": N_("The password needs at least %(min)s characters."),
    "bad_role": N_("Choose a role: manager, moderator, creator or viewer."),
    "no_accounts": N_("Tick at least one account for %(name)s."),
    "name_taken": N_("There is already a team member called %(name)s: use another name."),
    "username_taken": N_("The username %(username)s is taken: choose another."),
    "last_manager": N_("%(name)s is the last active manager of %(account)s: make someone else a manager there "
                       "first."),
    "last_manager_elsewhere": N_("%(name)s is the last active manager of an account you do not run: ask a "
                                 "manager of that account."),
    "deactivate_self": N_("You cannot deactivate yourself: ask another manager."),
    "no_account_name": N_("Write the account's display name (at most 200 characters)."),
    "bad_time_zone": N_("Time zone “%(zone)s” is unknown: use a name such as Asia/Shanghai."),
    "bad_hours": N_("Business hours “%(line)s”: write one run of days per line, like mon-fri 09:00-18:00 (days "
                    "mon to sun, opening before closing)."),
    "bad_from": N_("Out of office, “from”: “%(value)s” is not a date and time; use e.g. 2026-02-10 09:00."),
    "bad_until": N_("Out of office, “until”: “%(value)s” is not a date and time; use e.g. 2026-02-17 18:00."),
    "window_backwards": N_("Out of office: “until” must be later than “from”."),
    "notice_too_long": N_("The out-of-office text has %(size)s characters: keep it under %(limit)s."),
    "no_notice_text": N_("Write the out-of-office text in Chinese, English or both before switching it on."),
}
TIME_ZONES = ("Asia/Shanghai", "Asia/Hong_Kong", "Asia/Taipei", "Asia/Singapore", "Asia/Tokyo", "Asia/Seoul",
              "Europe/London", "Europe/Paris", "America/New_York", "America/Los_Angeles", "Australia/Sydney", "UTC")


@contextmanager
def explained() -> Iterator[None]:
    """Around a transaction: a refused value reaches the person in their language (the transaction has
    rolled back by then)."""
    try:
        yield
    except InvalidField as problem:
        message = PROBLEMS.get(problem.code)
        raise Invalid(gettext_(message, **problem.params) if message else str(problem)) from problem


def _done(request: Request, url: str, show):
    """After a change: HTMX gets the page back saying it is saved; a plain form is redirected to it."""
    if is_htmx(request):
        return show(saved=True)
    return RedirectResponse(url, status_code=303)


@router.get("/settings")
def settings_index(request: Request, user: CurrentUser):
    user.require("manage_settings")
    return render(request, "settings.html", {"saved": False}, user=user)


# -- users ----------------------------------------------------------------------------------------------

def _my_accounts(session, user):
    from fandesk.members.sign_in import accounts_of

    return accounts_of(session, user.id)


@router.get("/settings/users")
def users_page(request: Request, user: CurrentUser):
    user.require("manage_users")
    return _users(request, user)


def _users(request: Request, user, saved: bool = False):
    from fandesk.members.models import ROLES
    from fandesk.members.service import team_of

    with tx(request) as session:
        team = team_of(session, account_ids=user.account_ids)
        accounts = _my_accounts(session, user)
    handles = {a.id: a.handle for a in accounts}
    return render(request, "settings_users.html", {"team": team, "accounts": accounts, "handles": handles,
                                                   "roles": ROLES, "saved": saved}, user=user)


@router.post("/settings/users")
def users_add(request: Request, user: CurrentUser,
              name: str = Form(""), username: str = Form(""), password: str = Form(""),
              role: str = Form(""), language: str = Form("zh"), on_duty: str = Form(""),
              accounts: list[str] = Form([])):
    from fandesk.members.service import add_user

    user.require("manage_users")
    with explained(), tx(request) as session:
        add_user(session, actor_id=user.id, account_ids=user.account_ids, name=name, username=username,
                 password=password, role=role, member_account_ids=form_ids(accounts), on_duty=bool(on_duty),
                 language=language if language in ("zh", "en") else "zh")
    return _done(request, "/settings/users", lambda saved: _users(request, user, saved=saved))


@router.get("/settings/users/{member_id}")
def user_page(request: Request, user: CurrentUser, member_id: int):
    user.require("manage_users")
    return _user(request, user, member_id)


def _user(request: Request, user, member_id: int, saved: bool = False):
    from fandesk.members.models import ROLES
    from fandesk.members.service import visible_member
    from fandesk.members.sign_in import account_ids_of

    with tx(request) as session:
        member = visible_member(session, member_id=member_id, account_ids=user.account_ids)
        on = set(account_ids_of(session, member.id))
        accounts = _my_accounts(session, user)
    return render(request, "settings_user.html", {"member": member, "accounts": accounts, "on": on, "roles": ROLES,
                                                  "saved": saved}, user=user)


@router.post("/settings/users/{member_id}")
def user_update(request: Request, user: CurrentUser, member_id: int, role: str = Form(""), on_duty: str = Form(""),
                accounts: list[str] = Form([])):
    from fandesk.members.service import update_user

    user.require("manage_users")
    with explained(), tx(request) as session:
        update_user(session, actor_id=user.id, account_ids=user.account_ids, member_id=member_id, role=role,
                    member_account_ids=form_ids(accounts), on_duty=bool(on_duty))
    return _after_user_change(request, member_id)


@router.post("/settings/users/{member_id}/password")
def user_password(request: Request, user: CurrentUser, member_id: int, password: str = Form("")):
    from fandesk.members.service import reset_password

    user.require("manage_users")
    with explained(), tx(request) as session:
        # a manager's own new password ends their other sessions and keeps this one
        reset_password(session, actor_id=user.id, account_ids=user.account_ids, member_id=member_id,
                       password=password, keep_session_id=user.session_id)
    return _after_user_change(request, member_id)


@router.post("/settings/users/{member_id}/active")
def user_active(request: Request, user: CurrentUser, member_id: int, active: str = Form("")):
    from fandesk.members.service import set_active

    user.require("manage_users")
    with explained(), tx(request) as session:
        set_active(session, actor_id=user.id, account_ids=user.account_ids, member_id=member_id,
                   active=active == "1")
    return _after_user_change(request, member_id)


def _after_user_change(request: Request, member_id: int):
    """Back to the member's page; when managers changed their own role or accounts and may no longer see
    it, to a page they can still see."""
    from fandesk.members.sign_in import account_ids_of

    request.state.user = None  # the change may be the manager's own: read it again
    user = current_user(request)
    with tx(request) as session:
        visible = bool(set(account_ids_of(session, member_id)) & set(user.account_ids))
    if not user.can("manage_users") or not visible:
        target = "/settings/users" if user.can("manage_users") else "/queue"
        if is_htmx(request):
            return HTMLResponse("", headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=303)
    return _done(request, f"/settings/users/{member_id}", lambda saved: _user(request, user, member_id, saved=saved))


# -- accounts -------------------------------------------------------------------------------------------

@router.get("/settings/accounts")
def accounts_page(request: Request, user: CurrentUser):
    from fandesk.workspace.hours import hours_lines
    from fandesk.workspace.out_of_office import notice_of

    user.require("manage_settings")
    with tx(request) as session:
        rows = [{"account": a, "hours": hours_lines(session, account_id=a.id),
                 "notice": notice_of(session, account_id=a.id, account_ids=user.account_ids)}
                for a in _my_accounts(session, user)]
    return render(request, "settings_accounts.html", {"rows": rows, "saved": False}, user=user)


@router.get("/settings/accounts/{account_id}")
def account_page(request: Request, user: CurrentUser, account_id: int):
    user.require("manage_settings")
    return _account(request, user, account_id)


def _account(request: Request, user, account_id: int, saved: bool = False):
    from fandesk.workspace.hours import hours_lines
    from fandesk.workspace.out_of_office import notice_of
    from fandesk.workspace.service import visible_account

    with tx(request) as session:
        account = visible_account(session, account_id=account_id, account_ids=user.account_ids)
        hours = hours_lines(session, account_id=account.id)
        notice = notice_of(session, account_id=account.id, account_ids=user.account_ids)
    return render(request, "settings_account.html", {"account": account, "hours": "\n".join(hours),
                                                     "notice": notice, "time_zones": TIME_ZONES, "saved": saved},
                  user=user)


@router.post("/settings/accounts/{account_id}")
def account_update(request: Request, user: CurrentUser,
                   account_id: int, name: str = Form(""), time_zone: str = Form(""),
                   hours: str = Form("")):
    from fandesk.workspace.service import update_account

    user.require("manage_settings")
    with explained(), tx(request) as session:
        update_account(session, account_id=account_id, account_ids=user.account_ids, member_id=user.id, name=name,
                       time_zone=time_zone, hours=hours)
    return _done(request, f"/settings/accounts/{account_id}", lambda saved: _account(request, user, account_id, saved))


@router.post("/settings/accounts/{account_id}/out-of-office")
def account_out_of_office(request: Request, user: CurrentUser,
                          account_id: int, enabled: str = Form(""), starts: str = Form(""),
                          ends: str = Form(""), text_zh: str = Form(""), text_en: str = Form("")):
    from fandesk.workspace.out_of_office import set_notice

    user.require("manage_settings")
    with explained(), tx(request) as session:
        set_notice(session, account_id=account_id, account_ids=user.account_ids, member_id=user.id,
                   enabled=bool(enabled), starts=starts, ends=ends, text_zh=text_zh, text_en=text_en)
    return _done(request, f"/settings/accounts/{account_id}", lambda saved: _account(request, user, account_id, saved))


# -- approval rules -------------------------------------------------------------------------------------

@router.get("/settings/approval")
def approval_page(request: Request, user: CurrentUser):
    user.require("manage_rules")
    return _approval(request, user)


def _approval(request: Request, user, saved: bool = False):
    from fandesk.replies.approval import approval_policy
    from fandesk.understanding.analysis import CATEGORIES, SENTIMENTS

    with tx(request) as session:
        rows = [{"account": a, "policy": approval_policy(session, account_id=a.id)}
                for a in _my_accounts(session, user)]
    return render(request, "settings_approval.html", {"rows": rows, "sentiments": SENTIMENTS,
                                                      "categories": CATEGORIES, "saved": saved}, user=user)


@router.post("/settings/approval/{account_id}")
def approval_save(request: Request, user: CurrentUser, account_id: int, sentiments: list[str] = Form([]),
                  categories: list[str] = Form([]), escalated: str = Form("")):
    from fandesk.replies.approval import set_approval_policy

    user.require("manage_rules")
    with explained(), tx(request) as session:
        set_approval_policy(session, account_id=account_id, account_ids=user.account_ids, member_id=user.id,
                            sentiments=sentiments, categories=categories, escalated=bool(escalated))
    return _done(request, "/settings/approval", lambda saved: _approval(request, user, saved))


# -- triage rules ---------------------------------------------------------------------------------------

def _rules_page(request: Request, user, *, typed: dict | None = None, saved: bool = False, status_code: int = 200):
    """Each of the manager's accounts with its rules, and the workspace-wide rules for a manager of every
    account. `typed`: the set just refused, shown again with what the manager typed and what is wrong."""
    from fandesk.inbox.rule_scopes import rules_page

    with tx(request) as session:
        page = rules_page(session, workspace=request.app.state.workspace.settings.workspace,
                          account_ids=user.account_ids)
    typed = {"scope": None, "text": "", "error": ""} | (typed or {})
    return render(request, "settings_rules.html", {**page, "typed": typed, "saved": saved}, user=user,
                  status_code=status_code)


@router.get("/settings/rules")
def rules_page(request: Request, user: CurrentUser):
    user.require("manage_rules")
    return _rules_page(request, user)


def _save_rules(request: Request, account_id: int | None, text: str, version: str):
    from fandesk.errors import Overtaken
    from fandesk.inbox.rule_scopes import save_rules
    from fandesk.web.conflicts import overtaken_message

    user = current_user(request)
    user.require("manage_rules")
    scope = "workspace" if account_id is None else str(account_id)
    try:
        with tx(request) as session:
            save_rules(session, workspace=request.app.state.workspace.settings.workspace, account_id=account_id,
                       account_ids=user.account_ids, member_id=user.id, text=text,
                       version=int(version) if version.isdigit() else None)
    except Overtaken as lost:
        # someone saved these rules since the page was opened: nothing was written; the page shows what
        # this manager typed, says who saved, and a second save replaces theirs knowingly
        return _rules_page(request, user, typed={"scope": scope, "text": text, "error": overtaken_message(lost)},
                           status_code=409)
    except Invalid as problem:
        # the page again, with what the manager typed and what is wrong with it; nothing was written
        return _rules_page(request, user, typed={"scope": scope, "text": text, "error": str(problem)},
                           status_code=400)
    if is_htmx(request):
        return _rules_page(request, user, saved=True)
    return RedirectResponse("/settings/rules", status_code=303)


@router.post("/settings/rules/workspace")
def rules_save_workspace(request: Request, text: str = Form(""), version: str = Form("")):
    """The workspace-wide rules: only a manager of every account changes them."""
    return _save_rules(request, None, text, version)


@router.post("/settings/rules/{account_id}")
def rules_save_account(request: Request, account_id: int, text: str = Form(""), version: str = Form("")):
    """One account's rules; the other accounts' and the workspace-wide rules stay as they are."""
    return _save_rules(request, account_id, text, version)
