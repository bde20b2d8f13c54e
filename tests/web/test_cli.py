"""`fandesk user add` and `fandesk user password`."""

from __future__ import annotations


def test_user_add_creates_a_login_on_every_account_by_default(workspace, cli):
    from fandesk.db import transaction
    from fandesk.workspace.service import add_account

    with transaction(workspace.sessions) as session:
        add_account(session, handle="brand_a")
    result = cli("user", "add", "小林", "--role", "moderator", "--password", "s3cret-pass", "--username", "lin")
    assert result.exit_code == 0, result.output
    assert "lin" in result.output and "brand_a" in result.output
    again = cli("user", "add", "小林", "--role", "moderator", "--password", "s3cret-pass")
    assert again.exit_code == 2 and "already" in again.output
    short = cli("user", "add", "小王", "--role", "viewer", "--password", "short")
    assert short.exit_code == 2 and "8 characters" in short.output
    bad = cli("user", "add", "小李", "--role", "boss", "--password", "long-enough")
    assert bad.exit_code == 2 and "role" in bad.output


def test_user_add_prompts_for_the_password_and_signs_in(workspace, cli):
    from typer.testing import CliRunner

    from fandesk.cli import app
    from fandesk.db import transaction
    from fandesk.workspace.service import add_account

    with transaction(workspace.sessions) as session:
        add_account(session, handle="brand_a")
    result = CliRunner().invoke(app, ["--workspace", str(workspace.settings.workspace), "user", "add", "Amy",
                                      "--role", "manager"], input="typed-password\ntyped-password\n")
    assert result.exit_code == 0, result.output
    from fandesk.members.sign_in import authenticate

    with transaction(workspace.sessions) as session:
        assert authenticate(session, username="Amy", password="typed-password") is not None
        assert authenticate(session, username="Amy", password="wrong") is None
    changed = cli("user", "password", "Amy", "--password", "another-one")
    assert changed.exit_code == 0
