"""Conversation depth, from the comment threads themselves:

- **Thread length**: for the threads a follower started in the period, the comments in them (the
  top-level comment and every reply, ours too) written in the period. A reply in the next period counts
  there, not here, so a period's number is final when it ends.
- **Thread depth**: the deepest reply level those threads reached in the period (top-level is 0).
- **Reply-to-comment ratio**: replies (anyone's, ours too) written in the period, per top-level comment
  a follower wrote in the period.
- **@mentions**: the share of followers' comments in the period with an @ in their text.
- **Follower-to-follower replies**: the share of followers' comments in the period that answer another
  follower's comment (not ours, not their own).
- **Repeat commenters**: of the people who commented in the period, the share with 5 or more comments.

A follower's comment is one not ours and not marked spam by the desk (as in the engagement numbers)."""

from __future__ import annotations

from sqlalchemy import and_, case, exists, func, literal_column, or_, select
from sqlalchemy.orm import aliased

from fandesk.content.models import Comment
from fandesk.inbox.models import InboxItem
from fandesk.metrics.periods import Period, Scope
from fandesk.metrics.values import Metric, share

REPEAT_COMMENTS = 5
# the @ test, written as a literal so the partial index (comment WHERE text LIKE '%@%') serves it
HAS_AT = literal_column("'%@%'")


def in_period(scope: Scope, period: Period | None = None, comment=Comment):
    return scope.within(comment.account_id, comment.created_at, period)


def spam_ids(scope: Scope, period: Period | None = None):
    """The comments the desk marked as spam in the period (a few: read once, then looked up in memory)."""
    return select(InboxItem.source_id).where(InboxItem.channel == "comment", InboxItem.spam.is_(True),
                                             scope.within(InboxItem.account_id, InboxItem.received_at, period))


def followers(scope: Scope, period: Period | None = None, comment=Comment):
    """A follower's comment (not ours, not spam) in the period."""
    return and_(in_period(scope, period, comment), comment.is_ours.is_(False),
                comment.id.not_in(spam_ids(scope, period)))


def top_level(comment=Comment):
    """A top-level comment (threads are linked on import: a top-level comment is level 0)."""
    return comment.depth == 0


def is_reply(comment=Comment):
    return or_(comment.depth.is_(None), comment.depth != 0)


def has_mention(comment=Comment):
    return comment.text.like(HAS_AT)


def follower_to_follower(comment=Comment):
    """Answers another follower's comment: its parent is here, not ours, and by someone else."""
    parent = aliased(Comment)
    return exists().where(parent.id == comment.parent_id, parent.is_ours.is_(False),
                          parent.person_id.is_not(None), parent.person_id != comment.person_id)


def thread_roots(scope: Scope, period: Period | None = None):
    """The top-level comments of the threads a follower started in the period."""
    return and_(followers(scope, period), top_level())


def in_threads(scope: Scope, period: Period | None = None):
    """The period's comments (ours too) in the threads a follower started in the period."""
    roots = select(Comment.id).where(thread_roots(scope, period))
    return and_(in_period(scope, period), Comment.root_id.in_(roots))


def repeat_commenter_ids(scope: Scope, period: Period | None = None):
    """The people with REPEAT_COMMENTS or more follower comments in the period."""
    return (select(Comment.person_id).where(followers(scope, period), Comment.person_id.is_not(None))
            .group_by(Comment.person_id).having(func.count() >= REPEAT_COMMENTS))


def commenter_ids(scope: Scope, period: Period | None = None):
    return select(Comment.person_id).where(followers(scope, period), Comment.person_id.is_not(None)).distinct()


def _people(session, scope: Scope) -> dict[int, dict]:
    """Per period: followers' comments, top-level ones, follower-to-follower replies, commenters and
    repeat commenters (one pass, grouped by person, then summed); all replies; @mentions."""
    def per_person(b, period):
        return (select(b, Comment.person_id.label("person_id"), func.count().label("n"),
                       func.count().filter(top_level()).label("top"),
                       func.count().filter(follower_to_follower()).label("f2f"))
                .where(followers(scope, period)).group_by(Comment.person_id))

    people = scope.per_period(per_person)
    known = people.c.person_id.is_not(None)
    rows = session.execute(select(
        people.c.b, func.sum(people.c.n), func.sum(people.c.top), func.sum(people.c.f2f),
        func.count().filter(known), func.count().filter(and_(known, people.c.n >= REPEAT_COMMENTS)))
        .group_by(people.c.b)).all()
    out = {b: {"comments": int(n or 0), "top_level": int(top or 0), "f2f": int(f2f or 0), "people": n_people,
               "repeat": repeat} for b, n, top, f2f, n_people, repeat in rows}
    counts = scope.per_period(lambda b, period: select(
        b, select(func.count()).where(in_period(scope, period), is_reply()).scalar_subquery().label("replies"),
        select(func.count()).where(followers(scope, period), has_mention()).scalar_subquery().label("mentions")))
    for b, replies, mentions in session.execute(select(counts.c.b, counts.c.replies, counts.c.mentions)).all():
        out.setdefault(b, {}).update(replies=replies, mentions=mentions)
    return out


def _threads(session, scope: Scope) -> dict[int, dict]:
    """Per period: threads started by a follower, their comments and depth in the period."""
    def per_thread(b, period):
        started = func.max(case((and_(top_level(), Comment.is_ours.is_(False)), 1), else_=0))
        return (select(b, Comment.root_id.label("root"), func.count().label("size"),
                       func.max(Comment.depth).label("deepest"), started.label("started"))
                .where(in_period(scope, period), Comment.root_id.is_not(None)).group_by(Comment.root_id))

    threads = scope.per_period(per_thread)
    spam = select(InboxItem.source_id).where(InboxItem.channel == "comment", InboxItem.spam.is_(True),
                                             scope.both(InboxItem.account_id, InboxItem.received_at))
    rows = session.execute(select(threads.c.b, func.count(), func.coalesce(func.sum(threads.c.size), 0),
                                  func.coalesce(func.sum(threads.c.deepest), 0), func.max(threads.c.deepest))
                           .where(threads.c.started == 1, threads.c.root.not_in(spam)).group_by(threads.c.b)).all()
    out = {b: {"threads": 0, "size": 0, "depth": 0, "deepest": None} for b in (0, 1)}
    for b, n, size, deepest, deepest_max in rows:
        out[b] = {"threads": n, "size": int(size), "depth": int(deepest), "deepest": deepest_max}
    return out


def depth(session, scope: Scope) -> dict:
    """The depth section: thread length and depth, reply ratio, @mentions, follower-to-follower, repeat
    commenters; current against previous."""
    counts = _people(session, scope)
    threads = _threads(session, scope)
    zero = {"comments": 0, "top_level": 0, "f2f": 0, "people": 0, "repeat": 0, "replies": 0, "mentions": 0}
    c, p = {**zero, **counts.get(1, {})}, {**zero, **counts.get(0, {})}
    t, tp = threads[1], threads[0]

    def per(a, b):
        return a / b if b else None

    m = {
        "thread_length": Metric("depth.thread_length", per(t["size"], t["threads"]), per(tp["size"], tp["threads"]),
                                unit="ratio", drill="comments:in_threads", part=t["size"], whole=t["threads"],
                                whole_drill="comments:threads"),
        "thread_depth": Metric("depth.thread_depth", per(t["depth"], t["threads"]), per(tp["depth"], tp["threads"]),
                               unit="ratio", whole=t["threads"], whole_drill="comments:threads",
                               extra={"deepest": t["deepest"]}),
        "reply_ratio": Metric("depth.reply_ratio", per(c["replies"], c["top_level"]),
                              per(p["replies"], p["top_level"]), unit="ratio", drill="comments:replies",
                              part=c["replies"], whole=c["top_level"], whole_drill="comments:top_level"),
        "mentions": Metric("depth.mentions", share(c["mentions"], c["comments"]), share(p["mentions"], p["comments"]),
                           unit="share", drill="comments:mentions", part=c["mentions"], whole=c["comments"],
                           whole_drill="comments:followers"),
        "follower_to_follower": Metric("depth.follower_to_follower", share(c["f2f"], c["comments"]),
                                       share(p["f2f"], p["comments"]), unit="share",
                                       drill="comments:follower_to_follower", part=c["f2f"], whole=c["comments"],
                                       whole_drill="comments:followers"),
        "repeat_commenters": Metric("depth.repeat_commenters", share(c["repeat"], c["people"]),
                                    share(p["repeat"], p["people"]), unit="share", drill="people:repeat_commenters",
                                    part=c["repeat"], whole=c["people"], whole_drill="people:commenters"),
        "commenters": Metric("depth.commenters", c["people"], p["people"], drill="people:commenters"),
    }
    return {"metrics": m}
