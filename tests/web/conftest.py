from __future__ import annotations

import re

import pytest

from tests.web.factories import PASSWORD, build_world

CSRF = re.compile(r'name="csrf-token" content="([^"]+)"')


class Browser:
    """A TestClient that remembers the page's CSRF token, as the browser's HTMX would."""

    def __init__(self, client):
        self.client = client
        self.token = ""

    def get(self, url, **kwargs):
        response = self.client.get(url, **kwargs)
        found = CSRF.search(response.text)
        if found:
            self.token = found.group(1)
        return response

    def post(self, url, data=None, *, csrf=True, htmx=False, **kwargs):
        data = dict(data or {})
        if csrf:
            data.setdefault("csrf_token", self.token)
        headers = {"HX-Request": "true"} if htmx else {}
        kwargs.setdefault("follow_redirects", False)
        return self.client.post(url, data=data, headers=headers, **kwargs)

    def sign_in(self, username, password=PASSWORD):
        self.get("/login")
        response = self.post("/login", {"username": username, "password": password, "next": "/queue"})
        self.get("/queue")
        return response


@pytest.fixture
def world(workspace):
    return build_world(workspace)


@pytest.fixture
def app(workspace, world):
    from fandesk.web.app import create_app

    return create_app(workspace)


@pytest.fixture
def browser(app):
    from fastapi.testclient import TestClient

    def make(username: str | None = None) -> Browser:
        b = Browser(TestClient(app))
        if username:
            response = b.sign_in(username)
            assert response.status_code == 303, response.text
        return b

    return make
