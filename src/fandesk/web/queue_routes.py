"""The queue page, its rows (polled by HTMX), and bulk actions on a selection."""

from __future__ import annotations

import logging
import threading
import time
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from fandesk.db import transaction
from fandesk.inbox.actions import act_on_items
from fandesk.inbox.models import STATUSES, TIERS
from fandesk.inbox.presence import on_items
from fandesk.inbox.queue import (
    QueueFilter,
    member_choices,
    note_choices,
    queue,
    queue_revision,
    tag_choices,
    tier_counts,
)
from fandesk.understanding.analysis import CATEGORIES
from fandesk.web.common import CurrentUser, form_ids, is_htmx, off_loop, render, tx
from fandesk.web.i18n import current_language
from fandesk.web.labels import translated

router = APIRouter()
SENTIMENTS = ("positive", "neutral", "negative")


def _queue_context(request: Request, user, filters: QueueFilter, page: int, *, whole_page: bool = False) -> dict:
    """What the rows need; for the whole page also the filter form and the out-of-office banner."""
    from fandesk.workspace.models import Account
    from fandesk.workspace.out_of_office import notices_in_effect

    with tx(request) as session:
        rows = queue(session, account_ids=user.account_ids, member_id=user.id, filters=filters,
                     offset=max(page - 1, 0) * 50)
        revision = queue_revision(session)
        counts = _counts(request, session, user, filters, revision)
        choices = _choices(request, session, user, revision)
        presence = on_items(session, item_ids=[r.id for r in rows], me=user.id)
        away = notices_in_effect(session, account_ids=user.account_ids) if whole_page else []
    accounts: list[Account] = choices["accounts"]
    context = {"rows": rows, "counts": counts, "filters": filters, "accounts": accounts,
               "zones": {a.handle: a.time_zone for a in accounts}, "presence": presence, "page": page,
               "tiers": TIERS, "away": away, "query": urlencode(filters.as_query()),
               "with_query": lambda **c: urlencode(filters.as_query(**c))}
    if whole_page:
        context["filters_html"] = _filters_html(request, user, filters, choices, revision)
    return context


def _filters_html(request: Request, user, filters: QueueFilter, choices: dict, revision: int) -> Markup:
    """The views and the filter form: the same for everyone with these accounts, filters and language until
    the menus' choices change, so rendered once and reused (about a tenth of the page's work)."""
    def compute() -> Markup:
        notes = choices["notes"]
        if filters.note.isdigit() and int(filters.note) not in dict(notes):
            notes = [*notes, (int(filters.note), "#" + filters.note)]
        return Markup(request.app.state.templates.get_template("_queue_filters.html").render(
            filters=filters, accounts=choices["accounts"], members=choices["members"], notes=notes,
            tag_names=choices["tags"], tiers=TIERS, statuses=STATUSES, categories=CATEGORIES, sentiments=SENTIMENTS,
            L=translated()))

    key = ("filters", current_language(), tuple(user.account_ids), revision, tuple(sorted(filters.as_query().items())))
    return _cached(request, key, CHOICES_SECONDS, compute)


COUNTS_SECONDS = 5.0
CHOICES_SECONDS = 30.0


def _cached(request: Request, key: tuple, seconds: float, compute, *, refresh_later=None):
    """Per process: a value reused for a few seconds (the key says what it depends on). With
    `refresh_later`, an expired value is still served while a background thread computes the next one."""
    cache = request.app.state.count_cache
    hit = cache.get(key)
    now = time.monotonic()
    if hit is not None and now - hit[0] < seconds:
        return hit[1]
    if hit is not None and refresh_later is not None:
        _refresh_in_background(cache, key, refresh_later)
        return hit[1]
    value = compute()
    _store(cache, key, value)
    return value


def _store(cache: dict, key: tuple, value) -> None:
    if len(cache) > 1000:
        cache.clear()
    cache[key] = (time.monotonic(), value)


_refreshing: set[tuple] = set()


def _refresh_in_background(cache: dict, key: tuple, compute) -> None:
    """Compute a value again in a thread: SQLite works without the GIL, so the event loop keeps answering
    while a count scans a large queue. One refresh per key at a time; a failed one keeps the old value."""
    if key in _refreshing:
        return
    _refreshing.add(key)

    def run():
        try:
            _store(cache, key, compute())
        except Exception:  # the page keeps the last counts; the next expiry tries again
            logging.getLogger(__name__).exception("refreshing the queue counts failed")
        finally:
            _refreshing.discard(key)

    threading.Thread(target=run, daemon=True).start()


def _counts(request: Request, session, user, filters: QueueFilter, revision: int) -> dict:
    """Counts per tier, reused for a few seconds across pollers with the same accounts and filters, then
    refreshed in the background (on 100,000 open items a count takes ~30 ms, which would stall every request
    behind it); any change a person makes to the queue (the shared queue revision) is counted at once, in
    every worker."""
    personal = "me" in (filters.view, filters.assignee) or filters.view == "mine"
    key = ("counts", tuple(user.account_ids), user.id if personal else 0,
           tuple(sorted(filters.as_query(tier="", view=filters.view).items())), revision)

    def later() -> dict:
        with transaction(request.app.state.workspace.sessions) as own:
            return tier_counts(own, account_ids=user.account_ids, member_id=user.id, filters=filters)

    return _cached(request, key, COUNTS_SECONDS, lambda: tier_counts(session, account_ids=user.account_ids,
                                                                     member_id=user.id, filters=filters),
                   refresh_later=later)


def _choices(request: Request, session, user, revision: int) -> dict:
    """What the filter menus offer: accounts, assignees, notes and tags (they change slowly; a new tag
    bumps the queue revision)."""
    from sqlalchemy import select

    from fandesk.workspace.models import Account

    def compute():
        accounts = list(session.scalars(select(Account).where(Account.id.in_(user.account_ids))
                                        .order_by(Account.handle))) if user.account_ids else []
        for account in accounts:
            session.expunge(account)
        return {"accounts": accounts, "members": member_choices(session, account_ids=user.account_ids),
                "notes": note_choices(session, account_ids=user.account_ids),
                "tags": tag_choices(session, account_ids=user.account_ids)}

    return _cached(request, ("choices", tuple(user.account_ids), revision), CHOICES_SECONDS, compute)


@router.get("/queue")
async def queue_page(request: Request, user: CurrentUser, page: int = 1):
    filters = QueueFilter.from_mapping(request.query_params)
    context = await off_loop(request, _queue_context, request, user, filters, page, whole_page=True)
    return render(request, "queue.html", context, user=user)


@router.get("/queue/rows")
async def queue_rows(request: Request, user: CurrentUser, page: int = 1):
    """The rows and counts alone: what the page polls so it refreshes without a full reload."""
    filters = QueueFilter.from_mapping(request.query_params)
    return render(request, "_queue_rows.html", await off_loop(request, _queue_context, request, user, filters, page),
                  user=user)


@router.post("/queue/bulk")
async def bulk(request: Request, user: CurrentUser,
               action: str = Form(...), assignee: str = Form(""), tier: str = Form(""),
               until: str = Form(""), back: str = Form("")):
    form = await request.form()
    ids = form_ids(form.getlist("ids"))
    if action in ("unhide",):
        user.require("moderate")
    else:
        user.require("triage")

    def write() -> None:  # in the thread pool: a write may wait for an import's chunk
        with tx(request) as session:
            if action == "unhide":
                from fandesk.moderation.service import moderate

                for item_id in ids:
                    moderate(session, item_id=item_id, account_ids=user.account_ids, member_id=user.id,
                             action="unhide")
            else:
                act_on_items(session, item_ids=ids, account_ids=user.account_ids, member_id=user.id, action=action,
                             assignee_id=int(assignee) if assignee.isdigit() else None, tier=tier or None,
                             until=until)

    await run_in_threadpool(write)
    query = back if back and not back.startswith(("/", "http")) else ""
    if is_htmx(request):
        filters = QueueFilter.from_mapping(dict(_pairs(query)))
        return render(request, "_queue_rows.html", await off_loop(request, _queue_context, request, user, filters, 1),
                      user=user)
    return RedirectResponse("/queue" + (f"?{query}" if query else ""), status_code=303)


def _pairs(query: str):
    from urllib.parse import parse_qsl

    return parse_qsl(query)
