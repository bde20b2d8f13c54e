"""These tests drive the web pages too: the web's fixtures (a world of accounts, members and items; a
signed-in browser per role)."""

from tests.web.conftest import app, browser, world  # noqa: F401
