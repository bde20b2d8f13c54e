"""What a person does to items and followers from the desk: assign, change tier, snooze, close,
reopen (one item or a selection), and tags, notes and custom fields on the follower card.
Every change goes to the audit log with before and after."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import case, column, delete, select, table, update
from sqlalchemy.orm import Session

from fandesk.audit.service import last_change, record
from fandesk.clock import utcnow
from fandesk.errors import Invalid, NotFound, Overtaken
from fandesk.inbox.context import visible_item
from fandesk.inbox.models import TIERS, InboxItem
from fandesk.members.models import AccountMember, Member
from fandesk.people.card import tags_of
from fandesk.people.custom_fields import active_definition, check_value
from fandesk.people.models import PersonField, PersonNote, PersonTag
from fandesk.workspace.models import Account

ITEM_ACTIONS = ("assign", "tier", "snooze", "close", "reopen")
MAX_TAG = 64
# An item's replies, read as a plain table: replies sit above the inbox (they change items, not the reverse)
_reply = table("reply", column("id"), column("item_id"))
UNSEEN = object()  # the person's page did not say what it showed: the item as this request reads it


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
                assignee_id: int | None = None, tier: str | None = None, until: datetime | str | None = None,
                seen_assignee_id=UNSEEN, seen_status: str | None = None) -> InboxItem:
    """One person's decision on one item, kept through every re-triage (the *_by_person flags). A snooze's
    `until` given as text is the wall-clock time in the item's account zone.

    The change is one guarded UPDATE from the state the person saw (`seen_*`, from their page; else as
    read here): of two people claiming, closing or reopening an item at once, one wins and the other is
    told who did what (errors.Overtaken)."""
    item = visible_item(session, item_id=item_id, account_ids=account_ids)
    before = _snapshot(item)
    seen_assignee_id = item.assignee_id if seen_assignee_id is UNSEEN else seen_assignee_id
    seen_status = seen_status or item.status
    if isinstance(until, str):
        until = local_to_utc(until, session.get(Account, item.account_id).time_zone) if until else None
    guard, values = _decision(session, item, member_id=member_id, action=action, assignee_id=assignee_id,
                              tier=tier, until=until, seen_assignee_id=seen_assignee_id, seen_status=seen_status)
    changed = session.execute(update(InboxItem).where(InboxItem.id == item.id, guard)
                              .values(**values, updated_at=utcnow())
                              .execution_options(synchronize_session=False)).rowcount
    session.refresh(item)  # as this change left it, or as whoever got there first did
    if changed != 1:
        raise item_overtaken(session, item, action=action)
    record(session, member_id=member_id, account_id=item.account_id, action=f"item.{action}", object_type="item",
           object_id=item.id, before=before, after=_snapshot(item))
    return item


def _decision(session: Session, item: InboxItem, *, member_id: int, action: str, assignee_id: int | None,
              tier: str | None, until: datetime | None, seen_assignee_id: int | None, seen_status: str):
    """What the action writes, and the state it must find: the assignee the person saw for a claim or an
    assignment, the tier for a tier change, the status for the rest."""
    same_status = InboxItem.status == seen_status
    if action == "assign":
        target = assignee_id or member_id
        on_account = session.scalar(select(AccountMember.id).where(AccountMember.member_id == target,
                                                                   AccountMember.account_id == item.account_id))
        member = session.get(Member, target)
        if member is None or on_account is None:
            raise NotFound(f"no team member {target} on this account")
        if member.role not in ("manager", "moderator"):
            raise Invalid(f"{member.name} is a {member.role}: assign items to a manager or a moderator")
        guard = (InboxItem.assignee_id.is_(None) if seen_assignee_id is None
                 else InboxItem.assignee_id == seen_assignee_id)
        return guard, {"assignee_id": target, "assignee_by_person": True,
                       "status": case((InboxItem.status == "new", "assigned"), else_=InboxItem.status)}
    if action == "tier":
        if tier not in TIERS:
            raise Invalid(f"tier {tier!r}: use urgent, important or routine")
        return InboxItem.tier == item.tier, {"tier": tier, "tier_by_person": True}
    if action == "snooze":
        if until is None or until <= utcnow():
            raise Invalid("snooze until a time in the future")
        return same_status, {"status": "snoozed", "status_by_person": True, "snoozed_until": until}
    if action == "close":
        return same_status, {"status": "closed", "status_by_person": True, "snoozed_until": None}
    if action == "reopen":
        return same_status, {"status": case((InboxItem.assignee_id.is_(None), "new"), else_="assigned"),
                             "status_by_person": True, "snoozed_until": None}
    raise Invalid(f"unknown action {action!r}: use one of {', '.join(ITEM_ACTIONS)}")


def item_overtaken(session: Session, item: InboxItem, *, action: str) -> Overtaken:
    """The error for the person who lost a race on this item: what it is now, and who made it so."""
    change = last_change(session, object_type="item", object_ids=[item.id])
    name = (change or {}).get("member") or ""
    if action == "assign":
        assignee = session.scalar(select(Member.name).where(Member.id == item.assignee_id)) or ""
        assigned = last_change(session, object_type="item", object_ids=[item.id], actions=("item.assign",))
        if assigned is None or (assigned["after"] or {}).get("assignee_id") != item.assignee_id:
            return Overtaken("item_assigned_by_rule", f"this item was already assigned to {assignee} by a rule",
                             assignee=assignee)
        if assigned["member_id"] == item.assignee_id:
            return Overtaken("item_claimed", f"this item was already claimed by {assignee}", name=assignee)
        return Overtaken("item_assigned", f"this item was already assigned to {assignee} by {assigned['member']}",
                         name=assigned["member"] or "", assignee=assignee)
    if action == "tier":
        return Overtaken("item_tier", f"this item's tier was already changed to {item.tier} by {name or 'someone'}",
                         name=name, tier=item.tier)
    by_status = {"closed": "item_closed", "snoozed": "item_snoozed", "new": "item_reopened",
                 "assigned": "item_reopened"}
    code = by_status.get(item.status, "item_status") if change and change["action"].startswith("item.") \
        else "item_status"
    if code == "item_status":  # a reply moved it (drafted, awaiting approval, replied): say who
        reply_ids = list(session.scalars(select(_reply.c.id).where(_reply.c.item_id == item.id)))
        latest = last_change(session, object_type="reply", object_ids=reply_ids)
        name = (latest or change or {}).get("member") or ""
    return Overtaken(code, f"this item is already {item.status.replace('_', ' ')} ({name or 'someone else'})",
                     name=name, status=item.status)


def act_on_items(session: Session, *, item_ids: list[int], account_ids: list[int], member_id: int, action: str,
                 **options) -> int:
    """The same decision on a selection; items outside the member's accounts, and items someone else
    changed meanwhile, are skipped, not touched."""
    done = 0
    for item_id in item_ids[:500]:
        try:
            act_on_item(session, item_id=item_id, account_ids=account_ids, member_id=member_id, action=action,
                        **options)
        except (NotFound, Overtaken):
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
