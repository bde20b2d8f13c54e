"""A new user's first import into a fresh workspace: the account has to exist, and the error says the
exact command that adds it."""

from __future__ import annotations

from tests.conftest import FIXTURES
from tests.ingest.helpers import BRAND_USER_ID, scalar


def test_a_first_import_names_the_command_that_adds_the_account(cli, workspace):
    result = cli("import", str(FIXTURES / "classic"), "--account", "mybrand")
    assert result.exit_code == 2
    assert "no accounts yet" in result.output
    assert "fandesk account add mybrand --user-id" in result.output
    assert scalar(workspace, "SELECT count(*) FROM comment") == 0

    added = cli("account", "add", "mybrand", "--user-id", BRAND_USER_ID)
    assert added.exit_code == 0, added.output
    result = cli("import", str(FIXTURES / "classic"), "--account", "mybrand")
    assert result.exit_code == 0, result.output
    assert scalar(workspace, "SELECT count(*) FROM comment") > 0
    assert scalar(workspace, "SELECT count(*) FROM comment WHERE is_ours = :t", t=True) > 0


def test_a_mistyped_account_lists_the_ones_there_are(cli, workspace):
    cli("account", "add", "chengji_lab", "--user-id", BRAND_USER_ID)
    result = cli("import", str(FIXTURES / "classic"), "--account", "chengji-lab")
    assert result.exit_code == 2
    assert "this workspace has: chengji_lab" in result.output
    assert scalar(workspace, "SELECT count(*) FROM comment") == 0
