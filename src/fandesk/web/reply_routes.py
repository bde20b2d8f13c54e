"""Replies: draft (template or model), live quality check, save, submit, approve/reject, the outbox
with its export, and the template library."""

from __future__ import annotations

import orjson
from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from fandesk.errors import Invalid
from fandesk.inbox.context import visible_item
from fandesk.people.models import Person
from fandesk.replies import service
from fandesk.replies.export import outbox_csv
from fandesk.replies.quality import check_reply
from fandesk.replies.templates import KINDS, copy_template, editable, list_templates, save_template
from fandesk.web.common import CurrentUser, form_ids, is_htmx, off_loop, render, tx
from fandesk.web.conflicts import told
from fandesk.web.i18n import gettext_
from fandesk.web.item_routes import done
from fandesk.web.labels import EXPORT_HEADERS
from fandesk.web.send_routes import router as send_router
from fandesk.web.send_routes import send_status

router = APIRouter()
router.include_router(send_router)  # the live sender's "Send now" and "Retry" on the outbox
EXPORT_FIELDS = ("reply_id", "account", "channel", "kind", "nickname", "comment_text", "text", "note_url", "note_id",
                 "comment_id", "user_id", "author", "approver", "edit_distance", "source")


@router.post("/items/{item_id}/draft")
async def draft(request: Request, user: CurrentUser,
                item_id: int, template_id: str = Form(""), source: str = Form("template")):
    user.require("draft_reply")
    text = None
    if source == "llm":  # waits on the network: in the thread pool, not on the event loop
        text = await run_in_threadpool(_llm_draft, request, user, item_id)

    def write() -> None:  # a write may wait for an import's chunk: in the thread pool, not on the event loop
        with told(), tx(request) as session:
            service.start_draft(session, item_id=item_id, account_ids=user.account_ids, member_id=user.id,
                                template_id=int(template_id) if template_id.isdigit() else None, text=text,
                                source="own" if source == "own" else "llm" if text is not None else None)

    await run_in_threadpool(write)
    return await off_loop(request, done, request, user, item_id)


def _llm_draft(request: Request, user, item_id: int) -> str:
    from fandesk.inbox.context import item_context
    from fandesk.replies.llm import LlmError, draft_with_model

    config = request.app.state.llm
    if config is None:
        raise Invalid("no language model is configured: use a template")
    with tx(request) as session:
        ctx = item_context(session, item_id=item_id, account_ids=user.account_ids)
    try:
        return draft_with_model(config, ctx)
    except LlmError as exc:
        raise Invalid(str(exc)) from None


@router.post("/replies/{reply_id}/check")
def check(request: Request, user: CurrentUser, reply_id: int, text: str = Form("")):
    """The checklist for the text as it is being typed (not saved)."""
    with tx(request) as session:
        reply = service.visible_reply(session, reply_id=reply_id, account_ids=user.account_ids)
        item = visible_item(session, item_id=reply.item_id, account_ids=user.account_ids)
        person = session.get(Person, item.person_id) if item.person_id else None
        checks = check_reply(text, comment=item.text, nickname=(person.nickname or "") if person else "",
                             language=item.language, category=item.category, is_question=item.is_question)
    return render(request, "_checklist.html", {"checks": checks}, user=user)


@router.post("/replies/{reply_id}/save")
def save(request: Request, user: CurrentUser, reply_id: int, text: str = Form("")):
    user.require("draft_reply")
    with told(), tx(request) as session:
        reply = service.save_draft(session, reply_id=reply_id, account_ids=user.account_ids, member_id=user.id,
                                   text=text)
        item_id = reply.item_id
    return done(request, user, item_id)


@router.post("/replies/{reply_id}/submit")
def submit(request: Request, user: CurrentUser, reply_id: int, text: str = Form("")):
    from fandesk.members.models import Member

    user.require("submit_reply")
    with told(), tx(request) as session:
        member = session.get(Member, user.id)
        reply = service.submit(session, reply_id=reply_id, account_ids=user.account_ids, member=member,
                               text=text if text.strip() else None)
        item_id = reply.item_id
    return done(request, user, item_id)


@router.post("/replies/{reply_id}/review")
def review(request: Request, user: CurrentUser,
           reply_id: int, decision: str = Form(...), note: str = Form(""), text: str = Form("")):
    from fandesk.members.models import Member

    user.require("approve_reply")
    with told(), tx(request) as session:
        member = session.get(Member, user.id)
        reply = service.review(session, reply_id=reply_id, account_ids=user.account_ids, member=member,
                               approve=decision == "approve", note=note, text=text or None)
        item_id = reply.item_id
    return done(request, user, item_id)


@router.get("/outbox")
def outbox_page(request: Request, user: CurrentUser, marked: int = 0):
    """`marked`: how many replies were just marked posted by hand, said at the top."""
    with tx(request) as session:
        rows = service.outbox(session, account_ids=user.account_ids)
    return render(request, "outbox.html", {"rows": rows, "marked": max(marked, 0), **send_status(request, rows)},
                  user=user)


@router.get("/outbox/export.{fmt}")
def outbox_export(request: Request, user: CurrentUser, fmt: str):
    user.require("post_reply")
    if fmt not in ("csv", "json"):
        raise Invalid("export as csv or json")
    with tx(request) as session:
        rows = [{k: r[k] for k in EXPORT_FIELDS} for r in service.outbox(session, account_ids=user.account_ids)]
    headers = {"Content-Disposition": f'attachment; filename="fandesk-outbox.{fmt}"'}
    if fmt == "json":
        return Response(orjson.dumps(rows, option=orjson.OPT_INDENT_2), media_type="application/json",
                        headers=headers)
    headers_in_words = {field: gettext_(EXPORT_HEADERS[field]) for field in EXPORT_FIELDS}
    return Response(outbox_csv(rows, EXPORT_FIELDS, headers_in_words), media_type="text/csv; charset=utf-8",
                    headers=headers)


@router.post("/outbox/posted")
async def outbox_posted(request: Request, user: CurrentUser):
    user.require("post_reply")
    form = await request.form()

    def write() -> int:  # in the thread pool: a write may wait for an import's chunk
        with told(), tx(request) as session:
            return service.mark_posted(session, reply_ids=form_ids(form.getlist("reply_ids")),
                                       account_ids=user.account_ids, member_id=user.id)

    marked = await run_in_threadpool(write)
    if is_htmx(request):
        return await off_loop(request, outbox_page, request, user, marked)
    return RedirectResponse(f"/outbox?marked={marked}", status_code=303)


@router.get("/templates")
def templates_page(request: Request, user: CurrentUser, edit: int = 0):
    """The workspace's templates and those of the person's accounts, each saying whose it is; a manager
    edits their accounts' and copies a workspace template into an account (a manager of every account
    edits the workspace's too)."""
    from fandesk.members.sign_in import accounts_of
    from fandesk.workspace.service import runs_every_account

    with tx(request) as session:
        templates = list_templates(session, account_ids=user.account_ids)
        every = runs_every_account(session, account_ids=user.account_ids)
        accounts = accounts_of(session, user.id)
        mine = {t.id for t in templates if editable(session, template=t, account_ids=user.account_ids)}
    editing = next((t for t in templates if t.id == edit and t.id in mine), None)
    return render(request, "templates.html", {"templates": templates, "kinds": KINDS, "editing": editing,
                                              "editable": mine, "every": every, "accounts": accounts,
                                              "handles": {a.id: a.handle for a in accounts}}, user=user)


def _account_choice(account: str, user) -> int | None:
    """The account a new template or a copy is for: one of the person's ("workspace": every account);
    when the form says nothing, their first account."""
    if account == "workspace":
        return None
    if account.isdigit():
        return int(account)
    if not user.account_ids:
        raise Invalid(gettext_("You are on no account."))
    return user.account_ids[0]


@router.post("/templates")
def templates_save(request: Request, user: CurrentUser,
                   template_id: str = Form(""), kind: str = Form(...), key: str = Form(...),
                   language: str = Form(...), title: str = Form(""), body: str = Form(""), active: str = Form(""),
                   account: str = Form("")):
    user.require("edit_templates")
    with tx(request) as session:
        save_template(session, member_id=user.id, account_ids=user.account_ids,
                      template_id=int(template_id) if template_id.isdigit() else None, kind=kind, key=key,
                      language=language, title=title, body=body, active=bool(active),
                      account_id=_account_choice(account, user))
    return RedirectResponse("/templates", status_code=303)


@router.post("/templates/{template_id}/copy")
def templates_copy(request: Request, user: CurrentUser, template_id: int, account: str = Form("")):
    """A workspace template copied into one of the manager's accounts, then opened for editing there."""
    user.require("edit_templates")
    with tx(request) as session:
        copy = copy_template(session, member_id=user.id, account_ids=user.account_ids, template_id=template_id,
                             account_id=_account_choice(account, user))
        copy_id = copy.id
    return RedirectResponse(f"/templates?edit={copy_id}", status_code=303)
