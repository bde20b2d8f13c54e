"""The item page: thread, reasons, follower card, reply panel; actions, card edits and moderation."""

from __future__ import annotations

import orjson
from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from starlette.concurrency import run_in_threadpool

from fandesk.inbox import actions, presence
from fandesk.inbox.context import item_context, visible_item
from fandesk.inbox.models import TIERS
from fandesk.inbox.queue import member_choices
from fandesk.moderation.service import GUIDELINES, moderate, next_step, violations
from fandesk.replies.quality import check_reply
from fandesk.replies.service import current_draft, replies_of_item, reply_language
from fandesk.replies.templates import list_templates
from fandesk.web.common import CurrentUser, is_htmx, off_loop, render, tx, workspace
from fandesk.web.conflicts import told
from fandesk.web.field_routes import explained
from fandesk.workspace.out_of_office import notice_text

router = APIRouter()


def item_page_context(request: Request, user, item_id: int) -> dict:
    with tx(request) as session:
        ctx = item_context(session, item_id=item_id, account_ids=user.account_ids)
        item = ctx["item"]
        if ctx["card"]:  # the person's moderation history, beside the card
            ctx["card"]["violations"] = violations(session, account_id=item.account_id, person_id=item.person_id)
        draft = current_draft(session, item_id=item.id)
        ctx["draft"] = draft
        ctx["draft_reasons"] = orjson.loads(draft.approval_reasons or "[]") if draft is not None else []
        ctx["replies"] = replies_of_item(session, item_id=item.id)
        ctx["templates"] = [t for t in list_templates(session, account_ids=[item.account_id], kind="reply") if t.active]
        ctx["members"] = member_choices(session, account_ids=[item.account_id])
        # the account's out-of-office notice, while in effect: new drafts open with it (replies.service)
        ctx["away"] = notice_text(session, account_id=item.account_id, language=reply_language(item))
        if draft is not None:
            ctx["checks"] = check_reply(draft.text, comment=item.text, nickname=_nickname(ctx),
                                        language=item.language, category=item.category, is_question=item.is_question)
            from fandesk.members.models import Member

            author = session.get(Member, draft.author_id) if draft.author_id else None
            ctx["draft_author"] = author.name if author else ""
        ctx["others"] = presence.others(session, item_id=item.id, me=user.id)
    ctx.update({"tiers": TIERS, "guidelines": list(GUIDELINES),
                "next_step": _suggested_step(ctx),
                "llm": request.app.state.llm is not None, "checks": ctx.get("checks", []),
                "draft_author": ctx.get("draft_author", "")})
    return ctx


def _suggested_step(ctx: dict) -> str | None:
    """The moderation step to suggest, only where a guideline looks broken: the item reads as abuse or
    spam, or the person already has steps against them (the ladder goes on). A harmless fan gets none."""
    history = ctx["card"].get("violations", []) if ctx["card"] else []
    if ctx["item"].category in ("abuse", "spam") or history:
        return next_step(history)
    return None


def _nickname(ctx: dict) -> str:
    card = ctx["card"]
    return (card["person"].nickname or "") if card else ""


def show_item(request: Request, user, item_id: int, status_code: int = 200):
    return render(request, "item.html", item_page_context(request, user, item_id), user=user,
                  status_code=status_code)


def done(request: Request, user, item_id: int):
    """After a change: HTMX gets the page back (it swaps the main part); a plain form is redirected."""
    if is_htmx(request):
        return show_item(request, user, item_id)
    return RedirectResponse(f"/items/{item_id}", status_code=303)


@router.get("/items/{item_id}")
async def item_page(request: Request, user: CurrentUser, item_id: int):
    """A read; then the mark that the person is on the item, off the event loop and skipped rather than
    waiting behind an import's write (the page's poll writes it again)."""
    response = await off_loop(request, show_item, request, user, item_id)
    await run_in_threadpool(presence.touch_if_free, workspace(request).engine, item_id=item_id, member_id=user.id)
    return response


def _others_on(request: Request, user, item_id: int) -> list[str]:
    with tx(request) as session:
        visible_item(session, item_id=item_id, account_ids=user.account_ids)
        return presence.others(session, item_id=item_id, me=user.id)


@router.get("/items/{item_id}/presence")
async def item_presence(request: Request, user: CurrentUser, item_id: int):
    others = await off_loop(request, _others_on, request, user, item_id)
    await run_in_threadpool(presence.touch_if_free, workspace(request).engine, item_id=item_id, member_id=user.id)
    return render(request, "_presence.html", {"others": others}, user=user)


@router.post("/items/{item_id}/action")
def item_action(request: Request, user: CurrentUser, item_id: int, action: str = Form(...), assignee: str = Form(""),
                tier: str = Form(""), until: str = Form(""), seen_assignee: str = Form(""),
                seen_status: str = Form("")):
    """An action from the item page, which says what it showed (the assignee's id or "none", and the
    status): someone else's change since then is not overwritten, and the person is told who made it."""
    user.require("triage")
    seen = {}
    if seen_assignee.isdigit() or seen_assignee == "none":
        seen["seen_assignee_id"] = int(seen_assignee) if seen_assignee.isdigit() else None
    with told(), tx(request) as session:
        actions.act_on_item(session, item_id=item_id, account_ids=user.account_ids, member_id=user.id, action=action,
                            assignee_id=int(assignee) if assignee.isdigit() else None, tier=tier or None,
                            until=until, seen_status=seen_status or None, **seen)
    return done(request, user, item_id)


@router.post("/items/{item_id}/tags")
def item_tags(request: Request, user: CurrentUser, item_id: int, tags: str = Form("")):
    user.require("edit_follower")
    with tx(request) as session:
        actions.set_tags(session, item_id=item_id, account_ids=user.account_ids, member_id=user.id,
                         tags=tags.replace("，", ",").replace(",", " ").split())
    return done(request, user, item_id)


@router.post("/items/{item_id}/notes")
def item_note(request: Request, user: CurrentUser, item_id: int, text: str = Form("")):
    user.require("edit_follower")
    with tx(request) as session:
        actions.add_note(session, item_id=item_id, account_ids=user.account_ids, member_id=user.id, text=text)
    return done(request, user, item_id)


@router.post("/items/{item_id}/fields")
def item_field(request: Request, user: CurrentUser, item_id: int, name: str = Form(""), value: str = Form("")):
    user.require("edit_follower")
    with explained(), tx(request) as session:
        actions.set_field(session, item_id=item_id, account_ids=user.account_ids, member_id=user.id, name=name,
                          value=value)
    return done(request, user, item_id)


@router.post("/items/{item_id}/moderate")
def item_moderate(request: Request, user: CurrentUser, item_id: int, action: str = Form(...), guideline: str = Form(""),
                  message: str = Form("")):
    user.require("block" if action in ("block", "unblock") else "moderate")
    with tx(request) as session:
        moderate(session, item_id=item_id, account_ids=user.account_ids, member_id=user.id, action=action,
                 guideline=guideline or None, message=message or None)
    return done(request, user, item_id)
