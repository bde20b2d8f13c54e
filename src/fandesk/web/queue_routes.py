"""The queue page, its rows (polled by HTMX), and bulk actions on a selection."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from fandesk.desk.actions import act_on_items
from fandesk.desk.queue import QueueFilter, member_choices, queue, tier_counts
from fandesk.inbox.models import STATUSES, TIERS
from fandesk.web.common import current_user, form_ids, is_htmx, parse_local, render, tx

router = APIRouter()
CATEGORIES = ("complaint", "product_question", "advice_request", "shipping", "pricing", "returns", "partnership",
              "praise", "casual", "ugc_share", "spam", "abuse", "crisis")
SENTIMENTS = ("positive", "neutral", "negative")


def _queue_context(request: Request, user, filters: QueueFilter, page: int) -> dict:
    from fandesk.auth.service import accounts_of

    with tx(request) as session:
        rows = queue(session, account_ids=user.account_ids, member_id=user.id, filters=filters,
                     offset=max(page - 1, 0) * 50)
        counts = _counts(request, session, user, filters)
        accounts = accounts_of(session, user.id)
        members = member_choices(session, account_ids=user.account_ids)
    zones = {a.handle: a.time_zone for a in accounts}
    presence = request.app.state.presence.on_items([r["id"] for r in rows], user.name)
    return {"rows": rows, "counts": counts, "filters": filters, "accounts": accounts, "members": members,
            "zones": zones, "presence": presence, "page": page, "tiers": TIERS, "statuses": STATUSES,
            "categories": CATEGORIES, "sentiments": SENTIMENTS,
            "query": urlencode(filters.as_query()), "with_query": lambda **c: urlencode(filters.as_query(**c))}


COUNTS_SECONDS = 5.0


def _counts(request: Request, session, user, filters: QueueFilter) -> dict:
    """Counts per tier, reused for a few seconds across pollers with the same accounts and filters; any
    change made through the app (an unsafe request) starts afresh."""
    cache = request.app.state.count_cache
    key = (tuple(user.account_ids), user.id if "me" in (filters.view, filters.assignee) or filters.view == "mine"
           else 0, tuple(sorted(filters.as_query(tier="", view=filters.view).items())), cache["generation"])
    hit = cache["entries"].get(key)
    if hit is not None and time.monotonic() - hit[0] < COUNTS_SECONDS:
        return hit[1]
    counts = tier_counts(session, account_ids=user.account_ids, member_id=user.id, filters=filters)
    if len(cache["entries"]) > 1000:
        cache["entries"].clear()
    cache["entries"][key] = (time.monotonic(), counts)
    return counts


@router.get("/queue")
def queue_page(request: Request, page: int = 1):
    user = current_user(request)
    filters = QueueFilter.from_mapping(request.query_params)
    return render(request, "queue.html", _queue_context(request, user, filters, page), user=user)


@router.get("/queue/rows")
def queue_rows(request: Request, page: int = 1):
    """The rows and counts alone: what the page polls so it refreshes without a full reload."""
    user = current_user(request)
    filters = QueueFilter.from_mapping(request.query_params)
    return render(request, "_queue_rows.html", _queue_context(request, user, filters, page), user=user)


@router.post("/queue/bulk")
async def bulk(request: Request, action: str = Form(...), assignee: str = Form(""), tier: str = Form(""),
               until: str = Form(""), back: str = Form("")):
    user = current_user(request)
    form = await request.form()
    ids = form_ids(form.getlist("ids"))
    if action in ("unhide",):
        user.require("moderate")
    else:
        user.require("triage")
    with tx(request) as session:
        if action == "unhide":
            from fandesk.moderation.service import moderate

            for item_id in ids:
                moderate(session, item_id=item_id, account_ids=user.account_ids, member_id=user.id, action="unhide")
        else:
            zone = "Asia/Shanghai"
            act_on_items(session, item_ids=ids, account_ids=user.account_ids, member_id=user.id, action=action,
                         assignee_id=int(assignee) if assignee.isdigit() else None, tier=tier or None,
                         until=parse_local(until, zone) if until else None)
    query = back if back and not back.startswith(("/", "http")) else ""
    if is_htmx(request):
        filters = QueueFilter.from_mapping(dict(_pairs(query)))
        return render(request, "_queue_rows.html", _queue_context(request, user, filters, 1), user=user)
    return RedirectResponse("/queue" + (f"?{query}" if query else ""), status_code=303)


def _pairs(query: str):
    from urllib.parse import parse_qsl

    return parse_qsl(query)
