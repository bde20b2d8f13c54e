"""The live sender in the outbox: "Send now" for one reply or the selection, "Retry" for a failed or
interrupted send. Sending waits on the network, so these routes run in the thread pool."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from fandesk.errors import Conflict, Invalid
from fandesk.replies.sender import plan_target, sender_from_settings
from fandesk.replies.sending import (
    RetryRefused,
    SendPolicy,
    is_interrupted,
    retry,
    send_outbox,
    sender_account_id,
)
from fandesk.web.common import CurrentUser, form_ids, tx, workspace
from fandesk.web.conflicts import told
from fandesk.web.i18n import gettext_
from fandesk.web.send_labels import send_reason

router = APIRouter()
OUTCOMES = ("posted", "failed", "held", "refused")


def _policy(request: Request) -> SendPolicy:
    # tests put a SendPolicy with a fake sleep and clock here
    return getattr(request.app.state, "send_policy", None) or SendPolicy.from_settings(workspace(request).settings)


def _sender(request: Request):
    """The sender the settings describe, built once per app (the SDK is imported on first use)."""
    settings = workspace(request).settings
    if not settings.live_sender:
        raise Invalid(gettext_("Live sending is off: export the outbox and post by hand, or ask the person who "
                               "runs fandesk to turn on FANDESK_LIVE_SENDER."))
    sender = getattr(request.app.state, "sender", None)
    if sender is None:
        try:
            sender = request.app.state.sender = sender_from_settings(settings)
        except Invalid:
            raise Invalid(gettext_("Live sending needs the xhs SDK, which is not installed: pip install -e "
                                   "'.[live]', then restart fandesk.")) from None
    return sender


def _sender_account(request: Request) -> int:
    try:
        with tx(request) as session:
            return sender_account_id(session, handle=workspace(request).settings.xhs_account)
    except Invalid:
        raise Invalid(gettext_("Live sending needs FANDESK_XHS_ACCOUNT: set it to the handle of an account here, "
                               "the one the cookie signs in as.")) from None


def send_status(request: Request, rows: list[dict]) -> dict:
    """What the outbox shows about live sending: whether it is on, and per reply why it waits for a person
    (a DM, no note id, another account), whether a send is under way or was cut off."""
    settings = workspace(request).settings
    policy = _policy(request)
    now = policy.clock()
    problem, sender_account = None, None
    if settings.live_sender:
        try:
            sender_account = _sender_account(request)
        except Invalid as exc:
            problem = str(exc)
    for row in rows:
        target = plan_target(kind=row["kind"], channel=row["channel"], note_id=row["note_id"],
                             comment_id=row["comment_id"])
        row["hold"] = target if isinstance(target, str) else None
        if row["hold"] is None and sender_account is not None and row["account_id"] != sender_account:
            row["hold"] = "other_account"
        row["interrupted"] = is_interrupted(status=row["status"], last_attempt_at=row["last_attempt_at"], now=now,
                                            policy=policy)
    handle = settings.xhs_account.strip().lstrip("@") or next((r["account"] for r in rows
                                                               if r["account_id"] == sender_account), "")
    sent = {k: int(request.query_params[k]) for k in OUTCOMES if request.query_params.get(k, "").isdigit()}
    return {"sender_on": settings.live_sender, "sender_problem": problem, "sender_handle": handle, "sent": sent,
            "send_reason": send_reason}


@router.post("/outbox/send")
def outbox_send(request: Request, user: CurrentUser, reply_ids: list[str] = Form([]), send_one: str = Form("")):
    """Send one reply (its row's button) or the ticked ones; the page then counts what happened."""
    user.require("post_reply")
    one = form_ids([send_one])
    reply_ids = one or form_ids(reply_ids)
    if not reply_ids:
        raise Invalid(gettext_("Select the replies to send first."))
    sender = _sender(request)
    sender_account = _sender_account(request)
    outcomes = send_outbox(workspace(request).sessions, account_ids=user.account_ids, member_id=user.id,
                           sender=sender, policy=_policy(request), sender_account=sender_account, reply_ids=reply_ids)
    if one and outcomes[0].outcome == "refused":  # asked for this one reply: say plainly why not
        raise Conflict(send_reason(outcomes[0].code, **outcomes[0].params))
    counts = {k: sum(o.outcome == k for o in outcomes) for k in OUTCOMES}
    return RedirectResponse("/outbox?" + urlencode(counts), status_code=303)


@router.post("/outbox/{reply_id}/retry")
def outbox_retry(request: Request, user: CurrentUser, reply_id: int):
    user.require("post_reply")
    try:
        with told(), tx(request) as session:
            retry(session, reply_id=reply_id, account_ids=user.account_ids, member_id=user.id,
                  policy=_policy(request))
    except RetryRefused as exc:
        raise Conflict(send_reason(exc.code, **exc.params)) from None
    return RedirectResponse("/outbox", status_code=303)
