"""Depth, growth, community, team, ROI and health on hand-made data, every expected value worked out in
the test; and every number's click-through list as long as the number."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from fandesk.db import transaction
from fandesk.errors import Invalid
from fandesk.members.models import Member
from fandesk.metrics import drill, health
from fandesk.metrics.roi import assumptions, cost_kind, set_assumption
from fandesk.metrics.service import dashboard, scope_for
from fandesk.metrics.values import Metric
from fandesk.workspace.models import Cost
from tests.metrics.world import NOW, World, local

H = timedelta(hours=1)


def _dashboard(session, world, handle, period="2026-03", now=NOW):
    return dashboard(session, scope_for(session, account_ids=[world.accounts[handle]], period=period, now=now))


@pytest.fixture
def world(workspace):
    """glow: threads for depth and a team; mei: people for growth and community; roi: costs and returns."""
    with transaction(workspace.sessions) as session:
        w = World(session)
        for handle in ("glow", "mei", "roi"):
            w.account(handle)
        w.note("glow")
        for name in ("fan", "ann", "bob", "loyal", "spammer", "p1", "p2", "p3", "p4", "p5", "p6"):
            w.person(name)
        _threads(w)
        _growth(w)
        _team(w, session)
    return w


def _threads(w: World) -> None:
    # T1: fan's top-level comment with an @, ann answers fan, we answer ann, fan answers us
    t1 = w.comment("glow", "n", "fan", local(2026, 3, 2, 10), "@小鹿 这个好用吗")
    ann = w.comment("glow", "n", "ann", local(2026, 3, 2, 11), "好用", parent=t1)
    ours = w.comment("glow", "n", None, local(2026, 3, 2, 12), "谢谢", parent=ann, ours=True)
    w.comment("glow", "n", "fan", local(2026, 3, 3, 9), "好的", parent=ours)
    # T2: ann asks, we answer, loyal answers ann five times
    t2 = w.comment("glow", "n", "ann", local(2026, 3, 5, 10), "求链接")
    w.comment("glow", "n", None, local(2026, 3, 5, 11), "已私信", parent=t2, ours=True)
    for i in range(5):
        w.comment("glow", "n", "loyal", local(2026, 3, 10, 10 + i), "我也要", parent=t2)
    # T3: bob at 23:00 on 31 March; ann answers on 1 April (April's, not March's)
    t3 = w.comment("glow", "n", "bob", local(2026, 3, 31, 23), "晚安")
    w.comment("glow", "n", "ann", local(2026, 4, 1, 8), "早", parent=t3)
    # T4: bob in February; fan answers bob in March (a March reply, follower to follower)
    t4 = w.comment("glow", "n", "bob", local(2026, 2, 20), "二月的")
    w.comment("glow", "n", "fan", local(2026, 3, 3, 10), "同感", parent=t4)
    # spam: a top-level comment the desk marked as spam
    spam = w.comment("glow", "n", "spammer", local(2026, 3, 6), "加V看主页 @所有人")
    w.item("glow", spam.created_at, source=spam, spam=True)


def _growth(w: World) -> None:
    on = w.interaction
    on("mei", "p1", "commented", local(2026, 1, 20))
    on("mei", "p1", "commented", local(2026, 2, 10))  # 21 days later
    on("mei", "p1", "commented", local(2026, 3, 5))  # 23 days later
    on("mei", "p2", "commented", local(2026, 1, 5))
    on("mei", "p2", "messaged", local(2026, 3, 20))
    on("mei", "p3", "followed", local(2026, 3, 2))
    on("mei", "p4", "commented", local(2026, 2, 15))
    on("mei", "p5", "commented", local(2026, 2, 1))
    on("mei", "p5", "commented", local(2026, 3, 1, 0, 30))
    on("mei", "p6", "commented", local(2025, 12, 1))
    on("mei", "p6", "commented", local(2026, 2, 20))
    for day in (11, 12):
        on("mei", "p1", "posted_ugc", local(2026, 3, day))
    on("mei", "p2", "posted_ugc", local(2026, 3, 21))
    w.referral("mei", "p3", local(2026, 3, 3), 199)
    w.referral("mei", "p3", local(2026, 3, 20), 99)
    w.referral("mei", "p1", local(2026, 2, 1), 79)
    for nps, satisfaction in zip([10, 9, 9, 8, 7, 6, 3, 10], [5, 5, 4, 4, 3, 3, 2, 5], strict=True):
        w.survey("mei", None, local(2026, 3, 15), satisfaction, nps)


def _team(w: World, session) -> None:
    a, b = Member(name="阿敏", role="moderator"), Member(name="小周", role="moderator")
    session.add_all([a, b])
    session.flush()
    w.members = {"a": a.id, "b": b.id}
    w.account("desk")
    w.note("desk")
    r1 = w.comment("desk", "n", "fan", local(2026, 3, 2, 10), interaction=False)
    follow_up = w.comment("desk", "n", "fan", local(2026, 3, 2, 13), "谢谢你们", parent=r1, interaction=False)
    r2 = w.comment("desk", "n", "ann", local(2026, 3, 3, 10), interaction=False)
    r3 = w.comment("desk", "n", "bob", local(2026, 3, 4, 10), interaction=False)
    r4 = w.comment("desk", "n", "bob", local(2026, 3, 5, 10), interaction=False)
    r5 = w.comment("desk", "n", "bob", local(2026, 3, 6, 10), interaction=False)
    i1 = w.item("desk", r1.created_at, source=r1, answered_after=H)
    w.desk_reply(i1, a.id, r1.created_at + H, "desk", work_seconds=120)
    w.item("desk", follow_up.created_at, source=follow_up, sentiment="positive")
    i2 = w.item("desk", r2.created_at, source=r2, answered_after=5 * H)
    w.desk_reply(i2, a.id, r2.created_at + 5 * H, "desk", work_seconds=300)
    i3 = w.item("desk", r3.created_at, source=r3, answered_after=2 * H, sentiment="positive")
    w.desk_reply(i3, b.id, r3.created_at + 2 * H, "desk", work_seconds=600, channel="dm")
    w.item("desk", r4.created_at, source=r4, answered_after=3 * H)  # answered by our reply found in an import
    w.item("desk", r5.created_at, source=r5)  # still open


def test_depth_of_the_conversation(workspace, world):
    with transaction(workspace.sessions) as session:
        d = _dashboard(session, world, "glow")
    m = d.metrics
    # followers' comments in March: T1 fan, ann, fan; T2 ann and loyal x5; T3 bob; T4 fan = 11 (spam left out)
    assert m["depth.follower_to_follower"].whole == 11
    # answering another follower: ann->fan, loyal->ann x5, fan->bob = 7
    assert m["depth.follower_to_follower"].part == 7
    assert m["depth.mentions"].part == 1  # fan's "@小鹿"; the spammer's @ is spam
    # replies written in March, ours too: T1 ann, ours, fan; T2 ours, loyal x5; T4 fan = 10; top-level: 3
    assert (m["depth.reply_ratio"].part, m["depth.reply_ratio"].whole) == (10, 3)
    # threads started in March: T1 (4 comments, 3 deep), T2 (7, 1 deep), T3 (1: the April reply is April's)
    assert (m["depth.thread_length"].part, m["depth.thread_length"].whole) == (12, 3)
    assert m["depth.thread_length"].value == 4.0
    assert m["depth.thread_depth"].value == pytest.approx(4 / 3)
    assert m["depth.thread_depth"].extra["deepest"] == 3
    # commenters: fan, ann, bob, loyal; 5+ comments: loyal
    assert (m["depth.repeat_commenters"].part, m["depth.repeat_commenters"].whole) == (1, 4)
    assert [c["nickname"] for c in d.top_contributors] == ["loyal", "fan", "ann", "bob"]
    assert [c["comments"] for c in d.top_contributors] == [5, 3, 2, 1]


def test_growth_retention_and_reactivation(workspace, world):
    with transaction(workspace.sessions) as session:
        m = _dashboard(session, world, "mei").metrics
    # March: p1 (Jan, Feb, Mar), p2 (Jan, then 20 Mar), p3 (follows 2 Mar, first ever), p5 (1 Feb, 1 Mar 00:30)
    assert m["growth.active_people"].value == 4
    assert m["growth.new_people"].value == 1  # p3
    assert m["growth.new_followers"].value == 1  # p3
    # February's active: p1, p4, p5, p6; of them active again in March: p1, p5
    assert (m["growth.retention"].part, m["growth.retention"].whole) == (2, 4)
    assert m["growth.reactivated"].value == 1  # p2: 5 Jan -> 20 Mar; p1 and p5 were back within 30 days
    assert (m["growth.returning"].part, m["growth.returning"].whole) == (3, 4)
    # February against January: Jan's active p1, p2; p1 again in Feb -> 1/2; p6 back after Dec; p4, p5 new
    assert m["growth.retention"].previous == 0.5
    assert m["growth.reactivated"].previous == 1
    assert m["growth.new_people"].previous == 2
    assert m["growth.tier_inner_circle"].missing == "no_programmes"


def test_community_referrals_satisfaction_nps_and_ugc(workspace, world):
    with transaction(workspace.sessions) as session:
        m = _dashboard(session, world, "mei").metrics
    assert (m["community.referrals"].value, m["community.referrals"].previous) == (2, 1)
    assert m["community.referral_revenue"].value == 298
    assert m["community.satisfaction"].value == 31 / 8
    # promoters (9-10): 10, 9, 9, 10; detractors (0-6): 6, 3; of 8 -> (4 - 2) / 8 = 25
    assert m["community.nps"].value == 25
    assert m["community.ugc_posts"].value == 3
    assert m["community.events"].missing == "no_events"


def test_a_workspace_without_sheets_says_no_data_yet(workspace, world):
    with transaction(workspace.sessions) as session:
        m = _dashboard(session, world, "glow").metrics
    assert m["community.nps"].missing == "no_survey"
    assert m["community.referrals"].missing == "no_referrals"
    assert m["growth.new_followers"].missing == "no_followers_sheet"
    assert m["community.ugc_posts"].missing == "no_ugc"
    assert m["roi.roi"].missing == "no_costs"


def test_team_credit_response_times_and_time(workspace, world):
    with transaction(workspace.sessions) as session:
        d = _dashboard(session, world, "desk")
    rows = {r["member_id"]: r for r in d.team["rows"]}
    a, b = rows[world.members["a"]], rows[world.members["b"]]
    imported = next(r for r in d.team["rows"] if r["imported"])
    assert (a["answered"].value, a["response_mean"].value) == (2, (3600 + 5 * 3600) / 2)
    assert (a["within_target"].part, a["within_target"].whole) == (1, 2)  # 5 h is past 4 h
    assert a["response_median"].value == 3600 and a["response_p90"].value == 5 * 3600
    assert (b["answered"].value, b["within_target"].value) == (1, 1.0)
    assert (imported["answered"].value, imported["response_mean"].value) == (1, 3 * 3600)
    # a's threads: r1 (r1 itself, neutral; fan's positive follow-up) and r2 (neutral): 1 positive of 3
    assert (a["positive_threads"].part, a["positive_threads"].whole) == (1, 3)
    assert a["success"] == {"within_target": False, "positive": False}
    assert b["positive_threads"].value == 1.0 and b["success"]["positive"] is True
    assert a["hours_replies"] == pytest.approx(420 / 3600) and b["hours_dms"] == pytest.approx(600 / 3600)
    time = d.team["time"]
    assert time["hours_total"].value == pytest.approx(1020 / 3600)
    assert time["hours_dms"].extra["share"] == pytest.approx(600 / 1020)
    assert time["hours_content"].missing == "no_events"
    # the rows add up to the period's answered items
    assert sum(r["answered"].value for r in d.team["rows"]) == 4


def test_roi_from_costs_and_returns_the_brief_example(workspace, world):
    with transaction(workspace.sessions) as session:
        world.session = session
        roi = world.accounts["roi"]
        world.person("friend")
        for category, amount, hours in (("团队工时", 8500, 150), ("工具", 1500, None), ("奖励/礼品", 2000, None)):
            session.add(Cost(account_id=roi, row_key=category, incurred_on=date(2026, 3, 1), category=category,
                             amount=amount, hours=hours, raw="{}"))
        session.add(Cost(account_id=roi, row_key="feb", incurred_on=date(2026, 2, 28), category="工具", amount=500,
                         raw="{}"))
        world.referral("roi", "friend", local(2026, 3, 10), 27000)
        for i in range(80):  # 80 UGC posts x ¥100
            world.interaction("roi", "friend", "posted_ugc", local(2026, 3, 1) + timedelta(hours=i))
        m = _dashboard(session, world, "roi").metrics
        assert (m["roi.cost_team"].value, m["roi.cost_tools"].value, m["roi.cost_rewards"].value) == (8500, 1500, 2000)
        assert m["roi.cost_total"].value == 12000 and m["roi.cost_total"].previous == 500
        assert (m["roi.return_referrals"].value, m["roi.return_ugc"].value) == (27000, 8000)
        assert m["roi.return_total"].value == 35000
        assert round(m["roi.roi"].value, 1) == 2.9  # 35,000 / 12,000
        assert m["roi.team_hours"].value == 150
        # an assumption changed: a UGC post worth ¥50 -> 27,000 + 4,000
        set_assumption(session, account_id=roi, key="ugc_post_value", value="50", member_id=None)
        assert _dashboard(session, world, "roi").metrics["roi.return_total"].value == 31000
        set_assumption(session, account_id=roi, key="community_follower_share", value="70%", member_id=None)
        assert assumptions(session, [roi])[roi]["community_follower_share"] == 0.7
        with pytest.raises(Invalid):
            set_assumption(session, account_id=roi, key="community_follower_share", value="1.5", member_id=None)
        with pytest.raises(Invalid):
            set_assumption(session, account_id=roi, key="discount_rate", value="1", member_id=None)


def test_cost_categories_read_in_chinese_and_english():
    assert [cost_kind(c) for c in ("团队工时", "人力", "Team hours", "工具", "SaaS subscription", "奖励", "gift cards",
                                   "场地")] == ["team", "team", "team", "tools", "tools", "rewards", "rewards", "other"]


def test_health_score_formula_on_the_brief_numbers():
    values = {"engagement.reply_rate": 0.905, "engagement.all_within_target": 0.70,
              "engagement.sentiment_positive": 0.94, "engagement.sentiment_negative": 0.06,
              "depth.repeat_commenters": 0.35, "depth.follower_to_follower": 0.15, "growth.retention": 0.85,
              "community.nps": 72}
    metrics = {key: Metric(key, value) for key, value in values.items()}
    result = health.health_score(metrics)
    # all 10 but within target (0.70 between 0.50 and 0.90: 5.0) and negative (6% between 20% and 5%: 9.33)
    # (15x10 + 15x5 + 15x10 + 10x9.33 + 10x10 + 10x10 + 15x10 + 10x10) / 100 = 9.18
    assert result["score"].value == 9.2
    del metrics["community.nps"]
    assert health.health_score(metrics)["weights_used"] == 90
    actions = {a.code for a in health.suggested_actions(metrics, [])}
    assert "maintain_response_rate" in actions and "faster_responses" in actions
    assert "improve_negative_sentiment" in actions  # 6% is not under 5%


def test_every_number_clicks_through_to_a_list_as_long_as_the_number(workspace, world):
    checked = 0
    with transaction(workspace.sessions) as session:
        for handle in ("glow", "mei", "desk"):
            d = _dashboard(session, world, handle)
            scope = d.scope
            team_metrics = [row["answered"] for row in d.team["rows"]]
            for metric in [*d.metrics.values(), *team_metrics]:
                if metric.drill and metric.value is not None:
                    expected = metric.part if metric.part is not None else metric.value
                    assert drill.count(session, drill.drill(scope, metric.drill)) == expected, (handle, metric.key)
                    checked += 1
                if metric.whole_drill and metric.whole is not None:
                    assert drill.count(session, drill.drill(scope, metric.whole_drill)) == metric.whole, \
                        (handle, metric.key, "whole")
                    checked += 1
            listed = drill.page(session, drill.drill(scope, "items:to_answer"))
            assert len(listed) == d.metrics["engagement.comments"].value
    assert checked > 60
