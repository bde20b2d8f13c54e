"""A nickname cannot pass for another name: the bidi controls that reorder text (a right-to-left override
turns "\u202ebal_ijgnehc" into "chengji_lab" on screen) are not shown, and the name is isolated from
what the page puts around it. The stored nickname keeps them, as the platform sent it."""

from __future__ import annotations

import re

import pytest

from tests.ingest.helpers import scalar
from tests.web.factories import build_world

DISGUISED = "\u202ebal_ijgnehc"  # shows as "chengji_lab", the brand's handle
CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


@pytest.fixture
def world(workspace):
    return build_world(workspace, nickname="\u2067官方\u2069" + DISGUISED)


def test_a_disguised_nickname_is_shown_without_its_controls_and_isolated(world, browser, workspace):
    b = browser("moderator")
    queue = b.get("/queue").text
    item = b.get(f"/items/{world.items['question']}").text
    for page in (queue, item):
        assert not CONTROLS.search(page)
        assert '<bdi class="nick">官方bal_ijgnehc</bdi>' in page
    assert scalar(workspace, "SELECT nickname FROM person WHERE id = :id", id=world.people["fan"]) == \
        "\u2067官方\u2069" + DISGUISED
