"""Custom fields per account, for managers (/settings/fields): define, edit, order, deactivate. Also
says a refused field or value in the reader's language, for these routes and the follower card."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import select

from fandesk.errors import Invalid
from fandesk.people import custom_fields as fields
from fandesk.web.common import CurrentUser, render, tx
from fandesk.web.i18n import current_language, gettext_
from fandesk.web.labels import N_

router = APIRouter()

FIELD_TYPE_LABELS = {"text": N_("text"), "number": N_("number"), "date": N_("date"), "choice": N_("choice")}

# The service's messages (people/custom_fields.PROBLEMS), marked here for translation.
PROBLEM_MESSAGES = {
    "not_number": N_("%(field)s must be a number, like 3 or 2.5"),
    "not_date": N_("%(field)s must be a date, like 2026-05-20"),
    "not_choice": N_("%(field)s must be one of %(choices)s"),
    "text_too_long": N_("%(field)s is too long: keep it under %(limit)s characters"),
    "bad_key": N_("The key “%(key)s” cannot be used: start with a letter, then letters, digits or _ "
                  "(at most 64), for example skin_type"),
    "duplicate_key": N_("This account already has a field with the key “%(key)s”: pick another key, or edit "
                        "that field"),
    "no_label": N_("Give the field a label, the name the follower card shows (for example Skin type)"),
    "label_too_long": N_("The label is too long: keep it under %(limit)s characters"),
    "bad_type": N_("Type “%(type)s” is not known: choose text, number, date or choice"),
    "no_choices": N_("A choice field needs at least one choice: write the choices one per line"),
    "duplicate_choice": N_("The choice “%(choice)s” is listed twice: list each choice once"),
    "choice_too_long": N_("The choice “%(choice)s” is too long: keep each choice under %(limit)s characters"),
    "too_many_choices": N_("Too many choices: at most %(limit)s"),
    "type_refused": N_("%(field)s cannot become %(type)s: %(count)s stored value(s) would not fit, for example "
                       "“%(example)s”. Fix or clear them on the follower cards first."),
    "choices_refused": N_("%(field)s: %(count)s stored value(s) are not among the new choices, for example "
                          "“%(example)s”. Keep that choice, or fix those values on the follower cards first."),
}


def type_label(field_type: str) -> str:
    return gettext_(FIELD_TYPE_LABELS.get(field_type, field_type))


def explain(problem: fields.FieldProblem) -> str:
    """The refusal in the reader's language."""
    params = dict(problem.params)
    if "choices" in params:
        params["choices"] = ("、" if current_language() == "zh" else ", ").join(params["choices"])
    if "type" in params and params["type"] in FIELD_TYPE_LABELS:
        params["type"] = type_label(params["type"])
    return gettext_(PROBLEM_MESSAGES[problem.code], **params)


@contextmanager
def explained() -> Iterator[None]:
    """Around a transaction: a refused field or value reaches the person translated (the transaction
    has rolled back by then)."""
    try:
        yield
    except fields.FieldProblem as problem:
        raise Invalid(explain(problem)) from problem


def _page_context(session, user, edit: int | None, account: int | None, key: str) -> dict:
    from fandesk.workspace.models import Account

    accounts = session.scalars(select(Account).where(Account.id.in_(user.account_ids)).order_by(Account.id)).all()
    defined = fields.definitions(session, account_ids=user.account_ids)
    sections = []
    for a in accounts:
        stored = fields.stored_values(session, account_id=a.id)
        rows = []
        for d in (d for d in defined if d.account_id == a.id):
            values = stored.get(d.key, [])
            bad, _ = fields.misfits(values, d.field_type, fields.choices_of(d))
            rows.append({"definition": d, "choices": fields.choices_of(d), "value_count": sum(n for _, n in values),
                         "misfits": bad})
        keys = {d.key for d in defined if d.account_id == a.id}
        undefined = sorted((name, sum(n for _, n in values)) for name, values in stored.items() if name not in keys)
        sections.append({"account": a, "rows": rows, "undefined": undefined})
    editing = None
    if edit is not None:
        editing = fields.visible_definition(session, definition_id=edit, account_ids=user.account_ids)
    return {"sections": sections, "editing": editing,
            "editing_choices": "\n".join(fields.choices_of(editing)) if editing else "",
            "prefill_account": account, "prefill_key": key, "field_types": list(FIELD_TYPE_LABELS),
            "type_label": type_label, "saved": False}


@router.get("/settings/fields")
def fields_page(request: Request, user: CurrentUser, edit: str = "", account: str = "", key: str = ""):
    user.require("manage_settings")
    with tx(request) as session:
        context = _page_context(session, user, int(edit) if edit.isdigit() else None,
                                int(account) if account.isdigit() else None, key.strip()[:64])
    return render(request, "settings_fields.html", context, user=user)


def _back() -> RedirectResponse:
    return RedirectResponse("/settings/fields", status_code=303)


@router.post("/settings/fields")
def add_field(request: Request, user: CurrentUser,
              account_id: str = Form(""), key: str = Form(""), label: str = Form(""),
              field_type: str = Form("text"), choices: str = Form("")):
    user.require("manage_settings")
    with explained(), tx(request) as session:
        fields.add_definition(session, account_id=int(account_id) if account_id.isdigit() else 0,
                              account_ids=user.account_ids, member_id=user.id, key=key, label=label,
                              field_type=field_type, choices=fields.choices_from_text(choices))
    return _back()


@router.post("/settings/fields/{definition_id}")
def edit_field(request: Request, user: CurrentUser,
               definition_id: int, label: str = Form(""), field_type: str = Form("text"),
               choices: str = Form("")):
    user.require("manage_settings")
    with explained(), tx(request) as session:
        fields.update_definition(session, definition_id=definition_id, account_ids=user.account_ids,
                                 member_id=user.id, label=label, field_type=field_type,
                                 choices=fields.choices_from_text(choices))
    return _back()


@router.post("/settings/fields/{definition_id}/move")
def move_field(request: Request, user: CurrentUser, definition_id: int, direction: str = Form("")):
    user.require("manage_settings")
    with tx(request) as session:
        fields.move_definition(session, definition_id=definition_id, account_ids=user.account_ids,
                               member_id=user.id, direction=direction)
    return _back()


@router.post("/settings/fields/{definition_id}/active")
def activate_field(request: Request, user: CurrentUser, definition_id: int, active: str = Form("")):
    user.require("manage_settings")
    with tx(request) as session:
        fields.set_active(session, definition_id=definition_id, account_ids=user.account_ids, member_id=user.id,
                          active=active == "1")
    return _back()
