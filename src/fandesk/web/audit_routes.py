"""The audit log, for managers: every change on their accounts with who, when, what, before and after."""

from __future__ import annotations

from fastapi import APIRouter, Request

from fandesk.audit.service import browse
from fandesk.web.common import CurrentUser, render, tx

router = APIRouter()


@router.get("/audit")
def audit_page(request: Request, user: CurrentUser, action: str = "", member: str = ""):
    from fandesk.inbox.queue import member_choices

    user.require("view_audit")
    from fandesk.workspace.service import runs_every_account

    with tx(request) as session:
        events = browse(session, account_ids=user.account_ids,
                        every_account=runs_every_account(session, account_ids=user.account_ids),
                        action=action.strip() or None, member_id=int(member) if member.isdigit() else None)
        members = member_choices(session, account_ids=user.account_ids)
    return render(request, "audit.html", {"events": events, "action": action, "member": member,
                                          "members": members}, user=user)
