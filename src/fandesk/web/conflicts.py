"""Races, said in the reader's language. Every state change is one guarded update: of two people
acting at once one wins, and the services tell the other who and what (errors.Overtaken); these
routes say it in the page."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from fandesk.errors import Conflict, Overtaken
from fandesk.web.i18n import gettext_
from fandesk.web.labels import N_, label

OVERTAKEN = {
    "reply_approved": N_("Already approved by %(name)s."),
    "reply_rejected": N_("Already rejected by %(name)s."),
    "reply_submitted": N_("Already sent for approval by %(name)s."),
    "reply_posted": N_("Already marked posted by %(name)s."),
    "reply_sending": N_("Being sent by %(name)s right now."),
    "reply_failed": N_("Sent by %(name)s, and the send failed: see the outbox."),
    "reply_redrafted": N_("Already made a draft again by %(name)s."),
    "reply_discarded": N_("Already discarded by %(name)s."),
    "reply_retried": N_("Already put back in the outbox by %(name)s."),
    "reply_changed": N_("Already changed by %(name)s."),
    "item_claimed": N_("Already claimed by %(name)s."),
    "item_assigned": N_("Already assigned to %(assignee)s by %(name)s."),
    "item_assigned_by_rule": N_("Already assigned to %(assignee)s by a rule."),
    "item_tier": N_("The tier was already changed to %(tier)s by %(name)s."),
    "item_closed": N_("Already closed by %(name)s."),
    "item_snoozed": N_("Already snoozed by %(name)s."),
    "item_reopened": N_("Already reopened by %(name)s."),
    "item_status": N_("Already %(status)s: changed by %(name)s."),
    "rules_changed": N_("%(name)s saved these rules after you opened them, so yours were not saved. Your text "
                        "is below: save again to replace theirs, or reload the page to start from theirs."),
}
SAYS_WHAT_NEXT = {"rules_changed"}


def overtaken_message(lost: Overtaken) -> str:
    """Who got there first and what they did, in the reader's language."""
    message = OVERTAKEN.get(lost.code)
    if message is None:
        return str(lost)
    params = {key: label(value) if key in ("status", "tier") else value for key, value in lost.params.items()}
    params["name"] = params.get("name") or gettext_("someone else")
    said = gettext_(message, **params)
    return said if lost.code in SAYS_WHAT_NEXT else said + " " + gettext_("Reload the page to see it.")


@contextmanager
def told() -> Iterator[None]:
    """Around a transaction: the person who lost a race is told, in their language, who won and what they
    did (the transaction has rolled back by then, so nothing of the loser's change stays)."""
    try:
        yield
    except Overtaken as lost:
        raise Conflict(overtaken_message(lost)) from lost
