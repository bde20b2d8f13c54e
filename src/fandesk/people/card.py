"""The follower card: what the team knows about one person on one account (nickname history, tags,
notes, custom fields, interactions, purchases), shown beside an item and on the person's page."""

from __future__ import annotations

from collections import Counter

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from fandesk.members.models import Member
from fandesk.people.custom_fields import card_fields
from fandesk.people.models import Interaction, NicknameChange, Person, PersonNote, PersonTag, Purchase

# Run on every item page view: built once (with bind parameters), so each run skips building the
# statement and computing its cache key.
_P, _A = bindparam("person_id"), bindparam("account_id")
_INTERACTION_KINDS = (select(Interaction.kind, func.count()).where(Interaction.person_id == _P,
                                                                  Interaction.account_id == _A)
                      .group_by(Interaction.kind))
_RECENT_INTERACTIONS = (select(Interaction).where(Interaction.person_id == _P, Interaction.account_id == _A)
                        .order_by(Interaction.occurred_at.desc()).limit(12))
_PURCHASES = (select(Purchase).where(Purchase.person_id == _P, Purchase.account_id == _A)
              .order_by(Purchase.purchased_at.desc()).limit(10))
_SPENT = select(func.sum(Purchase.amount)).where(Purchase.person_id == _P, Purchase.account_id == _A)
_NOTES = (select(PersonNote, Member.name).outerjoin(Member, Member.id == PersonNote.member_id)
          .where(PersonNote.person_id == _P, PersonNote.account_id == _A).order_by(PersonNote.at.desc()).limit(20))
_NICKNAMES = select(NicknameChange).where(NicknameChange.person_id == _P).order_by(NicknameChange.seen_at)
_TAGS = select(PersonTag.tag).where(PersonTag.account_id == _A, PersonTag.person_id == _P).order_by(PersonTag.tag)



def follower_card(session: Session, *, account_id: int, person_id: int | None) -> dict:
    """The follower beside an item: nickname and its history, tags, notes, custom fields, interactions
    and purchases, on one account."""
    if person_id is None:
        return {}
    person = session.get(Person, person_id)
    if person is None:
        return {}
    on = {"person_id": person_id, "account_id": account_id}
    kinds = Counter(dict(session.execute(_INTERACTION_KINDS, on).all()))
    recent = session.scalars(_RECENT_INTERACTIONS, on).all()
    purchases = session.scalars(_PURCHASES, on).all()
    spent = session.scalar(_SPENT, on)
    fields = card_fields(session, account_id=account_id, person_id=person_id)
    notes = session.execute(_NOTES, on).all()
    return {
        "person": person,
        "nicknames": session.scalars(_NICKNAMES, {"person_id": person_id}).all(),
        "tags": tags_of(session, account_id=account_id, person_id=person_id),
        "notes": [{"id": n.id, "text": n.text, "at": n.at, "by": name} for n, name in notes],
        "fields": [(f["key"], f["value"]) for f in fields], "custom_fields": fields,
        "interaction_counts": dict(kinds), "interactions": recent, "purchases": purchases,
        "spent": float(spent or 0),
    }


def tags_of(session: Session, *, account_id: int, person_id: int) -> list[str]:
    return list(session.scalars(_TAGS, {"account_id": account_id, "person_id": person_id}))
