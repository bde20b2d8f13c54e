"""Community: UGC, events, referrals, satisfaction and NPS (from imported survey answers), and the top
contributors.

- **UGC posts**: from the UGC domain once it exists; until then the `posted_ugc` interactions imported.
- **Referrals**: referral rows dated in the period, and their revenue.
- **Satisfaction**: the mean of the period's survey answers on the 1-5 scale.
- **NPS**: of the period's answers to "would you recommend us" (0-10), % promoters (9-10) minus %
  detractors (0-6), from -100 to 100.
- **Top contributors**: the people with the most comments (followers' comments, spam left out) in the
  period, with their referrals and UGC posts in it."""

from __future__ import annotations

from sqlalchemy import func, select

from fandesk.content.models import Comment
from fandesk.metrics import depth
from fandesk.metrics.periods import Period, Scope
from fandesk.metrics.sources import PLANNED, provided
from fandesk.metrics.values import Metric, absent, share
from fandesk.people.models import Interaction, Person, Referral, SurveyAnswer

TOP_CONTRIBUTORS = 10


def referrals_in(scope: Scope, period: Period | None = None):
    return scope.within(Referral.account_id, Referral.referred_at, period)


def answers_in(scope: Scope, period: Period | None = None):
    return scope.within(SurveyAnswer.account_id, SurveyAnswer.answered_at, period)


def ugc_in(scope: Scope, period: Period | None = None):
    return scope.within(Interaction.account_id, Interaction.occurred_at, period) & (Interaction.kind == "posted_ugc")


def promoters():
    return SurveyAnswer.nps >= 9


def detractors():
    return SurveyAnswer.nps <= 6


def _exists(session, table, scope: Scope, *where) -> bool:
    query = select(table.c.id).where(table.c.account_id.in_(scope.account_ids), *where).limit(1)
    return session.execute(query).first() is not None


def community(session, scope: Scope) -> dict:
    now, before = scope.period, scope.previous
    m: dict[str, Metric] = {}
    ugc = provided(session, scope, "ugc")
    if ugc:
        m.update(ugc)
    elif _exists(session, Interaction.__table__, scope, Interaction.kind == "posted_ugc"):
        n = [session.execute(select(func.count()).where(ugc_in(scope, p))).scalar_one() for p in (now, before)]
        m["ugc_posts"] = Metric("community.ugc_posts", n[0], n[1], drill="people:ugc")
    else:
        m["ugc_posts"] = absent("community.ugc_posts", "no_ugc")
    events = provided(session, scope, "events")
    for name in PLANNED["events"]:
        m[name] = (events or {}).get(name) or absent(f"community.{name}", "no_events")

    if _exists(session, Referral.__table__, scope):
        rows = [session.execute(select(func.count(), func.coalesce(func.sum(Referral.revenue), 0))
                                .where(referrals_in(scope, p))).one() for p in (now, before)]
        m["referrals"] = Metric("community.referrals", rows[0][0], rows[1][0], drill="referrals:period")
        m["referral_revenue"] = Metric("community.referral_revenue", float(rows[0][1]), float(rows[1][1]),
                                       unit="yuan", drill="referrals:period", part=rows[0][0])
    else:
        m["referrals"] = absent("community.referrals", "no_referrals")
        m["referral_revenue"] = absent("community.referral_revenue", "no_referrals", unit="yuan")

    if _exists(session, SurveyAnswer.__table__, scope):
        survey = [session.execute(select(
            func.count(SurveyAnswer.satisfaction), func.avg(SurveyAnswer.satisfaction), func.count(SurveyAnswer.nps),
            func.count().filter(promoters()), func.count().filter(detractors()))
            .where(answers_in(scope, p))).one() for p in (now, before)]

        def nps(row):
            return (row[3] - row[4]) * 100 / row[2] if row[2] else None

        m["satisfaction"] = Metric("community.satisfaction", _float(survey[0][1]), _float(survey[1][1]),
                                   unit="score", drill="survey:satisfaction", part=survey[0][0])
        m["nps"] = Metric("community.nps", nps(survey[0]), nps(survey[1]), unit="number", drill="survey:nps",
                          part=survey[0][2], extra={"promoters": survey[0][3], "detractors": survey[0][4]})
        m["promoters"] = Metric("community.promoters", share(survey[0][3], survey[0][2]),
                                share(survey[1][3], survey[1][2]), unit="share", drill="survey:promoters",
                                part=survey[0][3], whole=survey[0][2], whole_drill="survey:nps")
        m["detractors"] = Metric("community.detractors", share(survey[0][4], survey[0][2]),
                                 share(survey[1][4], survey[1][2]), unit="share", drill="survey:detractors",
                                 part=survey[0][4], whole=survey[0][2], whole_drill="survey:nps")
    else:
        for name, unit in (("satisfaction", "score"), ("nps", "number"), ("promoters", "share"),
                           ("detractors", "share")):
            m[name] = absent(f"community.{name}", "no_survey", unit=unit)
    return {"metrics": m, "top_contributors": top_contributors(session, scope)}


def _float(value):
    return None if value is None else float(value)


def top_contributors(session, scope: Scope, limit: int = TOP_CONTRIBUTORS) -> list[dict]:
    """The period's most active commenters, with their referrals and UGC posts in the period."""
    per_person = (select(Comment.person_id.label("person_id"), func.count().label("comments"))
                  .where(depth.followers(scope), Comment.person_id.is_not(None))
                  .group_by(Comment.person_id).order_by(func.count().desc(), Comment.person_id).limit(limit)).subquery()
    referrals = (select(func.count()).where(Referral.referrer_id == per_person.c.person_id, referrals_in(scope))
                 .scalar_subquery())
    ugc = select(func.count()).where(Interaction.person_id == per_person.c.person_id, ugc_in(scope)).scalar_subquery()
    rows = session.execute(select(per_person.c.person_id, Person.nickname, per_person.c.comments, referrals, ugc)
                           .join(Person, Person.id == per_person.c.person_id)
                           .order_by(per_person.c.comments.desc(), per_person.c.person_id)).all()
    return [{"person_id": pid, "nickname": nickname, "comments": comments, "referrals": refs, "ugc_posts": posts}
            for pid, nickname, comments, refs, posts in rows]
