"""Engagement numbers on hand-made items, each expected value worked out here: reply rate (the brief's
2,850 comments / 2,580 replies -> 90.5%), response times, within target, DM stretches, sentiment,
negative causes, and the edges: Shanghai month, week and day boundaries, empty periods, items still
open, replies in the next period, hidden comments."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import insert

from fandesk.db import transaction
from fandesk.inbox.models import InboxItem
from fandesk.metrics.periods import Period, Scope, parse_period
from fandesk.metrics.service import dashboard, scope_for
from tests.metrics.world import NOW, World, local

H = timedelta(hours=1)


def _scope(session, world: World, period: str = "2026-03", now=NOW, handles=("glow",)) -> Scope:
    return scope_for(session, account_ids=[world.accounts[h] for h in handles], period=period, now=now)


def _metrics(session, world, period="2026-03", now=NOW, handles=("glow",)):
    return dashboard(session, _scope(session, world, period, now, handles)).metrics


@pytest.fixture
def world(workspace):
    with transaction(workspace.sessions) as session:
        w = World(session)
        w.account("glow")
        w.account("mei")
        w.note("glow")
        w.person("fan")
    return w


def test_the_brief_2850_comments_2580_replies_is_a_90_5_percent_reply_rate(workspace, world):
    with transaction(workspace.sessions) as session:
        world.session = session
        account = world.accounts["glow"]
        start = local(2026, 3, 1, 8)
        rows = []
        for i in range(2850):
            at = start + timedelta(minutes=10 * i)  # 2,850 comments spread over March (ends 20 March)
            answered = i < 2580
            rows.append(dict(account_id=account, channel="comment", source_id=10_000 + i, text="", received_at=at,
                             status="replied" if answered else "new", tier="routine", reply_by=at + 4 * H,
                             category="casual", categories="[]", sentiment="positive", sentiment_score=0.5,
                             language="zh", is_question=False, spam=False, hidden=False, escalated=False, reasons="[]",
                             tier_by_person=False, assignee_by_person=False, status_by_person=False,
                             replied_at=at + 2 * H if answered else None, response_seconds=7200 if answered else None,
                             created_at=at, updated_at=at))
        session.execute(insert(InboxItem), rows)
        # spam, hidden, and a comment of another account: none of them is a comment to answer
        world.item("glow", local(2026, 3, 5), spam=True)
        world.item("glow", local(2026, 3, 5), hidden=True)
        world.item("mei", local(2026, 3, 5))
        m = _metrics(session, world)
    assert m["engagement.comments"].value == 2850
    assert m["engagement.replies"].value == 2580
    assert round(m["engagement.reply_rate"].value * 100, 1) == 90.5  # 2580 / 2850 = 0.90526...
    assert m["engagement.unanswered"].value == 270
    assert m["engagement.response_mean"].value == 7200
    assert m["engagement.excluded"].value == 2
    # every answered one in 2 h (within 4 h); the 270 open ones are past their 4 h on 10 April
    assert m["engagement.within_target"].part == 2580 and m["engagement.within_target"].whole == 2850
    assert m["engagement.late"].value == 270


def test_response_time_mean_median_and_p90_by_nearest_rank(workspace, world):
    seconds = [600, 1200, 1800, 3600, 7200, 14400, 20000, 30000, 50000, 90000]
    with transaction(workspace.sessions) as session:
        world.session = session
        for i, s in enumerate(seconds):
            world.item("glow", local(2026, 3, 2 + i, 10), answered_after=timedelta(seconds=s))
        m = _metrics(session, world)
    assert m["engagement.response_mean"].value == sum(seconds) / 10  # 21,880 s
    assert m["engagement.response_median"].value == 7200  # rank ceil(0.5 x 10) = 5
    assert m["engagement.response_p90"].value == 50000  # rank ceil(0.9 x 10) = 9
    # within 4 h (14,400 s): the first six
    assert (m["engagement.within_target"].part, m["engagement.within_target"].whole) == (6, 10)


def test_open_items_are_late_only_once_their_target_has_passed(workspace, world):
    now = local(2026, 3, 20, 12)
    with transaction(workspace.sessions) as session:
        world.session = session
        world.item("glow", local(2026, 3, 20, 11))  # an hour old: not late yet
        world.item("glow", local(2026, 3, 20, 7))  # five hours old: late
        world.item("glow", local(2026, 3, 20, 6), answered_after=3 * H)  # answered in 3 h
        world.item("glow", local(2026, 3, 19, 6), channel="dm", who="fan")  # a DM 30 h old: late (24 h)
        m = _metrics(session, world, now=now)
    assert (m["engagement.within_target"].part, m["engagement.within_target"].whole) == (1, 2)
    assert m["engagement.late"].value == 1
    assert m["engagement.unanswered"].value == 2
    assert (m["engagement.dm_within_target"].part, m["engagement.dm_within_target"].whole) == (0, 1)


def test_a_comment_answered_in_the_next_period_counts_as_answered_where_it_arrived(workspace, world):
    with transaction(workspace.sessions) as session:
        world.session = session
        world.item("glow", local(2026, 3, 31, 23), answered_after=2 * H)  # answered at 01:00 on 1 April
        march = _metrics(session, world)
        april = _metrics(session, world, period="2026-04", now=local(2026, 4, 30))
    assert (march["engagement.comments"].value, march["engagement.replies"].value) == (1, 1)
    assert (april["engagement.comments"].value, april["engagement.replies"].value) == (0, 0)
    assert april["engagement.comments"].previous == 1  # March, as April's previous period


def test_month_week_and_day_boundaries_are_in_the_accounts_time_zone(workspace, world):
    with transaction(workspace.sessions) as session:
        world.session = session
        world.item("glow", local(2026, 3, 1, 0, 30))  # 28 Feb 16:30 UTC: March in Shanghai
        world.item("glow", local(2026, 2, 28, 23, 59))  # 28 Feb 15:59 UTC: February
        world.item("glow", local(2026, 4, 1, 0, 0))  # April
        world.item("glow", local(2026, 3, 31, 23, 59, 59))  # March
        march = _metrics(session, world)
        week = _metrics(session, world, period="2026-W09")  # Monday 23 Feb - Sunday 1 March
        day = _metrics(session, world, period="2026-03-01")
    assert march["engagement.comments"].value == 2
    assert march["engagement.comments"].previous == 1
    assert week["engagement.comments"].value == 2  # 28 Feb 23:59 and 1 March 00:30
    assert day["engagement.comments"].value == 1
    assert day["engagement.comments"].previous == 1  # 28 February


def test_accounts_in_different_time_zones_each_keep_their_own_month(workspace, world):
    with transaction(workspace.sessions) as session:
        world.session = session
        world.account("london", "Europe/London")
        # 31 March 23:30 in London (BST, UTC+1) is 22:30 UTC, 06:30 on 1 April in Shanghai
        from datetime import datetime

        world.item("london", datetime(2026, 3, 31, 22, 30))
        world.item("glow", datetime(2026, 3, 31, 22, 30))
        m = _metrics(session, world, handles=("glow", "london"))
    assert m["engagement.comments"].value == 1  # London's, still March there; Shanghai's is April


def test_an_empty_period_has_counts_of_zero_and_no_rates(workspace, world):
    with transaction(workspace.sessions) as session:
        world.session = session
        d = dashboard(session, _scope(session, world))
    m = d.metrics
    assert m["engagement.comments"].value == 0
    assert m["engagement.reply_rate"].value is None
    assert m["engagement.response_median"].value is None
    assert m["depth.thread_length"].value is None
    assert m["growth.retention"].value is None
    assert d.health["score"].value is None


def test_dm_response_runs_from_the_first_message_of_a_waiting_stretch(workspace, world):
    with transaction(workspace.sessions) as session:
        world.session = session
        world.person("ann")
        first = local(2026, 3, 10, 9)
        reply = first + 5 * H
        # three messages, then our reply: one stretch answered in 5 h (from the first)
        for minutes in (0, 10, 30):
            at = first + timedelta(minutes=minutes)
            world.item("glow", at, channel="dm", who="ann", answered_after=reply - at)
        # a new question the next day, still open: a second stretch
        world.item("glow", local(2026, 3, 11, 9), channel="dm", who="ann")
        m = _metrics(session, world)
    assert m["engagement.dm_conversations"].value == 2
    assert m["engagement.dm_answered"].value == 1
    assert m["engagement.dm_response_mean"].value == 5 * 3600
    assert m["engagement.dm_response_median"].value == 5 * 3600
    assert (m["engagement.dm_within_target"].part, m["engagement.dm_within_target"].whole) == (1, 2)
    assert m["engagement.comments"].value == 0  # DMs are not comments to answer


def test_sentiment_split_and_negative_feedback_by_cause_month_over_month(workspace, world):
    with transaction(workspace.sessions) as session:
        world.session = session
        for i, (sentiment, cause) in enumerate([("positive", None)] * 6 + [("neutral", None)] * 2
                                               + [("negative", "product_failure")] * 1
                                               + [("negative", "shipping_delay")] * 1):
            world.item("glow", local(2026, 3, 2, 10, i), sentiment=sentiment, cause=cause)
        world.item("glow", local(2026, 2, 2), sentiment="negative", cause="shipping_delay")
        world.item("glow", local(2026, 2, 3), sentiment="negative", cause="shipping_delay")
        world.item("glow", local(2026, 2, 4), sentiment="negative")  # no cause found: "other"
        world.item("glow", local(2026, 3, 5), sentiment="negative", spam=True)  # spam: left out
        d = dashboard(session, _scope(session, world))
    m = d.metrics
    assert m["engagement.sentiment_positive"].value == 0.6
    assert m["engagement.sentiment_neutral"].value == 0.2
    assert m["engagement.sentiment_negative"].value == 0.2
    assert m["engagement.sentiment_negative"].previous == 1.0
    causes = {c.extra["cause"]: c for c in d.feedback["causes"]}
    assert (causes["shipping_delay"].value, causes["shipping_delay"].previous) == (1, 2)
    assert (causes["product_failure"].value, causes["product_failure"].previous) == (1, 0)
    assert (causes["other"].value, causes["other"].previous) == (0, 1)
    assert causes["shipping_delay"].extra["share"] == 0.5
    assert causes["shipping_delay"].extra["actions"] == ["shipping_carriers", "shipping_processing",
                                                         "shipping_tracking"]
    assert d.feedback["total"].value == 2 and d.feedback["total"].previous == 3


def test_periods_parse_and_step_back():
    assert parse_period("2026-03").previous() == Period("month", parse_period("2026-02").start)
    assert parse_period("2026-01").previous().label == "2025-12"
    assert parse_period("2026-W01").start.isoformat() == "2025-12-29"
    assert parse_period("2026-W01").previous().label == "2025-W52"
    assert parse_period("2026-03-01").previous().label == "2026-02-28"
    from fandesk.errors import Invalid

    with pytest.raises(Invalid):
        parse_period("2026-13")
