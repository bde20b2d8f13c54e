"""Custom fields defined per account (text, number, date, choice): what a manager may define, how a
value typed on the follower card is checked, and which stored values do not fit their definition.

Values stay text in PersonField: a follower sheet is imported as it is, and a value that does not fit
is shown as such on the card for a moderator to fix, never rejected at import."""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

import orjson
from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from fandesk.audit.service import record
from fandesk.errors import Invalid, NotFound
from fandesk.people.models import FIELD_TYPES, CustomFieldDefinition, PersonField

KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,63}$")  # also a template blank: {skin_type}
MAX_LABEL = 100
MAX_CHOICE = 100
MAX_CHOICES = 100
MAX_TEXT = 2000
_DATE_PARTS = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")

# What a person reads when a field or a value is refused. The web layer shows the same messages
# translated (web/field_routes.py); a test keeps the two tables equal.
PROBLEMS = {
    "not_number": "%(field)s must be a number, like 3 or 2.5",
    "not_date": "%(field)s must be a date, like 2026-05-20",
    "not_choice": "%(field)s must be one of %(choices)s",
    "text_too_long": "%(field)s is too long: keep it under %(limit)s characters",
    "bad_key": "The key “%(key)s” cannot be used: start with a letter, then letters, digits or _ "
               "(at most 64), for example skin_type",
    "duplicate_key": "This account already has a field with the key “%(key)s”: pick another key, or edit "
                     "that field",
    "no_label": "Give the field a label, the name the follower card shows (for example Skin type)",
    "label_too_long": "The label is too long: keep it under %(limit)s characters",
    "bad_type": "Type “%(type)s” is not known: choose text, number, date or choice",
    "no_choices": "A choice field needs at least one choice: write the choices one per line",
    "duplicate_choice": "The choice “%(choice)s” is listed twice: list each choice once",
    "choice_too_long": "The choice “%(choice)s” is too long: keep each choice under %(limit)s characters",
    "too_many_choices": "Too many choices: at most %(limit)s",
    "type_refused": "%(field)s cannot become %(type)s: %(count)s stored value(s) would not fit, for example "
                    "“%(example)s”. Fix or clear them on the follower cards first.",
    "choices_refused": "%(field)s: %(count)s stored value(s) are not among the new choices, for example "
                       "“%(example)s”. Keep that choice, or fix those values on the follower cards first.",
}


class FieldProblem(Invalid):
    """A custom field or value refused: `code` names the problem and `params` fill its message, so the
    web layer can say it in the reader's language."""

    def __init__(self, code: str, **params):
        self.code = code
        self.params = params
        shown = {k: ", ".join(v) if isinstance(v, list | tuple) else v for k, v in params.items()}
        super().__init__(PROBLEMS[code] % shown)


def choices_of(definition: CustomFieldDefinition) -> list[str]:
    return list(orjson.loads(definition.choices)) if definition.choices else []


def choices_from_text(text: str) -> list[str]:
    """Choices as a manager types them: one per line (blank lines ignored)."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def parse_date(text: str) -> date | None:
    """A date as people write it: 2026-05-20, 2026/5/20, 2026.5.20, 2026年5月20日, or a spreadsheet's
    date-time (its date)."""
    text = unicodedata.normalize("NFKC", text).strip()
    found = _DATE_PARTS.match(text)
    try:
        if found:
            return date(*(int(part) for part in found.groups()))
        return datetime.fromisoformat(text).date()
    except ValueError:
        return None


def parse_number(text: str) -> str | None:
    """The number as text (full-width digits made plain), or None when it is not a finite number."""
    text = unicodedata.normalize("NFKC", text).strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    return text if number.is_finite() else None


def value_problem(field_type: str, choices: list[str], value: str | None) -> str | None:
    """Why a stored value does not fit its field ('number', 'date', 'choice'), or None when it fits;
    an empty value always fits (it means: not known)."""
    if value is None or not value.strip():
        return None
    if field_type == "number" and parse_number(value) is None:
        return "number"
    if field_type == "date" and parse_date(value) is None:
        return "date"
    if field_type == "choice" and value.strip() not in choices:
        return "choice"
    return None


def check_value(definition: CustomFieldDefinition | None, name: str, value: str) -> str | None:
    """The value to store for a field, in its plain form (dates as 2026-05-20), None to clear it; refuses
    a value that does not fit the field's type, naming the field and what to write."""
    value = (value or "").strip()
    if not value:
        return None
    label = definition.label if definition is not None else name
    if len(value) > MAX_TEXT:
        raise FieldProblem("text_too_long", field=label, limit=MAX_TEXT)
    if definition is None or definition.field_type == "text":
        return value
    if definition.field_type == "number":
        number = parse_number(value)
        if number is None:
            raise FieldProblem("not_number", field=label)
        return number
    if definition.field_type == "date":
        day = parse_date(value)
        if day is None:
            raise FieldProblem("not_date", field=label)
        return day.isoformat()
    choices = choices_of(definition)
    if value not in choices:
        shown = choices[:12] + (["…"] if len(choices) > 12 else [])
        raise FieldProblem("not_choice", field=label, choices=shown)
    return value


def definitions(session: Session, *, account_ids: list[int], active_only: bool = False
                ) -> list[CustomFieldDefinition]:
    """The fields defined on these accounts, in each account's order."""
    query = select(CustomFieldDefinition).where(CustomFieldDefinition.account_id.in_(account_ids))
    if active_only:
        query = query.where(CustomFieldDefinition.active.is_(True))
    return list(session.scalars(query.order_by(CustomFieldDefinition.account_id, CustomFieldDefinition.position,
                                               CustomFieldDefinition.id)))


def visible_definition(session: Session, *, definition_id: int, account_ids: list[int]) -> CustomFieldDefinition:
    """The definition, if it is on one of the member's accounts; otherwise it does not exist for them."""
    definition = session.get(CustomFieldDefinition, definition_id)
    if definition is None or definition.account_id not in account_ids:
        raise NotFound(f"no custom field {definition_id}")
    return definition


def active_definition(session: Session, *, account_id: int, key: str) -> CustomFieldDefinition | None:
    return session.scalars(select(CustomFieldDefinition).where(
        CustomFieldDefinition.account_id == account_id, CustomFieldDefinition.key == key,
        CustomFieldDefinition.active.is_(True))).first()


def stored_values(session: Session, *, account_id: int) -> dict[str, list[tuple[str, int]]]:
    """Each field name in use on the account, with its distinct non-empty values and how many followers
    have each: enough to count what fits without reading every row."""
    rows = session.execute(select(PersonField.name, PersonField.value, func.count()).where(
        PersonField.account_id == account_id, PersonField.value.is_not(None), PersonField.value != "")
        .group_by(PersonField.name, PersonField.value)).all()
    found: dict[str, list[tuple[str, int]]] = {}
    for name, value, count in rows:
        found.setdefault(name, []).append((value, count))
    return found


def misfits(values: list[tuple[str, int]], field_type: str, choices: list[str]) -> tuple[int, str]:
    """How many stored values do not fit, and one of them as an example."""
    bad = [(value, count) for value, count in values if value_problem(field_type, choices, value)]
    return sum(count for _, count in bad), (min(bad)[0] if bad else "")


def _cleaned(label: str, field_type: str, choices: list[str]) -> tuple[str, str, list[str]]:
    label = (label or "").strip()
    if not label:
        raise FieldProblem("no_label")
    if len(label) > MAX_LABEL:
        raise FieldProblem("label_too_long", limit=MAX_LABEL)
    field_type = (field_type or "").strip()
    if field_type not in FIELD_TYPES:
        raise FieldProblem("bad_type", type=field_type)
    if field_type != "choice":
        return label, field_type, []
    cleaned: list[str] = []
    for choice in (c.strip() for c in choices):
        if not choice:
            continue
        if len(choice) > MAX_CHOICE:
            raise FieldProblem("choice_too_long", choice=choice[:20] + "…", limit=MAX_CHOICE)
        if choice in cleaned:
            raise FieldProblem("duplicate_choice", choice=choice)
        cleaned.append(choice)
    if not cleaned:
        raise FieldProblem("no_choices")
    if len(cleaned) > MAX_CHOICES:
        raise FieldProblem("too_many_choices", limit=MAX_CHOICES)
    return label, field_type, cleaned


def _snapshot(definition: CustomFieldDefinition) -> dict:
    return {"key": definition.key, "label": definition.label, "type": definition.field_type,
            "choices": choices_of(definition), "position": definition.position, "active": definition.active}


def add_definition(session: Session, *, account_id: int, account_ids: list[int], member_id: int | None, key: str,
                   label: str, field_type: str, choices: list[str] | None = None) -> CustomFieldDefinition:
    """Define a field on an account, last in its order. Values already stored under the key (from a
    sheet) are kept even when they do not fit: the card marks them."""
    if account_id not in account_ids:
        raise NotFound(f"no account {account_id}")
    key = (key or "").strip()
    if not KEY.match(key):
        raise FieldProblem("bad_key", key=key[:70])
    label, field_type, choices = _cleaned(label, field_type, choices or [])
    taken = session.scalar(select(CustomFieldDefinition.id).where(CustomFieldDefinition.account_id == account_id,
                                                                  CustomFieldDefinition.key == key))
    if taken is not None:
        raise FieldProblem("duplicate_key", key=key)
    last = session.scalar(select(func.max(CustomFieldDefinition.position))
                          .where(CustomFieldDefinition.account_id == account_id))
    definition = CustomFieldDefinition(account_id=account_id, key=key, label=label, field_type=field_type,
                                       choices=orjson.dumps(choices).decode() if choices else None,
                                       position=(last + 1) if last is not None else 0, active=True)
    session.add(definition)
    session.flush()
    record(session, member_id=member_id, account_id=account_id, action="field.add", object_type="custom_field",
           object_id=definition.id, after=_snapshot(definition))
    return definition


def update_definition(session: Session, *, definition_id: int, account_ids: list[int], member_id: int, label: str,
                      field_type: str, choices: list[str] | None = None) -> CustomFieldDefinition:
    """Change a field's label, type or choices. A change that would make stored values that fit now
    stop fitting (a text field becoming a date, a choice taken away that followers have) is refused
    with how many and an example; the key never changes, since sheets and templates use it."""
    definition = visible_definition(session, definition_id=definition_id, account_ids=account_ids)
    label, field_type, choices = _cleaned(label, field_type, choices or [])
    before = _snapshot(definition)
    old_choices = choices_of(definition)
    if (field_type, choices) != (definition.field_type, old_choices):
        values = stored_values(session, account_id=definition.account_id).get(definition.key, [])
        fitting = [(v, n) for v, n in values if value_problem(definition.field_type, old_choices, v) is None]
        count, example = misfits(fitting, field_type, choices)
        if count:
            code = "type_refused" if field_type != definition.field_type else "choices_refused"
            raise FieldProblem(code, field=definition.label, type=field_type, count=count, example=example[:40])
    definition.label = label
    definition.field_type = field_type
    definition.choices = orjson.dumps(choices).decode() if choices else None
    session.flush()
    record(session, member_id=member_id, account_id=definition.account_id, action="field.edit",
           object_type="custom_field", object_id=definition.id, before=before, after=_snapshot(definition))
    return definition


def move_definition(session: Session, *, definition_id: int, account_ids: list[int], member_id: int,
                    direction: str) -> CustomFieldDefinition:
    """Move a field one place up or down in its account's order (the order of the follower card)."""
    definition = visible_definition(session, definition_id=definition_id, account_ids=account_ids)
    if direction not in ("up", "down"):
        raise Invalid(f"move {direction!r}: use up or down")
    siblings = definitions(session, account_ids=[definition.account_id])
    before = [d.key for d in siblings]
    at = siblings.index(definition)
    other = at - 1 if direction == "up" else at + 1
    if not 0 <= other < len(siblings):
        return definition  # already first or last: nothing changes
    siblings[at], siblings[other] = siblings[other], siblings[at]
    for position, sibling in enumerate(siblings):
        sibling.position = position
    session.flush()
    record(session, member_id=member_id, account_id=definition.account_id, action="field.move",
           object_type="custom_field", object_id=definition.id, before=before, after=[d.key for d in siblings])
    return definition


def set_active(session: Session, *, definition_id: int, account_ids: list[int], member_id: int,
               active: bool) -> CustomFieldDefinition:
    """Deactivate (the card stops offering the field; stored values stay and show as free text) or
    reactivate a field."""
    definition = visible_definition(session, definition_id=definition_id, account_ids=account_ids)
    before = _snapshot(definition)
    definition.active = active
    session.flush()
    record(session, member_id=member_id, account_id=definition.account_id,
           action="field.reactivate" if active else "field.deactivate", object_type="custom_field",
           object_id=definition.id, before=before, after=_snapshot(definition))
    return definition


# The card asks these on every item page: built once.
_ACTIVE_DEFINITIONS = (select(CustomFieldDefinition)
                       .where(CustomFieldDefinition.account_id == bindparam("account_id"),
                              CustomFieldDefinition.active.is_(True))
                       .order_by(CustomFieldDefinition.position, CustomFieldDefinition.id))
_VALUES = select(PersonField.name, PersonField.value).where(PersonField.account_id == bindparam("account_id"),
                                                            PersonField.person_id == bindparam("person_id"))
_NAMES_IN_USE = (select(PersonField.name).where(PersonField.account_id == bindparam("account_id")).distinct()
                 .order_by(PersonField.name))


def field_values(session: Session, *, account_id: int, person_id: int) -> dict[str, str | None]:
    """The follower's stored custom field values on the account, by key."""
    return dict(session.execute(_VALUES, {"account_id": account_id, "person_id": person_id}).all())


def card_fields(session: Session, *, account_id: int, person_id: int) -> list[dict]:
    """The follower's custom fields for the card: the account's active definitions in order, then every
    other field name the account has values for (imported free-form columns) as text. Each carries the
    stored value and, when it does not fit its type, why."""
    defined = session.scalars(_ACTIVE_DEFINITIONS, {"account_id": account_id}).all()
    values = field_values(session, account_id=account_id, person_id=person_id)
    keys = {d.key for d in defined}
    others = [name for name in session.scalars(_NAMES_IN_USE, {"account_id": account_id}) if name not in keys]
    out = []
    for d in defined:
        value = values.get(d.key) or ""
        choices = choices_of(d)
        problem = value_problem(d.field_type, choices, value)
        shown = value
        if problem is None and value and d.field_type == "date":
            shown = parse_date(value).isoformat()
        elif problem is None and value and d.field_type == "number":
            shown = parse_number(value)
        out.append({"key": d.key, "label": d.label, "type": d.field_type, "choices": choices, "value": value,
                    "shown": shown, "problem": problem, "defined": True})
    for name in others:
        value = values.get(name) or ""
        out.append({"key": name, "label": name, "type": "text", "choices": [], "value": value, "shown": value,
                    "problem": None, "defined": False})
    return out
