"""Drafts from an OpenAI-compatible endpoint: a tiny fake server on loopback stands in for the model."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest


@pytest.fixture
def fake_model():
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            seen.append((self.path, self.headers.get("Authorization"), body))
            answer = {"choices": [{"message": {"role": "assistant", "content": "@小鹿 敏感肌可以用，先耳后试用。你是什么肤质？"}}]}
            data = json.dumps(answer).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/v1", seen
    server.shutdown()


def test_draft_with_the_language_model(workspace, world, fake_model):
    from fastapi.testclient import TestClient

    from fandesk.replies.llm import LlmConfig
    from fandesk.web.app import create_app
    from tests.web.conftest import Browser

    url, seen = fake_model
    app = create_app(workspace, llm=LlmConfig(base_url=url, model="tiny", api_key="k"))
    b = Browser(TestClient(app))
    b.sign_in("moderator")
    page = b.post(f"/items/{world.items['question']}/draft", {"source": "llm"}, htmx=True).text
    assert "先耳后试用" in page and "语言模型" in page
    path, auth, body = seen[0]
    assert path == "/v1/chat/completions" and auth == "Bearer k" and body["model"] == "tiny"
    assert "这个精华敏感肌能用吗" in body["messages"][1]["content"] and "skin_type" in body["messages"][1]["content"]


def test_without_a_model_the_button_is_not_offered_and_a_dead_endpoint_is_explained(workspace, world, browser):
    b = browser("moderator")
    assert 'id="draft-llm"' not in b.get(f"/items/{world.items['question']}").text
    from fastapi.testclient import TestClient

    from fandesk.replies.llm import LlmConfig
    from fandesk.web.app import create_app
    from tests.web.conftest import Browser

    app = create_app(workspace, llm=LlmConfig(base_url="http://127.0.0.1:9/v1", model="x", timeout=2))
    dead = Browser(TestClient(app))
    dead.sign_in("moderator")
    response = dead.post(f"/items/{world.items['question']}/draft", {"source": "llm"})
    assert response.status_code == 400 and "template" in response.text
