"""The permission matrix, row by row, and the same rows through the HTTP routes."""

from __future__ import annotations

import pytest

from fandesk.members.permissions import PERMISSIONS, ROLES, can

# The product's table ("Who uses it"), written out independently of the code's table.
EXPECTED = {
    "read": {"manager", "moderator", "creator", "viewer"},
    "triage": {"manager", "moderator"},
    "edit_follower": {"manager", "moderator"},
    "draft_reply": {"manager", "moderator", "creator"},
    "submit_reply": {"manager", "moderator"},
    "approve_reply": {"manager"},
    "post_reply": {"manager", "moderator"},
    "moderate": {"manager", "moderator"},
    "block": {"manager", "moderator"},
    "events": {"manager", "moderator", "creator"},
    "edit_templates": {"manager"},
    "manage_rules": {"manager"},
    "manage_users": {"manager"},
    "manage_settings": {"manager"},
    "view_audit": {"manager"},
}


def test_the_matrix_covers_every_permission():
    assert set(PERMISSIONS) == set(EXPECTED)


@pytest.mark.parametrize("permission", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_matrix_row(role, permission):
    assert can(role, permission) is (role in EXPECTED[permission])


def _routes(world):
    q, praise = world.items["question"], world.items["praise"]
    return [
        ("triage", f"/items/{q}/action", {"action": "tier", "tier": "routine"}),
        ("triage", "/queue/bulk", {"action": "close", "ids": [str(praise)]}),
        ("edit_follower", f"/items/{q}/tags", {"tags": "vip"}),
        ("edit_follower", f"/items/{q}/notes", {"text": "likes samples"}),
        ("edit_follower", f"/items/{q}/fields", {"name": "skin_type", "value": "油皮"}),
        ("draft_reply", f"/items/{q}/draft", {}),
        ("moderate", f"/items/{praise}/moderate", {"action": "hide", "guideline": "spam"}),
        ("block", f"/items/{praise}/moderate", {"action": "block", "guideline": "harassment"}),
        ("edit_templates", "/templates", {"kind": "reply", "key": "thanks", "language": "zh", "title": "新",
                                          "body": "@{nickname} 谢谢！"}),
        ("post_reply", "/outbox/posted", {"reply_ids": ["1"]}),
    ]


@pytest.mark.parametrize("role", ROLES)
def test_routes_follow_the_matrix(role, world, browser):
    for permission, url, data in _routes(world):
        b = browser(role)
        response = b.post(url, data)
        if role in EXPECTED[permission]:
            assert response.status_code in (200, 303), (role, url, response.text[:300])
        else:
            assert response.status_code == 403, (role, url, response.status_code)


def test_a_viewer_cannot_post_anything(world, browser):
    viewer = browser("viewer")
    q = world.items["question"]
    for url, data in [(f"/items/{q}/action", {"action": "assign"}), (f"/items/{q}/draft", {}),
                      (f"/items/{q}/moderate", {"action": "reminder", "guideline": "spam"}),
                      (f"/items/{q}/tags", {"tags": "x"}), ("/queue/bulk", {"action": "close", "ids": [str(q)]}),
                      ("/templates", {"kind": "reply", "key": "thanks", "language": "zh", "title": "t", "body": "b"}),
                      ("/outbox/posted", {"reply_ids": ["1"]}), ("/replies/1/review", {"decision": "approve"}),
                      ("/replies/1/submit", {}), ("/replies/1/save", {"text": "x"})]:
        assert viewer.post(url, data).status_code == 403, url
    assert viewer.get("/outbox/export.csv").status_code == 403
    page = viewer.get(f"/items/{q}")
    assert page.status_code == 200 and 'id="draft-template"' not in page.text and 'id="close"' not in page.text


def _post_routes(router):
    for route in router.routes:
        if hasattr(route, "original_router"):  # an included router
            yield from _post_routes(route.original_router)
        elif "POST" in getattr(route, "methods", ()):
            yield route.path


# What a viewer may post: signing in and out, the language switch, the live checklist (it reads only),
# and ending their own sessions.
VIEWER_MAY_POST = {"/login", "/logout", "/language", "/replies/{reply_id}/check", "/sessions/{session_id}/end",
                   "/sessions/end-others"}


def test_a_viewer_is_refused_on_every_post_route_the_app_has(workspace, world, browser):
    """Walks the app's routes, so a route added later is covered without being listed here."""
    from fandesk.web.app import create_app

    ids = {"item_id": world.items["question"], "reply_id": 1, "member_id": world.members["moderator"],
           "account_id": world.accounts["brand_a"], "definition_id": 1, "template_id": 1}
    paths = sorted(set(_post_routes(create_app(workspace).router)) - VIEWER_MAY_POST)
    assert len(paths) > 25 and "/settings/users" in paths and "/outbox/send" in paths
    # what the forms send (so a refusal is the permission's, not a missing field's)
    form = {"action": "close", "decision": "approve", "kind": "reply", "key": "thanks", "language": "zh",
            "title": "谢谢", "body": "谢谢{nickname}", "name": "小鹿", "username": "xiaolu", "role": "viewer",
            "password": "long-enough-password", "text": "好的[笑哭R]", "tags": "vip", "guideline": "spam"}
    viewer = browser("viewer")
    for path in paths:
        assert viewer.post(path.format(**ids), form).status_code == 403, path


def test_another_accounts_item_is_not_found_everywhere(world, browser):
    moderator = browser("moderator")
    other = world.items["other_account"]
    assert moderator.get(f"/items/{other}").status_code == 404
    assert moderator.get(f"/items/{other}/presence").status_code == 404
    for url, data in [(f"/items/{other}/action", {"action": "close"}), (f"/items/{other}/draft", {}),
                      (f"/items/{other}/tags", {"tags": "x"}),
                      (f"/items/{other}/moderate", {"action": "hide", "guideline": "spam"})]:
        assert moderator.post(url, data).status_code == 404, url
    assert "account B secret" not in moderator.get("/queue?q=secret").text
    # a bulk action quietly skips it
    assert moderator.post("/queue/bulk", {"action": "close", "ids": [str(other)]}).status_code == 303
    stranger = browser("stranger")
    assert "account B secret" in stranger.get("/queue").text
    assert stranger.get(f"/items/{world.items['question']}").status_code == 404
