"""What counts, for the inbox's items, as a comment to answer, answered, on time: each written once as
an SQL condition, so a number and the list behind it come from the same words.

- A **comment to answer** is an inbox item on the comment or mention channel (never our own comments:
  those make no item), not spam and not hidden (auto-hidden spam, or hidden by a person: how a deleted
  comment leaves the count). It belongs to the period it arrived in, in the account's time zone.
- **Answered**: we replied (a reply posted from the desk, or our reply found in an import), whenever
  that was: a comment of 31 March answered on 1 April counts as answered in March. So a period's
  numbers can still rise while its comments are being answered.
- **Response time**: from its arrival to our first reply (`inbox_item.response_seconds`). For DMs, from
  the first message of a waiting stretch (the conversation's start, or its reopening after our last
  reply) to our reply, as Chatwoot counts first response: one stretch, one response.
- **Within target**: answered within the team standard (comments 4 h, DMs 24 h), out of those whose
  target has passed at the time of computing or that are answered; an item still open but within its
  target is not late yet.
- **By its reply-by**: answered by the item's own deadline (its tier's target, moved past closed
  business hours): the same share in business hours."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import and_, case, func, literal_column, or_, select, union_all

from fandesk.inbox.deadlines import CHANNEL_HOURS
from fandesk.inbox.models import CHANNELS, InboxItem
from fandesk.metrics.periods import Period, Scope
from fandesk.metrics.values import seconds_between

PUBLIC = ("comment", "mention")
# response-time distribution: upper edges in hours; the last bucket is everything slower
RESPONSE_EDGES_HOURS = (1, 2, 4, 8, 12, 24, 48)


def target_seconds(channel_column):
    return case((channel_column == "dm", CHANNEL_HOURS["dm"] * 3600), else_=CHANNEL_HOURS["comment"] * 3600)


def counted():
    """Not spam, not hidden: what the team is expected to read (and, for comments, answer)."""
    return and_(InboxItem.spam.is_(False), InboxItem.hidden.is_(False))


def answered():
    return InboxItem.replied_at.is_not(None)


def within_standard():
    return and_(answered(), InboxItem.response_seconds <= target_seconds(InboxItem.channel))


def due(now: datetime):
    """Answered, or its team-standard target has passed by `now`."""
    return or_(answered(),
               and_(InboxItem.channel == "dm", InboxItem.received_at <= now - timedelta(hours=CHANNEL_HOURS["dm"])),
               and_(InboxItem.channel != "dm",
                    InboxItem.received_at <= now - timedelta(hours=CHANNEL_HOURS["comment"])))


def by_reply_by():
    return and_(answered(), InboxItem.replied_at <= InboxItem.reply_by)


def due_by_reply_by(now: datetime):
    return or_(answered(), InboxItem.reply_by <= now)


def response_bucket(seconds_column):
    """0 .. len(RESPONSE_EDGES_HOURS): which bar of the response-time distribution."""
    whens = [(seconds_column < hours * 3600, literal_column(str(i))) for i, hours in enumerate(RESPONSE_EDGES_HOURS)]
    return case(*whens, else_=literal_column(str(len(RESPONSE_EDGES_HOURS))))


def in_period(scope: Scope, period: Period | None = None, *, channels: tuple[str, ...] = CHANNELS):
    """Items that arrived in the period. The channel comes first, as in the index that serves these
    reads (channel, account, arrival, then every column the numbers use: no table row is read)."""
    return and_(InboxItem.channel.in_(channels), scope.within(InboxItem.account_id, InboxItem.received_at, period))


def in_both(scope: Scope, *, channels: tuple[str, ...] = CHANNELS, margin: timedelta = timedelta(0)):
    return and_(InboxItem.channel.in_(channels),
                scope.both(InboxItem.account_id, InboxItem.received_at, margin=margin))


FLAGS = ("counted", "answered", "std", "due", "by_reply_by", "due_reply_by")


def _flags(**conditions):
    """The item's yes/no facts as one small integer (bit i: FLAGS[i]): one grouping key, not six."""
    total = None
    for bit, name in enumerate(FLAGS):
        if name in conditions:
            term = case((conditions[name], 1 << bit), else_=0)
            total = term if total is None else total + term
    return total


class Facts:
    """One grouped row, its flags unpacked: `row.answered`, `row.sentiment`, `row.n`, ..."""

    __slots__ = ("b", "channel", "sentiment", "cause", "rt", "n", "seconds", *FLAGS)

    def __init__(self, row, keys: list[str]):
        for name in FLAGS:
            setattr(self, name, None)
        for key, value in zip(keys, row, strict=True):
            if key == "flags":
                for bit, name in enumerate(FLAGS):
                    setattr(self, name, (value >> bit) & 1)
            else:
                setattr(self, key, value)
        for name in ("channel", "sentiment", "cause", "rt"):
            if name not in keys:
                setattr(self, name, None)


def _grouped(session, facts, keys: list[str]) -> list[Facts]:
    columns = [facts.c[k] for k in keys]
    rows = session.execute(select(*columns, func.count().label("n"),
                                  func.coalesce(func.sum(facts.c.seconds), 0).label("seconds"))
                           .group_by(*columns)).all()
    return [Facts(row, [*keys, "n", "seconds"]) for row in rows]


def item_facts(session, scope: Scope) -> list[Facts]:
    """One pass over the items of the previous and the current period: counts by period (`b`), channel
    and every fact the engagement and feedback numbers need, and response seconds summed. Hundreds of
    rows, however many items."""
    now = scope.now

    def part(b, period):
        return select(
            b, InboxItem.channel.label("channel"),
            _flags(counted=counted(), answered=answered(), std=within_standard(), due=due(now),
                   by_reply_by=by_reply_by(), due_reply_by=due_by_reply_by(now)).label("flags"),
            InboxItem.sentiment.label("sentiment"), InboxItem.cause.label("cause"),
            case((answered(), response_bucket(InboxItem.response_seconds)), else_=-1).label("rt"),
            InboxItem.response_seconds.label("seconds"),
        ).where(in_period(scope, period))

    return _grouped(session, scope.per_period(part), ["b", "channel", "flags", "sentiment", "cause", "rt"])


def daily_facts(session, scope: Scope) -> list[Facts]:
    """The current period's items by step (day, or hour): the trend charts' counts."""
    facts = select(
        scope.step(InboxItem.account_id, InboxItem.received_at).label("b"),
        InboxItem.channel.label("channel"),
        _flags(counted=counted(), answered=answered(), std=within_standard(), due=due(scope.now)).label("flags"),
        InboxItem.sentiment.label("sentiment"),
        InboxItem.response_seconds.label("seconds"),
    ).where(in_period(scope)).subquery()
    return _grouped(session, facts, ["b", "channel", "flags", "sentiment"])


def dm_stretches(scope: Scope):
    """DM waiting stretches: the counted DM items of one conversation answered by the same reply (or
    all still waiting), with their first message, reply-by and reply. A stretch belongs to the period
    of its first message; it is looked for from a week before the previous period so one that began
    just before is not cut in two."""
    stretch = (select(InboxItem.account_id.label("account_id"), InboxItem.person_id.label("person_id"),
                      InboxItem.replied_at.label("replied_at"), func.min(InboxItem.received_at).label("started_at"),
                      func.min(InboxItem.reply_by).label("reply_by"), func.min(InboxItem.id).label("first_item_id"),
                      func.count().label("messages"))
               .where(in_both(scope, channels=("dm",), margin=timedelta(days=7)), counted())
               .group_by(InboxItem.account_id, InboxItem.person_id, InboxItem.replied_at)).subquery()
    bucket = scope.bucket(stretch.c.account_id, stretch.c.started_at)
    seconds = case((stretch.c.replied_at.is_not(None),
                    func.round(seconds_between(stretch.c.started_at, stretch.c.replied_at))), else_=None)
    return stretch, bucket, seconds


def dm_facts(session, scope: Scope) -> list:
    """Per period: stretches, answered, within 24 h, due, by reply-by, and the response seconds."""
    stretch, bucket, seconds = dm_stretches(scope)
    now = scope.now
    target = CHANNEL_HOURS["dm"] * 3600
    replied = stretch.c.replied_at.is_not(None)
    facts = select(
        bucket.label("b"),
        _flags(answered=replied, std=and_(replied, seconds <= target),
               due=or_(replied, stretch.c.started_at <= now - timedelta(seconds=target)),
               by_reply_by=and_(replied, stretch.c.replied_at <= stretch.c.reply_by),
               due_reply_by=or_(replied, stretch.c.reply_by <= now)).label("flags"),
        case((replied, response_bucket(seconds)), else_=-1).label("rt"),
        seconds.label("seconds"),
    ).subquery()
    return [row for row in _grouped(session, facts, ["b", "flags", "rt"]) if row.b is not None]


def percentiles(session, values, *, partition) -> dict[tuple, dict[str, float]]:
    """Median and 90th percentile by nearest rank (the value at rank ⌈p·n⌉ in ascending order), per
    partition, computed in the database with a window function: {partition key: {"median", "p90"}}."""
    columns = [values.c[name] for name in partition]
    ranked = select(*columns, values.c.seconds,
                    func.row_number().over(partition_by=columns, order_by=values.c.seconds).label("rn"),
                    func.count().over(partition_by=columns).label("n")).subquery()
    rn, n = ranked.c.rn, ranked.c.n
    median_rank, p90_rank = (n + 1) // 2, (9 * n + 9) // 10
    rows = session.execute(select(*[ranked.c[name] for name in partition], rn, n, ranked.c.seconds)
                           .where(or_(rn == median_rank, rn == p90_rank))).all()
    out: dict[tuple, dict[str, float]] = {}
    for row in rows:
        key = tuple(row[: len(partition)])
        rank, count, seconds = row[len(partition):]
        found = out.setdefault(key, {})
        if rank == (count + 1) // 2:
            found["median"] = float(seconds)
        if rank == (9 * count + 9) // 10:
            found["p90"] = float(seconds)
    return out


def response_values(scope: Scope):
    """The response seconds of answered comments (by item) and of answered DM stretches, labelled with
    their period (`b`: 0 previous, 1 current) and channel group ("comments" or "dms")."""
    public = [select(literal_column(str(b)).label("b"), literal_column("'comments'").label("grp"),
                     InboxItem.response_seconds.label("seconds"))
              .where(in_period(scope, period, channels=PUBLIC), counted(), answered())
              for b, period in enumerate(scope.periods)]
    stretch, bucket, seconds = dm_stretches(scope)
    dms = (select(bucket.label("b"), literal_column("'dms'").label("grp"), seconds.label("seconds"))
           .where(stretch.c.replied_at.is_not(None), bucket.is_not(None)))
    return union_all(*public, dms).subquery()


def to_answer():
    """A comment to answer (see the module's words): public channel, counted."""
    return and_(InboxItem.channel.in_(PUBLIC), counted())
