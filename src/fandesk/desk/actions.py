"""What a person does to items and followers from the desk: assign, change tier, snooze, close,
reopen (one item or a selection), and tags, notes and custom fields on the follower card.
Every change goes to the audit log with before and after."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from fandesk.auth.audit import record
from fandesk.desk.context import tags_of, visible_item
from fandesk.desk.models import PersonNote, PersonTag
from fandesk.errors import Invalid, NotFound
from fandesk.inbox.models import TIERS, InboxItem
from fandesk.inbox.service import set_by_person
from fandesk.people.custom_fields import active_definition, check_value
from fandesk.people.models import PersonField
from fandesk.team.models import AccountMember, Member
from fandesk.workspace.models import Account

ITEM_ACTIONS = ("assign", "tier", "snooze", "close", "reopen")
MAX_TAG = 64


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _snapshot(item: InboxItem) -> dict:
    return {"status": item.status, "tier": item.tier, "assignee_id": item.assignee_id,
            "snoozed_until": item.snoozed_until}


def local_to_utc(value: str, time_zone: str) -> datetime | None:
    """A wall-clock time typed in an account's zone (a datetime-local input) as naive UTC; None if unreadable."""
    try:
        local = datetime.fromisoformat(value.strip()).replace(tzinfo=ZoneInfo(time_zone))
    except (AttributeError, TypeError, ValueError):
        return None
    return local.astimezone(UTC).replace(tzinfo=None)


def act_on_item(session: Session, *, item_id: int, account_ids: list[int], member_id: int, action: str,
                assignee_id: int | None = None, tier: str | None = None,
                until: datetime | str | None = None) -> InboxItem:
    """One person's decision on one item: kept through every re-triage (inbox.set_by_person). A snooze's
    `until` given as text is the wall-clock time in the item's account zone."""
    item = visible_item(session, item_id=item_id, account_ids=account_ids)
    before = _snapshot(item)
    if isinstance(until, str):
        until = local_to_utc(until, session.get(Account, item.account_id).time_zone) if until else None
    if action == "assign":
        target = assignee_id or member_id
        on_account = session.scalar(select(AccountMember.id).where(AccountMember.member_id == target,
                                                                   AccountMember.account_id == item.account_id))
        member = session.get(Member, target)
        if member is None or on_account is None:
            raise NotFound(f"no team member {target} on this account")
        if member.role not in ("manager", "moderator"):
            raise Invalid(f"{member.name} is a {member.role}: assign items to a manager or a moderator")
        set_by_person(session, item_id=item.id, assignee_id=target)
    elif action == "tier":
        if tier not in TIERS:
            raise Invalid(f"tier {tier!r}: use urgent, important or routine")
        set_by_person(session, item_id=item.id, tier=tier)
    elif action == "snooze":
        if until is None or until <= utcnow():
            raise Invalid("snooze until a time in the future")
        set_by_person(session, item_id=item.id, status="snoozed")
        item.snoozed_until = until
    elif action == "close":
        set_by_person(session, item_id=item.id, status="closed")
        item.snoozed_until = None
    elif action == "reopen":
        set_by_person(session, item_id=item.id, status="assigned" if item.assignee_id else "new")
        item.snoozed_until = None
    else:
        raise Invalid(f"unknown action {action!r}: use one of {', '.join(ITEM_ACTIONS)}")
    session.flush()
    record(session, member_id=member_id, account_id=item.account_id, action=f"item.{action}", object_type="item",
           object_id=item.id, before=before, after=_snapshot(item))
    return item


def act_on_items(session: Session, *, item_ids: list[int], account_ids: list[int], member_id: int, action: str,
                 **options) -> int:
    """The same decision on a selection; items outside the member's accounts are skipped, not touched."""
    done = 0
    for item_id in item_ids[:500]:
        try:
            act_on_item(session, item_id=item_id, account_ids=account_ids, member_id=member_id, action=action,
                        **options)
        except NotFound:
            continue
        done += 1
    return done


def _person_on_item(session: Session, item_id: int, account_ids: list[int]) -> InboxItem:
    item = visible_item(session, item_id=item_id, account_ids=account_ids)
    if item.person_id is None:
        raise Invalid("this item has no known person to note things about")
    return item


def set_tags(session: Session, *, item_id: int, account_ids: list[int], member_id: int, tags: list[str]) -> list[str]:
    """Replace the follower's tags on this account (comma- or space-separated input, cleaned)."""
    item = _person_on_item(session, item_id, account_ids)
    wanted = sorted({t.strip().lstrip("#")[:MAX_TAG] for t in tags if t.strip().lstrip("#")})
    before = tags_of(session, account_id=item.account_id, person_id=item.person_id)
    session.execute(delete(PersonTag).where(PersonTag.account_id == item.account_id,
                                            PersonTag.person_id == item.person_id))
    for tag in wanted:
        session.add(PersonTag(account_id=item.account_id, person_id=item.person_id, tag=tag))
    session.flush()
    record(session, member_id=member_id, account_id=item.account_id, action="person.tags", object_type="person",
           object_id=item.person_id, before=before, after=wanted)
    return wanted


def add_note(session: Session, *, item_id: int, account_ids: list[int], member_id: int, text: str) -> PersonNote:
    item = _person_on_item(session, item_id, account_ids)
    text = text.strip()
    if not text:
        raise Invalid("the note is empty")
    note = PersonNote(account_id=item.account_id, person_id=item.person_id, member_id=member_id, text=text[:4000],
                      at=utcnow())
    session.add(note)
    session.flush()
    record(session, member_id=member_id, account_id=item.account_id, action="person.note", object_type="person",
           object_id=item.person_id, after=note.text)
    return note


def set_field(session: Session, *, item_id: int, account_ids: list[int], member_id: int, name: str,
              value: str) -> None:
    """Set one custom field (skin type, concerns...) of the follower on this account: checked against the
    field's definition when it has one (a number, a date, one of the choices), free text when it has
    none; an empty value clears the field. The one place a person's edit writes PersonField."""
    item = _person_on_item(session, item_id, account_ids)
    name = name.strip()[:100]
    if not name:
        raise Invalid("a custom field needs a name")
    definition = active_definition(session, account_id=item.account_id, key=name)
    wanted = check_value(definition, name, value)
    row = session.scalars(select(PersonField).where(PersonField.account_id == item.account_id,
                                                    PersonField.person_id == item.person_id,
                                                    PersonField.name == name)).first()
    before = row.value if row else None
    if (before or None) == wanted:
        return
    if wanted is None:
        session.delete(row)
    else:
        if row is None:
            row = PersonField(account_id=item.account_id, person_id=item.person_id, name=name)
            session.add(row)
        row.value = wanted
    session.flush()
    record(session, member_id=member_id, account_id=item.account_id, action="person.field", object_type="person",
           object_id=item.person_id, before={name: before}, after={name: wanted})
