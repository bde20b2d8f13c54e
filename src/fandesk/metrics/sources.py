"""Numbers that other domains will provide, plugged in by name. Until a domain provides one, its
metrics say "no data yet" and what to do next.

A provider is `fn(session, scope) -> dict[str, Metric]`, keyed by the metric's short name in its
section. The coming domains add themselves here:

- `programmes`: tiers and advocates (growth.tier_members, growth.tier_inner_circle,
  growth.inner_circle_capacity, growth.advocates_emerging / _active / _super, growth.advocates);
- `events`: community.events, community.event_participants;
- `ugc`: community.ugc_posts (until then, UGC is counted from imported `posted_ugc` interactions).

Registering is an import of the domain's function into PROVIDERS below (metrics sits above every
domain, so the arrow points the right way)."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy.orm import Session

from fandesk.metrics.periods import Scope
from fandesk.metrics.values import Metric

Provider = Callable[[Session, Scope], dict[str, Metric]]

PROVIDERS: dict[str, Provider] = {}

# what each provider would fill in, so the pages can show the gap with its next step
PLANNED = {
    "programmes": ("tier_members", "tier_inner_circle", "inner_circle_capacity", "advocates", "advocates_emerging",
                   "advocates_active", "advocates_super"),
    "events": ("events", "event_participants"),
}


def provided(session: Session, scope: Scope, name: str) -> dict[str, Metric] | None:
    """The provider's metrics, or None while no domain provides them."""
    provider = PROVIDERS.get(name)
    return None if provider is None else provider(session, scope)
