"""Triage rules per account, kept in the database (inbox.rule_scopes): a workspace's old rules.toml is
split by account on the first read; a save replaces one set only, checked whole first; the CLI shows
and sets one set."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fandesk.audit.models import AuditEvent
from fandesk.db import transaction
from fandesk.errors import Forbidden, Invalid, NotFound
from fandesk.inbox.rule_scopes import last_rules_change, load_rules, rules_page, save_rules
from fandesk.inbox.rules import DEFAULT_RULES, parse_rules
from fandesk.workspace.service import add_account

OLD_FILE = """# our rules, written by hand
[[rule]]
name = "Legal words"
kind = "escalate"
words = ["律师", "起诉"]

[[rule]]
name = "澄肌 allergy words"
kind = "keyword_alert"
words = ["过敏", "烂脸"]
tier = "urgent"
accounts = ["chengji_lab"]

[[rule]]
name = "VIP \\"小鹿\\""
kind = "vip"
people = ["小鹿", "u123"]
accounts = ["chengji_lab", "xiaomei_daily"]

[[rule]]
name = "For an account added later"
kind = "auto_hide_spam"
accounts = ["not_yet", "xiaomei_daily"]
enabled = false
"""


@pytest.fixture
def accounts(workspace):
    with transaction(workspace.sessions) as session:
        ids = [add_account(session, handle=h).id for h in ("chengji_lab", "xiaomei_daily")]
    return ids


def effective(rules, handle):
    return sorted((r.kind, r.name, r.enabled) for r in rules.rules if not r.accounts or handle in r.accounts)


def test_an_old_rules_file_is_split_by_account_on_first_read_and_kept(workspace, accounts):
    folder = workspace.settings.workspace
    (folder / "rules.toml").write_text(OLD_FILE, encoding="utf-8")
    old = parse_rules(OLD_FILE)
    with transaction(workspace.sessions) as session:
        rules = load_rules(session, workspace=folder)
    for handle in ("chengji_lab", "xiaomei_daily", "not_yet", "someone_else"):
        assert effective(rules, handle) == effective(old, handle), handle
    assert not (folder / "rules.toml").exists()
    assert (folder / "rules.toml.bak").read_text(encoding="utf-8") == OLD_FILE
    with transaction(workspace.sessions) as session:
        page = rules_page(session, workspace=folder, account_ids=accounts)
        again = load_rules(session, workspace=folder)  # read again: nothing split twice
    assert [r.name for r in again.rules] == [r.name for r in rules.rules]
    chengji, xiaomei = page["scopes"]
    assert "澄肌 allergy words" in chengji.text and "VIP" in chengji.text and "Legal words" not in chengji.text
    assert "澄肌 allergy words" not in xiaomei.text and "accounts" not in xiaomei.text.split("[[rule]]", 1)[1]
    assert 'accounts = ["not_yet"]' in page["workspace"].text and "Legal words" in page["workspace"].text


def test_a_broken_old_file_stops_with_its_name_and_changes_nothing(workspace, accounts):
    folder = workspace.settings.workspace
    (folder / "rules.toml").write_text(OLD_FILE.replace('tier = "urgent"', 'tier = "急"'), encoding="utf-8")
    with transaction(workspace.sessions) as session, pytest.raises(
            Invalid, match=r"rules\.toml: rule 2 \('澄肌 allergy words'\), field 'tier'"):
        load_rules(session, workspace=folder)
    assert (folder / "rules.toml").exists() and not (folder / "rules.toml.bak").exists()


def test_a_new_workspace_starts_with_the_default_rules_for_every_account(workspace, accounts):
    with transaction(workspace.sessions) as session:
        rules = load_rules(session, workspace=workspace.settings.workspace)
    assert effective(rules, "chengji_lab") == effective(parse_rules(DEFAULT_RULES), "chengji_lab")


def test_saving_one_accounts_rules_leaves_every_other_set_alone(workspace, accounts):
    folder = workspace.settings.workspace
    chengji, xiaomei = accounts
    mine = '[[rule]]\nname = "小美的暗号"\nkind = "keyword_alert"\nwords = ["[哭惹R]"]\ntier = "important"\n'
    with transaction(workspace.sessions) as session:
        save_rules(session, workspace=folder, account_id=chengji, account_ids=accounts, member_id=None,
                   text='[[rule]]\nname = "澄肌 only"\nkind = "auto_hide_spam"\n')
        save_rules(session, workspace=folder, account_id=xiaomei, account_ids=[xiaomei], member_id=None,
                   text=mine.replace("\n", "\r\n"))
        rules = load_rules(session, workspace=folder)
        assert [r.name for r in rules.of_kind("auto_hide_spam", "chengji_lab")][0] == "澄肌 only"
        assert "澄肌 only" not in [r.name for r in rules.rules if r.applies_to("xiaomei_daily")]
        assert [r.name for r in rules.of_kind("keyword_alert", "xiaomei_daily")][0] == "小美的暗号"
        assert last_rules_change(session, account_id=xiaomei) is not None
        assert last_rules_change(session, account_id=None) is None
    with workspace.sessions() as session:
        events = session.scalars(select(AuditEvent).where(AuditEvent.action == "settings.rules")).all()
        assert [(e.account_id, e.object_id) for e in events] == [(chengji, chengji), (xiaomei, xiaomei)]


def test_one_accounts_manager_is_refused_elsewhere_and_bad_text_changes_nothing(workspace, accounts):
    folder = workspace.settings.workspace
    chengji, xiaomei = accounts
    good = '[[rule]]\nname = "x"\nkind = "auto_hide_spam"\n'
    with transaction(workspace.sessions) as session:
        with pytest.raises(NotFound):
            save_rules(session, workspace=folder, account_id=chengji, account_ids=[xiaomei], member_id=None, text=good)
        with pytest.raises(Forbidden):
            save_rules(session, workspace=folder, account_id=None, account_ids=[xiaomei], member_id=None, text=good)
        with pytest.raises(Invalid, match=r"rules of xiaomei_daily: rule 1 \('x'\), field 'accounts'"):
            save_rules(session, workspace=folder, account_id=xiaomei, account_ids=[xiaomei], member_id=None,
                       text=good + 'accounts = ["chengji_lab"]\n')
        assert session.scalars(select(AuditEvent)).first() is None


def test_the_cli_shows_and_sets_one_set_of_rules(workspace, accounts, cli, tmp_path):
    path = tmp_path / "xiaomei.toml"
    path.write_text('[[rule]]\nname = "小美 VIP"\nkind = "vip"\npeople = ["小鹿"]\n', encoding="utf-8")
    result = cli("rules", "set", str(path), "--account", "xiaomei_daily")
    assert result.exit_code == 0, result.output
    shown = cli("rules", "show", "--account", "xiaomei_daily")
    assert shown.exit_code == 0 and shown.output == path.read_text(encoding="utf-8")
    assert "轮流分配待办" in cli("rules", "show").output
    path.write_text('[[rule]]\nname = "坏"\nkind = "vip"\n', encoding="utf-8")
    bad = cli("rules", "set", str(path))
    assert bad.exit_code != 0 and f"{path}: rule 1 ('坏'), field 'people'" in bad.output
    assert "轮流分配待办" in cli("rules", "show").output
    # a rules.toml written by hand after the move is not read, and triage says how to load it
    (workspace.settings.workspace / "rules.toml").write_text(DEFAULT_RULES, encoding="utf-8")
    triaged = cli("triage")
    assert triaged.exit_code == 0 and "fandesk rules set" in triaged.output


def test_import_time_triage_applies_each_accounts_rules_to_that_account_only(workspace, cli, tmp_path):
    from tests.conftest import FIXTURES
    from tests.ingest.helpers import add_fixture_accounts, scalar

    add_fixture_accounts(workspace)  # chengji_lab and xiaomei
    for handle, name in (("chengji_lab", "澄肌的烂脸词"), ("xiaomei", "小美的烂脸词")):
        path = tmp_path / f"{handle}.toml"
        path.write_text(f'[[rule]]\nname = "{name}"\nkind = "keyword_alert"\nwords = ["烂脸"]\ntier = "important"\n',
                        encoding="utf-8")
        assert cli("rules", "set", str(path), "--account", handle).exit_code == 0
    assert cli("import", str(FIXTURES / "classic" / "creator_comments_2026-11-20.jsonl"),
               "--account", "chengji_lab").exit_code == 0
    reasons = scalar(workspace, "SELECT reasons FROM inbox_item WHERE text LIKE '%烂脸%'")
    assert "澄肌的烂脸词" in reasons and "小美的烂脸词" not in reasons
