"""The root command: `--workspace` works before the command and after it, for every command."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from fandesk.cli import app
from tests.ingest.helpers import scalar


def test_workspace_option_after_the_command(workspace, tmp_path, monkeypatch):
    """The README says every command takes --workspace: after `import` or `account add` too, and it
    wins over FANDESK_WORKSPACE. The workspace is seen by what lives in it: its fandesk.toml (time
    zone) and its rejects folder."""
    chosen = tmp_path / "chosen"
    chosen.mkdir()
    (chosen / "fandesk.toml").write_text('time_zone = "Europe/Paris"\n', encoding="utf-8")
    monkeypatch.setenv("FANDESK_WORKSPACE", str(tmp_path / "not-this-one"))
    runner = CliRunner()

    added = runner.invoke(app, ["account", "add", "paris_shop", "--user-id", "u-paris", "--workspace", str(chosen)])
    assert added.exit_code == 0, added.output
    assert scalar(workspace, "SELECT time_zone FROM account WHERE handle = 'paris_shop'") == "Europe/Paris"

    comments = tmp_path / "comments.jsonl"
    comments.write_text(json.dumps({"comment_id": "w1", "create_time": "昨天", "note_id": "n1", "content": "好",
                                    "user_id": "u1", "nickname": "小鹿", "parent_comment_id": 0},
                                   ensure_ascii=False) + "\n", encoding="utf-8")
    imported = runner.invoke(app, ["import", str(comments), "--skip-bad", "--no-triage", "-w", str(chosen)])
    assert imported.exit_code == 0, imported.output
    assert list((chosen / "rejects").glob("*.jsonl"))
    assert not (tmp_path / "not-this-one").exists()

    listed = runner.invoke(app, ["account", "list", "-w", str(chosen)])
    assert listed.exit_code == 0 and "paris_shop" in listed.output
