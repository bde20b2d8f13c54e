"""Hostile text renders as text; every page exists in both languages; catalogues are complete and compiled."""

from __future__ import annotations

from importlib import resources

import pytest

from tests.web.factories import build_world

HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(1)><a href="javascript:alert(1)">x</a>'


def test_hostile_comment_and_nickname_are_escaped(workspace):
    from fastapi.testclient import TestClient

    from fandesk.web.app import create_app
    from tests.web.conftest import Browser

    world = build_world(workspace, nickname=HOSTILE, text=HOSTILE)
    b = Browser(TestClient(create_app(workspace)))
    b.sign_in("moderator")
    for url in ("/queue", f"/items/{world.items['question']}"):
        page = b.get(url).text
        assert "<script>alert(1)</script>" not in page and "<img src=x" not in page
        assert 'href="javascript:' not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    page = b.post(f"/items/{world.items['question']}/draft", {}, htmx=True).text
    assert "<script>alert" not in page
    csp = b.get("/queue").headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_renders_in_both_languages(world, browser, lang):
    b = browser("manager")
    b.post("/language", {"lang": lang})
    for url in ("/queue", "/queue?view=hidden", f"/items/{world.items['question']}", "/outbox", "/templates",
                "/audit", "/static/vendor/htmx/htmx.min.js", "/static/app.js"):
        assert b.get(url).status_code == 200, url


def test_catalogue_is_complete_and_compiled():
    from babel.messages.mofile import read_mo
    from babel.messages.pofile import read_po

    base = resources.files("fandesk.web") / "locale"
    with (base / "messages.pot").open("rb") as f:
        pot = read_po(f)
    with (base / "zh_CN/LC_MESSAGES/messages.po").open("rb") as f:
        po = read_po(f)
    with (base / "zh_CN/LC_MESSAGES/messages.mo").open("rb") as f:
        mo = read_mo(f)
    def key(value):  # a plural message (ngettext) reads as a tuple from the .po and a list from the .mo
        return tuple(value) if isinstance(value, list | tuple) else value

    def done(message):
        return all(message.string) if isinstance(message.string, list | tuple) else bool(message.string)

    wanted = {key(m.id) for m in pot if m.id}
    translated = {key(m.id) for m in po if done(m)}
    assert wanted <= translated, "untranslated: " + str(wanted - translated)
    assert {key(m.id): key(m.string) for m in po if m.id} == {key(m.id): key(m.string) for m in mo if m.id}, \
        "run pybabel compile"


def test_templates_have_no_untranslated_text():
    """Every visible word in the templates goes through _(); this finds text between tags that does not."""
    import re

    folder = resources.files("fandesk.web") / "templates"
    loose = []
    for path in folder.iterdir():
        html = path.read_text(encoding="utf-8")
        html = re.sub(r"{%.*?%}|{{.*?}}|{#.*?#}", "", html, flags=re.S)
        html = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", html, flags=re.S)
        for text in re.findall(r">([^<>]+)<", html):
            words = re.sub(r"[\s·—←→✓✗:#()¥,.|/]+", "", text).replace("fandesk", "")
            if words and not words.isdigit() and words not in ("fandesk", "English", "中文", "jk", "oEnter", "r",
                                                                   "a", "e", "x", "u", "?"):
                loose.append((path.name, text.strip()))
    assert loose == []
