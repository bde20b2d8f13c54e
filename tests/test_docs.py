"""Every command and every setting a user can reach is documented in the README."""

from __future__ import annotations

from pathlib import Path

import typer.main

from fandesk.cli import app
from fandesk.settings import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands(group, prefix=""):
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            yield from _commands(command, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}"


def test_every_command_is_in_the_readme():
    commands = list(_commands(typer.main.get_command(app)))
    assert len(commands) > 10
    missing = [c for c in commands if f"fandesk {c}" not in README]
    assert missing == []


def test_every_setting_is_in_the_readme():
    missing = [name for name in Settings.model_fields if f"FANDESK_{name.upper()}" not in README]
    assert missing == []
