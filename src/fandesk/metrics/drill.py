"""Every number clicks through: a drill key names the rows a number counts, built from the same
conditions the number was computed with, so the list is exactly as long as the number.

Keys are `<kind>:<name>[:<detail>]`; the kind says what the list shows (items, DM stretches, notes,
comments, people, UGC posts, referrals, survey answers)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from fandesk.content.models import Comment, Note
from fandesk.errors import NotFound
from fandesk.inbox.models import InboxItem
from fandesk.metrics import community, depth, growth, items, team
from fandesk.metrics.engagement import CAUSES, SENTIMENTS
from fandesk.metrics.periods import Scope
from fandesk.people.models import Interaction, Person, Referral, SurveyAnswer

PAGE = 100


@dataclass
class Drill:
    key: str
    kind: str  # items | comments | notes | people | interactions | referrals | survey
    ids: object  # a select of the ids
    account_ids: tuple[int, ...] = ()


def _items(scope: Scope, name: str, detail: str | None):
    public = and_(items.in_period(scope, channels=items.PUBLIC), items.counted())
    now = scope.now
    simple = {
        "to_answer": public,
        "answered": and_(public, items.answered()),
        "unanswered": and_(public, ~items.answered()),
        "on_time": and_(public, items.within_standard()),
        "due": and_(public, items.due(now)),
        "late": and_(public, items.due(now), ~items.within_standard()),
        "by_reply_by": and_(public, items.by_reply_by()),
        "due_reply_by": and_(public, items.due_by_reply_by(now)),
        "on_notes": and_(items.in_period(scope, channels=("comment",)), items.counted()),
        "counted": and_(items.in_period(scope), items.counted()),
        "excluded": and_(items.in_period(scope), ~items.counted()),
    }
    if name in simple:
        return select(InboxItem.id).where(simple[name])
    if name == "sentiment" and detail in SENTIMENTS:
        return select(InboxItem.id).where(items.in_period(scope), items.counted(), InboxItem.sentiment == detail)
    if name == "negative" and detail in CAUSES:
        cause = (or_(InboxItem.cause.is_(None), InboxItem.cause == "other") if detail == "other"
                 else InboxItem.cause == detail)
        return select(InboxItem.id).where(items.in_period(scope), items.counted(), InboxItem.sentiment == "negative",
                                          cause)
    if name == "member" and detail is not None and detail.isdigit():
        return team.answered_by(scope, int(detail))
    if name == "response" and detail is not None and detail.isdigit():
        bucket = items.response_bucket(InboxItem.response_seconds)
        return select(InboxItem.id).where(public, items.answered(), bucket == int(detail))
    return None


def _dms(scope: Scope, name: str):
    """One item per DM waiting stretch (its first message) of the period."""
    stretch, bucket, seconds = items.dm_stretches(scope)
    replied = stretch.c.replied_at.is_not(None)
    target = items.CHANNEL_HOURS["dm"] * 3600
    conditions = {
        "stretches": None,
        "answered": replied,
        "on_time": and_(replied, seconds <= target),
        "due": or_(replied, stretch.c.started_at <= scope.now - timedelta(seconds=target)),
    }
    if name not in conditions:
        return None
    query = select(stretch.c.first_item_id).where(bucket == 1)
    return query if conditions[name] is None else query.where(conditions[name])


def _comments(scope: Scope, name: str, detail: str | None = None):
    found = {
        "threads": depth.thread_roots(scope),
        "in_threads": depth.in_threads(scope),
        "replies": and_(depth.in_period(scope), depth.is_reply()),
        "top_level": and_(depth.followers(scope), depth.top_level()),
        "mentions": and_(depth.followers(scope), depth.has_mention()),
        "follower_to_follower": and_(depth.followers(scope), depth.follower_to_follower()),
        "followers": depth.followers(scope),
    }
    if name == "person" and detail is not None and detail.isdigit():
        return select(Comment.id).where(depth.followers(scope), Comment.person_id == int(detail))
    return select(Comment.id).where(found[name]) if name in found else None


def _people(scope: Scope, name: str):
    if name in ("active", "new", "retained", "reactivated", "returning", "new_followers", "active_previous"):
        return growth.ids(scope, name)
    if name == "commenters":
        return depth.commenter_ids(scope)
    if name == "repeat_commenters":
        return depth.repeat_commenter_ids(scope)
    return None


def drill(scope: Scope, key: str) -> Drill:
    """The rows behind a drill key, for the scope's period. Unknown keys are not found."""
    kind, _, rest = key.partition(":")
    name, _, detail = rest.partition(":")
    ids = None
    if kind == "items":
        ids = _items(scope, name, detail or None)
    elif kind == "dms":
        ids, kind = _dms(scope, name), "items"
    elif kind == "comments":
        ids = _comments(scope, name, detail or None)
    elif kind == "notes" and name == "commented":
        ids = (select(InboxItem.note_id).where(items.in_period(scope, channels=("comment",)), items.counted(),
                                               InboxItem.note_id.is_not(None)).distinct())
    elif kind == "people":
        ids = _people(scope, name)
        if name == "ugc":
            ids, kind = select(Interaction.id).where(community.ugc_in(scope)), "interactions"
    elif kind == "referrals" and name == "period":
        ids = select(Referral.id).where(community.referrals_in(scope))
    elif kind == "survey":
        found = {"satisfaction": SurveyAnswer.satisfaction.is_not(None), "nps": SurveyAnswer.nps.is_not(None),
                 "promoters": community.promoters(), "detractors": community.detractors()}
        if name in found:
            ids = select(SurveyAnswer.id).where(community.answers_in(scope), found[name])
    if ids is None:
        raise NotFound(f"no list behind {key!r}")
    return Drill(key=key, kind=kind, ids=ids, account_ids=tuple(scope.account_ids))


def count(session: Session, found: Drill) -> int:
    return session.execute(select(func.count()).select_from(found.ids.subquery())).scalar_one()


def page(session: Session, found: Drill, *, offset: int = 0, limit: int = PAGE) -> list[dict]:
    """One page of the list, newest first, with what a person needs to recognise each row."""
    ids = found.ids.subquery()
    id_column = list(ids.c)[0]
    if found.kind == "items":
        rows = session.execute(
            select(InboxItem.id, InboxItem.account_id, InboxItem.channel, InboxItem.text, InboxItem.received_at,
                   InboxItem.replied_at, InboxItem.response_seconds, InboxItem.sentiment, InboxItem.cause,
                   InboxItem.status, Person.nickname)
            .outerjoin(Person, Person.id == InboxItem.person_id).where(InboxItem.id.in_(select(id_column)))
            .order_by(InboxItem.received_at.desc(), InboxItem.id.desc()).offset(offset).limit(limit)).all()
        return [dict(row._mapping) for row in rows]
    if found.kind == "comments":
        item = select(InboxItem.id).where(InboxItem.channel == "comment", InboxItem.source_id == Comment.id) \
            .scalar_subquery()
        rows = session.execute(
            select(Comment.id, Comment.account_id, Comment.text, Comment.created_at, Comment.is_ours, Comment.depth,
                   Person.nickname, item.label("item_id"))
            .outerjoin(Person, Person.id == Comment.person_id).where(Comment.id.in_(select(id_column)))
            .order_by(Comment.created_at.desc(), Comment.id.desc()).offset(offset).limit(limit)).all()
        return [dict(row._mapping) for row in rows]
    if found.kind == "notes":
        rows = session.execute(select(Note.id, Note.account_id, Note.title, Note.created_at, Note.url)
                               .where(Note.id.in_(select(id_column)))
                               .order_by(Note.created_at.desc(), Note.id.desc()).offset(offset).limit(limit)).all()
        return [dict(row._mapping) for row in rows]
    if found.kind == "people":
        latest = (select(func.max(InboxItem.id)).where(InboxItem.person_id == Person.id,
                                                      InboxItem.account_id.in_(found.account_ids))
                  .scalar_subquery())
        rows = session.execute(select(Person.id, Person.nickname, Person.first_seen_at, Person.last_seen_at,
                                      latest.label("item_id"))
                               .where(Person.id.in_(select(id_column)))
                               .order_by(Person.last_seen_at.desc(), Person.id).offset(offset).limit(limit)).all()
        return [dict(row._mapping) for row in rows]
    if found.kind == "interactions":
        rows = session.execute(select(Interaction.id, Interaction.account_id, Interaction.kind,
                                      Interaction.occurred_at, Interaction.detail, Person.nickname)
                               .join(Person, Person.id == Interaction.person_id)
                               .where(Interaction.id.in_(select(id_column)))
                               .order_by(Interaction.occurred_at.desc()).offset(offset).limit(limit)).all()
        return [dict(row._mapping) for row in rows]
    if found.kind == "referrals":
        referred = Person.__table__.alias("referred")
        rows = session.execute(select(Referral.id, Referral.account_id, Referral.referred_at, Referral.revenue,
                                      Person.nickname, referred.c.nickname.label("referred_nickname"))
                               .join(Person, Person.id == Referral.referrer_id)
                               .outerjoin(referred, referred.c.id == Referral.referred_id)
                               .where(Referral.id.in_(select(id_column)))
                               .order_by(Referral.referred_at.desc()).offset(offset).limit(limit)).all()
        return [dict(row._mapping) for row in rows]
    rows = session.execute(select(SurveyAnswer.id, SurveyAnswer.account_id, SurveyAnswer.answered_at,
                                  SurveyAnswer.satisfaction, SurveyAnswer.nps, SurveyAnswer.answer_text,
                                  Person.nickname)
                           .outerjoin(Person, Person.id == SurveyAnswer.person_id)
                           .where(SurveyAnswer.id.in_(select(id_column)))
                           .order_by(SurveyAnswer.answered_at.desc()).offset(offset).limit(limit)).all()
    return [dict(row._mapping) for row in rows]

