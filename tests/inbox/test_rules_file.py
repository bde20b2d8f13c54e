"""Saving rules.toml from the web app (inbox.rules.save_rules): checked whole before anything is
written, replaced atomically, logged with before and after."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fandesk.auth.models import AuditEvent
from fandesk.db import transaction
from fandesk.errors import Invalid
from fandesk.inbox.rules import DEFAULT_RULES, last_rules_change, load_rules, rules_text, save_rules

NEW_RULES = DEFAULT_RULES + """
[[rule]]
name = "宝子们的售后暗号"
kind = "keyword_alert"
words = ["退货", "[哭惹R]", "😭"]
tier = "important"
"""


def test_bad_rules_keep_the_old_file_and_log_nothing(workspace):
    folder = workspace.settings.workspace
    load_rules(folder)  # writes the defaults
    bad = NEW_RULES.replace('"important"', '"急"')
    with transaction(workspace.sessions) as session, pytest.raises(
            Invalid, match=r"rules\.toml: rule 5 \('宝子们的售后暗号'\), field 'tier'"):
        save_rules(session, workspace=folder, member_id=None, text=bad)
    assert rules_text(folder) == DEFAULT_RULES
    assert sorted(p.name for p in folder.iterdir() if "rules" in p.name) == ["rules.toml"]  # no temporary file left
    with workspace.sessions() as session:
        assert session.scalars(select(AuditEvent)).first() is None


def test_good_rules_replace_the_file_and_apply_on_the_next_triage(workspace):
    folder = workspace.settings.workspace
    with transaction(workspace.sessions) as session:
        save_rules(session, workspace=folder, member_id=None, text=NEW_RULES.replace("\n", "\r\n"))
    assert rules_text(folder) == NEW_RULES
    assert [r.name for r in load_rules(folder).of_kind("keyword_alert", "brand_a")][-1] == "宝子们的售后暗号"
    with workspace.sessions() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == "settings.rules")).one()
        assert event.before is None and "宝子们的售后暗号" in event.after
        assert last_rules_change(session)["at"] == event.at
    assert sorted(p.name for p in folder.iterdir() if "rules" in p.name) == ["rules.toml"]
