"""The team: who answered what, how fast, and where their hours go.

- An item is **credited** to the person whose reply, posted from the desk, answered it first (the
  reply posted at the item's `replied_at`); an item answered by our reply found in an import (written
  outside the desk) is credited to "imported replies". Automatic actions (hiding spam, assignment)
  are never replies. Items are those of the period, as in the engagement numbers, so the rows add up
  to the engagement totals (items of every channel, counted one by one).
- **Within target**: their answered items answered within the team standard (comments 4 h, DMs 24 h).
- **Positive share of their threads**: of the followers' comments in the period in the threads they
  replied in, the share the desk read as positive (the moderators' "positive sentiment > 90%").
- **Time**: from the desk's own activity log (`reply_work`): how long they had an item open before
  submitting each reply, capped at 30 minutes a visit, for the replies submitted in the period; by
  channel (comments and mentions: replies; DMs). Content work (events, UGC features) comes from the
  events domain once it exists."""

from __future__ import annotations

from sqlalchemy import and_, case, func, literal_column, select
from sqlalchemy.orm import aliased

from fandesk.content.models import Comment
from fandesk.inbox.models import InboxItem
from fandesk.members.models import Member
from fandesk.metrics.items import counted, in_period, percentiles, within_standard
from fandesk.metrics.periods import Period, Scope
from fandesk.metrics.sources import provided
from fandesk.metrics.values import Metric, absent, mean, share
from fandesk.replies.models import Reply, ReplyWork

TARGET_SHARE = 0.9  # the brief's moderator success metrics: within 4 h 90% of the time, > 90% positive
IMPORTED = 0  # the team table's row for replies found in imports (no person known)


def credited_reply():
    """The desk reply that answered the item: posted, a reply (not a reminder), at the item's replied_at."""
    return and_(Reply.item_id == InboxItem.id, Reply.kind == "reply", Reply.status == "posted",
                Reply.posted_at == InboxItem.replied_at)


def answered_by(scope: Scope, member_id: int, period: Period | None = None):
    """Items of the period answered first by this person (IMPORTED: by replies found in imports)."""
    base = select(InboxItem.id).where(in_period(scope, period), counted(), InboxItem.replied_at.is_not(None))
    if member_id == IMPORTED:
        return base.outerjoin(Reply, credited_reply()).where(Reply.id.is_(None))
    return base.join(Reply, credited_reply()).where(Reply.author_id == member_id)


def _credited(scope: Scope, b, period: Period):
    """The period's items answered by a desk reply, with its author."""
    return (select(b, Reply.author_id.label("member_id"), InboxItem.id.label("item_id"),
                   InboxItem.channel.label("channel"), InboxItem.source_id.label("source_id"),
                   InboxItem.response_seconds.label("seconds"), case((within_standard(), 1), else_=0).label("std"))
            .join(Reply, credited_reply())
            .where(in_period(scope, period), counted(), InboxItem.replied_at.is_not(None)))


def _per_member(session, scope: Scope, totals: dict[int, dict]) -> dict[tuple[int, int], dict]:
    """{(b, member): answered, seconds, within standard, and for the current period median and p90};
    the imported row is what the totals leave."""
    credited = scope.per_period(lambda b, period: _credited(scope, b, period))
    rows = session.execute(select(credited.c.b, credited.c.member_id, func.count(),
                                  func.coalesce(func.sum(credited.c.seconds), 0),
                                  func.coalesce(func.sum(credited.c.std), 0))
                           .group_by(credited.c.b, credited.c.member_id)).all()
    out = {(b, member_id): {"answered": n, "seconds": float(seconds), "std": int(std)}
           for b, member_id, n, seconds, std in rows}
    for b in (0, 1):
        desk = [v for (bb, _), v in out.items() if bb == b]
        total = totals.get(b, {"answered": 0, "seconds": 0.0, "std": 0})
        imported = {key: total[key] - sum(v[key] for v in desk) for key in ("answered", "seconds", "std")}
        if imported["answered"]:
            out[(b, IMPORTED)] = imported
    current = select(credited).where(credited.c.b == 1).subquery()
    for (member_id,), found in percentiles(session, current, partition=("member_id",)).items():
        out.setdefault((1, member_id), {}).update(found)
    return out


def _positive_threads(session, scope: Scope) -> dict[int, tuple[int, int]]:
    """Per person: followers' comments of the period in the threads they replied in, and the positive ones."""
    credited = _credited(scope, literal_column("1").label("b"), scope.period).subquery()
    source = aliased(Comment)
    threads = (select(credited.c.member_id, source.root_id.label("root_id"))
               .join(source, source.id == credited.c.source_id)
               .where(credited.c.channel == "comment", source.root_id.is_not(None))
               .distinct()).subquery()
    said = aliased(InboxItem)
    rows = session.execute(
        select(threads.c.member_id, func.count(), func.count().filter(said.sentiment == "positive"))
        .select_from(threads).join(Comment, Comment.root_id == threads.c.root_id)
        .join(said, and_(said.channel == "comment", said.source_id == Comment.id))
        .where(Comment.is_ours.is_(False), said.spam.is_(False), said.hidden.is_(False),
               scope.within(Comment.account_id, Comment.created_at))
        .group_by(threads.c.member_id)).all()
    return {member_id: (n, positive) for member_id, n, positive in rows}


def _time(session, scope: Scope, period: Period) -> dict[int, dict[str, int]]:
    kind = case((ReplyWork.channel == "dm", "dms"), else_="replies")
    rows = session.execute(select(ReplyWork.member_id, kind, func.sum(ReplyWork.seconds), func.count())
                           .where(scope.within(ReplyWork.account_id, ReplyWork.done_at, period))
                           .group_by(ReplyWork.member_id, kind)).all()
    out: dict[int, dict[str, int]] = {}
    for member_id, activity, seconds, n in rows:
        found = out.setdefault(member_id or IMPORTED, {})
        found[activity] = found.get(activity, 0) + int(seconds or 0)
        found[f"{activity}_count"] = found.get(f"{activity}_count", 0) + n
    return out


def team(session, scope: Scope, totals: dict[int, dict]) -> dict:
    """The team table (one row per person, and one for imported replies), the time allocation, and the
    brief's moderator success checks per person. `totals` ({b: answered, seconds, std}) are the period's
    answered items of every channel, from the engagement pass."""
    per_member = _per_member(session, scope, totals)
    now = {member: found for (b, member), found in per_member.items() if b == 1}
    before = {member: found for (b, member), found in per_member.items() if b == 0}
    positive = _positive_threads(session, scope)
    time = _time(session, scope, scope.period)
    ids = set(now) | set(time) | set(positive)
    names = dict(session.execute(select(Member.id, Member.name).where(Member.id.in_(ids - {IMPORTED}))).all())
    rows = []
    for member_id in sorted(ids, key=lambda i: (i == IMPORTED, -(now.get(i, {}).get("answered", 0)), i)):
        mine, earlier = now.get(member_id, {}), before.get(member_id, {})
        answered, threads = mine.get("answered", 0), positive.get(member_id, (0, 0))
        work = time.get(member_id, {})
        row = {
            "member_id": member_id, "name": names.get(member_id), "imported": member_id == IMPORTED,
            "answered": Metric("team.answered", answered, earlier.get("answered", 0),
                               drill=f"items:member:{member_id}"),
            "response_mean": Metric("team.response_mean", mean(mine.get("seconds", 0), answered),
                                    mean(earlier.get("seconds", 0), earlier.get("answered", 0)), unit="seconds"),
            "response_median": Metric("team.response_median", mine.get("median"), unit="seconds"),
            "response_p90": Metric("team.response_p90", mine.get("p90"), unit="seconds"),
            "within_target": Metric("team.within_target", share(mine.get("std", 0), answered),
                                    share(earlier.get("std", 0), earlier.get("answered", 0)), unit="share",
                                    part=mine.get("std", 0), whole=answered),
            "positive_threads": Metric("team.positive_threads", share(threads[1], threads[0]), None, unit="share",
                                       part=threads[1], whole=threads[0]),
            "hours_replies": work.get("replies", 0) / 3600, "hours_dms": work.get("dms", 0) / 3600,
            "replies_timed": work.get("replies_count", 0), "dms_timed": work.get("dms_count", 0),
        }
        row["success"] = None if member_id == IMPORTED else {
            "within_target": _meets(row["within_target"].value), "positive": _meets(row["positive_threads"].value)}
        rows.append(row)
    return {"rows": rows, "time": time_allocation(session, scope, time)}


def _meets(value: float | None) -> bool | None:
    return None if value is None else value >= TARGET_SHARE


def time_allocation(session, scope: Scope, time: dict[int, dict[str, int]]) -> dict:
    """Hours on replies, DMs and content, the whole team's, with their shares."""
    replies = sum(t.get("replies", 0) for t in time.values()) / 3600
    dms = sum(t.get("dms", 0) for t in time.values()) / 3600
    events = provided(session, scope, "events") or {}
    content = events.get("content_hours") or absent("team.hours_content", "no_events", unit="hours")
    total = replies + dms + (content.value or 0)
    timed = sum(t.get("replies_count", 0) + t.get("dms_count", 0) for t in time.values())
    missing = None if timed else "no_desk_replies"
    return {
        "hours_replies": Metric("team.hours_replies", replies if timed else None, unit="hours", missing=missing,
                                extra={"share": share(replies, total)}),
        "hours_dms": Metric("team.hours_dms", dms if timed else None, unit="hours", missing=missing,
                            extra={"share": share(dms, total)}),
        "hours_content": content,
        "hours_total": Metric("team.hours_total", total if timed else None, unit="hours", missing=missing),
    }
