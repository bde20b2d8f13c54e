"""`fandesk model retrain`: the team's corrections become training rows; the new model replaces the
current one only when it is not worse on the held-out sets."""

from __future__ import annotations

from sqlalchemy import select

from fandesk.db import transaction
from fandesk.inbox.models import InboxItem
from fandesk.inbox.retrain import corrections, workspace_model
from fandesk.inbox.service import correct
from tests.conftest import FIXTURES
from tests.ingest.helpers import add_fixture_accounts


def test_retrain_learns_from_corrections_and_switches_only_when_not_worse(workspace, cli):
    add_fixture_accounts(workspace)
    assert cli("import", str(FIXTURES / "classic"), "--account", "chengji_lab").exit_code == 0
    with transaction(workspace.sessions) as session:
        item = session.scalars(select(InboxItem).where(InboxItem.text.like("%烂脸%"))).one()
        correct(session, item_id=item.id, field_name="category", value="crisis")
        rows = corrections(session)
    assert rows == [{"id": f"label-{item.id}", "text": item.text, "category": "crisis", "categories": ["crisis"],
                     "sentiment": item.sentiment, "cause": item.cause or "other" if item.sentiment == "negative"
                     else item.cause, "split": "train"}]
    result = cli("model", "retrain")
    assert result.exit_code == 0, result.output
    assert "retrained with 1 correction" in result.output and "category_macro_f1" in result.output
    switched = "switched to the new model" in result.output
    assert switched or "kept the current model" in result.output
    assert workspace_model(workspace.settings.workspace).exists() == switched
    assert not (workspace.settings.workspace / "model" / "candidate").exists()

