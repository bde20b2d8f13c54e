"""Common questions (the FAQ): the month's questions of one of the person's accounts, grouped into the
same question asked in other words, each with the items behind its count; a manager turns one into a
reply template. The routes call fandesk.questions.service and hold no queries."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from fandesk.errors import Invalid
from fandesk.questions.service import common_questions, template_from_question, this_month
from fandesk.web.common import CurrentUser, render, tx

router = APIRouter()
LIMIT = 30


def _account(accounts, handle: str):
    """One of the person's accounts by handle (the first when none is asked for)."""
    handle = handle.strip().lstrip("@")
    if not accounts:
        return None
    if not handle:
        return accounts[0]
    found = next((a for a in accounts if a.handle == handle), None)
    if found is None:
        raise Invalid(f"account {handle!r}: not one of yours; choose one from the list")
    return found


@router.get("/questions")
def questions_page(request: Request, user: CurrentUser, account: str = "", month: str = ""):
    from fandesk.members.sign_in import accounts_of

    with tx(request) as session:
        accounts = accounts_of(session, user.id)
        chosen = _account(accounts, account)
        month = month.strip() or (this_month(chosen.time_zone) if chosen else "")
        questions = common_questions(session, account_id=chosen.id, month=month, limit=LIMIT) if chosen else []
    return render(request, "questions.html", {"accounts": accounts, "account": chosen, "month": month,
                                              "questions": questions, "asked": sum(q.count for q in questions)},
                  user=user)


@router.post("/questions/template")
def question_to_template(request: Request, user: CurrentUser,
                         account: str = Form(""), month: str = Form(""), rank: str = Form(""),
                         answer: str = Form("")):
    """"Add to the template library": the answer to the question ranked `rank` on the page the manager saw,
    titled after it, in that account's library; then the template opens for editing."""
    from fandesk.members.sign_in import accounts_of

    user.require("edit_templates")
    if not rank.isdigit() or int(rank) < 1:
        raise Invalid("question: choose a question from the list")
    with tx(request) as session:
        chosen = _account(accounts_of(session, user.id), account)
        if chosen is None:
            raise Invalid("account: you run no account")
        questions = common_questions(session, account_id=chosen.id, month=month, limit=LIMIT)
        if int(rank) > len(questions):
            raise Invalid("question: the list has changed since the page was shown; open it again")
        template = template_from_question(session, member_id=user.id, account_ids=user.account_ids,
                                          account_id=chosen.id, question=questions[int(rank) - 1], answer=answer)
        template_id = template.id
    return RedirectResponse(f"/templates?{urlencode({'edit': template_id})}", status_code=303)
