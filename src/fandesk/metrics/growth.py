"""Growth, from the interaction log (every comment, reply, mention, DM, follow, purchase, referral, UGC
post and survey answer of a person on an account):

- **New followers**: people with a `followed` event in the period (from an imported follower sheet).
- **Active people**: people with any interaction on the accounts in the period.
- **New people**: active people with no interaction on the accounts before the period.
- **Retention**: of the people active in the previous period, the share active again in this one.
- **Dormant reactivated**: active people whose last interaction before their first one in the period
  was 30 or more days earlier (dormant: no interaction for 30+ days).
- **Repeat engagement** (`growth.returning`): of the active people, the share who had interacted with
  the accounts before the period (returning followers).
- **Tiers and advocates**: from the programmes, once they exist (`metrics.sources`).

One pass reads the interactions of the period and the two before it, grouped by person; only for
people not seen in those does the log's (person, time) index answer "anything earlier?"."""

from __future__ import annotations

from sqlalchemy import and_, case, func, literal_column, null, select, text
from sqlalchemy.orm import aliased

from fandesk.metrics.periods import Scope
from fandesk.metrics.sources import PLANNED, provided
from fandesk.metrics.values import Metric, absent, seconds_between, share
from fandesk.people.models import Interaction

DORMANT_DAYS = 30
# the periods of the pass: 0 = the one before the previous, 1 = previous, 2 = current
_OLDEST, _PREVIOUS, _CURRENT = 0, 1, 2


def people_facts(scope: Scope):
    """Per person: in which of the three periods they were active, when first and last in each, whether
    they followed in it, and when last active before the oldest (looked up only when needed)."""
    oldest = scope.previous.previous()
    periods = [oldest, scope.previous, scope.period]
    per_period = scope.per_period(
        lambda b, period: select(Interaction.person_id.label("person_id"), b,
                                 func.min(Interaction.occurred_at).label("first"),
                                 func.max(Interaction.occurred_at).label("last"),
                                 func.max(case((Interaction.kind == "followed", 1), else_=0)).label("followed"))
        .where(scope.within(Interaction.account_id, Interaction.occurred_at, period))
        .group_by(Interaction.person_id), periods)

    def pick(index, column, aggregate=func.max):
        return aggregate(case((per_period.c.b == index, column), else_=null()))

    per_person = (select(per_period.c.person_id.label("person_id"),
                         *[func.coalesce(pick(i, literal_column("1")), 0).label(f"in_{i}") for i in range(3)],
                         *[func.coalesce(pick(i, per_period.c.followed), 0).label(f"followed_{i}") for i in range(3)],
                         *[pick(i, per_period.c.first, func.min).label(f"first_{i}") for i in range(3)],
                         *[pick(i, per_period.c.last).label(f"last_{i}") for i in range(3)])
                  .group_by(per_period.c.person_id)).subquery()
    earlier = aliased(Interaction)
    # the newest earlier interaction on these accounts: walks the (person, time) index backwards and
    # stops at the first row of one of the accounts
    before_oldest = (select(earlier.occurred_at)
                     .where(earlier.person_id == per_person.c.person_id,
                            scope.any_account_before(earlier.account_id, earlier.occurred_at, oldest))
                     .order_by(earlier.occurred_at.desc()).limit(1).scalar_subquery())
    last_before = {}
    for now in (_PREVIOUS, _CURRENT):
        back = now - 1
        fallback = (case((per_person.c[f"in_{back - 1}"] == 1, per_person.c[f"last_{back - 1}"]), else_=before_oldest)
                    if back - 1 >= 0 else before_oldest)
        # looked up only for people active now and not in the period before (the CASE stops there)
        last_before[now] = case((per_person.c[f"in_{now}"] == 0, null()),
                                (per_person.c[f"in_{back}"] == 1, per_person.c[f"last_{back}"]), else_=fallback)
    # materialized: the outer counts read each person's lookups once, not once per count
    return select(per_person, *[last_before[n].label(f"before_{n}") for n in (_PREVIOUS, _CURRENT)]) \
        .cte("people_facts").prefix_with("MATERIALIZED")


def conditions(scope: Scope) -> tuple:
    """The per-person facts and, per period (1 previous, 2 current), the conditions of each count."""
    f = people_facts(scope)
    found = {}
    for now in (_PREVIOUS, _CURRENT):
        active, last_before = f.c[f"in_{now}"] == 1, f.c[f"before_{now}"]
        found[now] = {
            "active": active,
            "new_followers": f.c[f"followed_{now}"] == 1,
            "retained": and_(active, f.c[f"in_{now - 1}"] == 1),
            "new": and_(active, last_before.is_(None)),
            "returning": and_(active, last_before.is_not(None)),
            "reactivated": and_(active, last_before.is_not(None),
                                seconds_between(last_before, f.c[f"first_{now}"]) >= DORMANT_DAYS * 86400),
        }
    found["active_before"] = f.c[f"in_{_OLDEST}"] == 1
    return f, found


def ids(scope: Scope, name: str, *, previous: bool = False):
    """The people behind one growth count (for the lists the numbers click through to)."""
    f, found = conditions(scope)
    if name == "active_previous":
        return select(f.c.person_id).where(found[_PREVIOUS]["active"])
    return select(f.c.person_id).where(found[_PREVIOUS if previous else _CURRENT][name])


def _ever(session, scope: Scope, kind: str) -> bool:
    return session.execute(select(Interaction.id).where(Interaction.account_id.in_(scope.account_ids),
                                                        Interaction.kind == kind).limit(1)).first() is not None


def growth(session, scope: Scope) -> dict:
    """The growth section and its chart (active people and new followers per day of the period)."""
    f, found = conditions(scope)
    names = ("active", "new_followers", "retained", "new", "returning", "reactivated")
    columns = [func.count().filter(found[p][name]).label(f"{name}_{p}")
               for p in (_PREVIOUS, _CURRENT) for name in names]
    row = session.execute(select(*columns, func.count().filter(found["active_before"]).label("active_oldest"))
                          .select_from(f)).one()._mapping

    def pair(name):
        return row[f"{name}_{_CURRENT}"], row[f"{name}_{_PREVIOUS}"]

    m: dict[str, Metric] = {}
    if _ever(session, scope, "followed"):
        m["new_followers"] = Metric("growth.new_followers", *pair("new_followers"), drill="people:new_followers")
    else:
        m["new_followers"] = absent("growth.new_followers", "no_followers_sheet")
    active, retained = pair("active"), pair("retained")
    m["active_people"] = Metric("growth.active_people", *active, drill="people:active")
    m["new_people"] = Metric("growth.new_people", *pair("new"), drill="people:new")
    m["retention"] = Metric("growth.retention", share(retained[0], active[1]), share(retained[1], row["active_oldest"]),
                            unit="share", drill="people:retained", part=retained[0], whole=active[1],
                            whole_drill="people:active_previous")
    m["reactivated"] = Metric("growth.reactivated", *pair("reactivated"), drill="people:reactivated")
    returning = pair("returning")
    m["returning"] = Metric("growth.returning", share(returning[0], active[0]), share(returning[1], active[1]),
                            unit="share", drill="people:returning", part=returning[0], whole=active[0],
                            whole_drill="people:active")
    programmes = provided(session, scope, "programmes")
    for name in PLANNED["programmes"]:
        m[name] = (programmes or {}).get(name) or absent(f"growth.{name}", "no_programmes")

    step = scope.step(Interaction.account_id, Interaction.occurred_at)
    rows = session.execute(select(step.label("b"), func.count(Interaction.person_id.distinct()),
                                  func.count(case((Interaction.kind == "followed", Interaction.person_id),
                                                  else_=null()).distinct()))
                           .where(scope.within(Interaction.account_id, Interaction.occurred_at))
                           .group_by(text("1"))).all()
    by_step = {b: (n, followed) for b, n, followed in rows}
    steps = scope.steps()
    chart = {"steps": [label for label, _ in steps],
             "active_people": [by_step.get(i, (0, 0))[0] for i in range(len(steps))],
             "new_followers": [by_step.get(i, (0, 0))[1] for i in range(len(steps))]}
    return {"metrics": m, "charts": {"growth": chart}}

