"""The dashboard (/dashboard), the lists behind its numbers (/dashboard/list), the monthly report's
downloads, and the ROI assumptions a manager sets. Everyone reads the dashboards of their own accounts;
plain `def` routes: a dashboard is seconds of database work on a big workspace, off the event loop."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from fandesk.errors import Invalid
from fandesk.metrics import drill as drills
from fandesk.metrics.roi import DEFAULTS, set_assumption
from fandesk.metrics.service import account_ids_for, accounts, dashboard, scope_for
from fandesk.web import metric_words as words
from fandesk.web.common import CurrentUser, render, tx
from fandesk.web.reports import CONTENT_TYPES, action_text, chart_data, render_report, report_filename

router = APIRouter()


def _filters(account: str, period: str, kind: str) -> dict:
    return {"account": account.strip(), "period": period.strip(), "kind": kind if kind in ("day", "week", "month")
            else "month"}


def list_url(key: str, filters: dict, scope) -> str:
    query = {"key": key, "period": scope.period.label}
    if filters["account"]:
        query["account"] = filters["account"]
    return "/dashboard/list?" + urlencode(query)


@router.get("/dashboard")
def dashboard_page(request: Request, user: CurrentUser, account: str = "", period: str = "", kind: str = "month"):
    user.require("read")
    filters = _filters(account, period, kind)
    with tx(request) as session:
        ids = account_ids_for(session, account_ids=user.account_ids, handle=filters["account"])
        scope = scope_for(session, account_ids=ids, period=filters["period"] or None, kind=filters["kind"])
        found = dashboard(session, scope)
        choices = accounts(session, account_ids=user.account_ids)
    link = lambda key: list_url(key, filters, scope) if key else None  # noqa: E731
    query = {k: v for k, v in (("account", filters["account"]), ("period", scope.period.label)) if v}
    return render(request, "dashboard.html", {
        "d": found, "w": words, "accounts": choices, "filters": filters, "link": link, "period": scope.period,
        "previous_url": "/dashboard?" + urlencode({**query, "period": scope.previous.label}),
        "next_url": "/dashboard?" + urlencode({**query, "period": scope.period.shift(1).label}),
        "download": lambda fmt: f"/dashboard/report.{fmt}?" + urlencode(query),
        "chart_data": chart_data(found, link), "can_edit": user.can("manage_settings"), "action_text": action_text,
        "defaults": DEFAULTS}, user=user)


@router.get("/dashboard/list")
def dashboard_list(request: Request, user: CurrentUser, key: str, account: str = "", period: str = "", page: int = 1):
    """The items, people or comments behind one number of the dashboard: as many as the number says."""
    user.require("read")
    filters = _filters(account, period, "month")
    page = max(page, 1)
    with tx(request) as session:
        ids = account_ids_for(session, account_ids=user.account_ids, handle=filters["account"])
        scope = scope_for(session, account_ids=ids, period=filters["period"] or None)
        found = drills.drill(scope, key)
        total = drills.count(session, found)
        rows = drills.page(session, found, offset=(page - 1) * drills.PAGE)
        zones = {a.id: a.time_zone for a in accounts(session, account_ids=ids)}
    back = "/dashboard?" + urlencode({k: v for k, v in (("account", filters["account"]),
                                                         ("period", scope.period.label)) if v})
    more = page * drills.PAGE < total
    base = {"key": key, "period": scope.period.label, **({"account": filters["account"]} if filters["account"] else {})}
    return render(request, "dashboard_list.html", {
        "key": key, "kind": found.kind, "rows": rows, "total": total, "page": page, "zones": zones,
        "period": scope.period, "back": back, "title": _list_title(key),
        "next_page": "/dashboard/list?" + urlencode({**base, "page": page + 1}) if more else None,
        "previous_page": "/dashboard/list?" + urlencode({**base, "page": page - 1}) if page > 1 else None,
        "w": words}, user=user)


def _list_title(key: str) -> str:
    """The list's heading from its key: the metric it belongs to, in words."""
    kind, _, rest = key.partition(":")
    name, _, detail = rest.partition(":")
    titles = {
        "items:to_answer": "engagement.comments", "items:answered": "engagement.replies",
        "items:unanswered": "engagement.unanswered", "items:on_time": "engagement.within_target",
        "items:late": "engagement.late", "items:by_reply_by": "engagement.by_reply_by",
        "items:excluded": "engagement.excluded", "items:on_notes": "engagement.comments_per_note",
        "dms:stretches": "engagement.dm_conversations", "dms:answered": "engagement.dm_answered",
        "dms:on_time": "engagement.dm_within_target", "comments:threads": "depth.thread_length",
        "comments:in_threads": "depth.thread_length", "comments:replies": "depth.reply_ratio",
        "comments:mentions": "depth.mentions", "comments:follower_to_follower": "depth.follower_to_follower",
        "people:repeat_commenters": "depth.repeat_commenters", "people:commenters": "depth.commenters",
        "people:new_followers": "growth.new_followers", "people:active": "growth.active_people",
        "people:new": "growth.new_people", "people:retained": "growth.retention",
        "people:reactivated": "growth.reactivated", "people:returning": "growth.returning",
        "people:ugc": "community.ugc_posts", "referrals:period": "community.referrals",
        "survey:nps": "community.nps", "survey:satisfaction": "community.satisfaction",
        "survey:promoters": "community.promoters", "survey:detractors": "community.detractors",
    }
    if f"{kind}:{name}" in titles:
        return words.metric_name(titles[f"{kind}:{name}"])
    if name == "sentiment":
        return words.metric_name(f"engagement.sentiment_{detail}")
    if name == "negative":
        return words.metric_name(f"feedback.{detail}")
    return words.metric_name(key)


@router.get("/dashboard/report.{fmt}")
def dashboard_report(request: Request, user: CurrentUser, fmt: str, account: str = "", period: str = ""):
    """The monthly report to forward: one self-contained HTML file, JSON, Excel or PDF."""
    user.require("read")
    if fmt not in CONTENT_TYPES:
        return Response(status_code=404)
    filters = _filters(account, period, "month")
    with tx(request) as session:
        ids = account_ids_for(session, account_ids=user.account_ids, handle=filters["account"])
        scope = scope_for(session, account_ids=ids, period=filters["period"] or None, kind="month")
        found = dashboard(session, scope)
    body = render_report(found, fmt, templates=request.app.state.templates)
    return Response(body, media_type=CONTENT_TYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{report_filename(found, fmt)}"'})


@router.post("/dashboard/assumptions")
def dashboard_assumptions(request: Request, user: CurrentUser,
                          account: str = Form(""), key: str = Form(""), value: str = Form(""),
                          period: str = Form("")):
    """A manager changes one ROI assumption of one of their accounts. The fields are checked after the
    permission, so someone who may not change it is told so, not which field is missing."""
    user.require("manage_settings")
    if not account.strip():
        raise Invalid("account: choose the account whose ROI assumption changes")
    with tx(request) as session:
        [account_id] = account_ids_for(session, account_ids=user.account_ids, handle=account)
        set_assumption(session, account_id=account_id, key=key, value=value, member_id=user.id)
    query = {"account": account, **({"period": period} if period else {})}
    return RedirectResponse("/dashboard?" + urlencode(query) + "#roi", status_code=303)
