"""The permission matrix: what each role may do, as one table. Every web route and service that
changes something names one of these permissions; tests walk the table row by row."""

from __future__ import annotations

from fandesk.errors import Forbidden

ROLES = ("manager", "moderator", "creator", "viewer")

# permission: (what it covers, the roles that have it)
PERMISSIONS: dict[str, tuple[str, frozenset[str]]] = {
    "read": ("see the queue, items, followers and the outbox of one's accounts",
             frozenset({"manager", "moderator", "creator", "viewer"})),
    "triage": ("assign, change tier, snooze, close, reopen, bulk actions",
               frozenset({"manager", "moderator"})),
    "edit_follower": ("tags, notes and custom fields on the follower card",
                      frozenset({"manager", "moderator"})),
    "draft_reply": ("write and edit reply drafts", frozenset({"manager", "moderator", "creator"})),
    "submit_reply": ("send a draft on: to the outbox, or for approval when a rule asks",
                     frozenset({"manager", "moderator"})),
    "approve_reply": ("approve or reject a reply that a rule sent for approval", frozenset({"manager"})),
    "post_reply": ("export the outbox and mark replies posted", frozenset({"manager", "moderator"})),
    "moderate": ("hide/unhide, public reminder, private message", frozenset({"manager", "moderator"})),
    "block": ("block a person (last resort)", frozenset({"manager", "moderator"})),
    "events": ("events, spotlights and UGC curation", frozenset({"manager", "moderator", "creator"})),
    "edit_templates": ("the reply and event template library", frozenset({"manager"})),
    "manage_rules": ("triage rules", frozenset({"manager"})),
    "manage_users": ("users, roles and their accounts", frozenset({"manager"})),
    "manage_settings": ("workspace settings", frozenset({"manager"})),
    "view_audit": ("browse the audit log", frozenset({"manager"})),
}


def can(role: str, permission: str) -> bool:
    """Whether a role has a permission; an unknown permission is a programming error."""
    return role in PERMISSIONS[permission][1]


def require(role: str, permission: str) -> None:
    if not can(role, permission):
        raise Forbidden(f"a {role} may not {PERMISSIONS[permission][0]}")


def permissions_of(role: str) -> frozenset[str]:
    return frozenset(name for name, (_, roles) in PERMISSIONS.items() if role in roles)
