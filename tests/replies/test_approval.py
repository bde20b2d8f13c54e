"""Approval rules per account (replies.approval): the defaults are what the desk always did; a
manager's change decides which drafts wait for a manager, on that account only."""

from __future__ import annotations

import pytest

from fandesk.db import transaction
from fandesk.errors import Invalid, NotFound
from fandesk.inbox.models import InboxItem
from fandesk.replies.approval import DEFAULT_APPROVAL_RULES, approval_policy, set_approval_policy
from fandesk.replies.service import approval_reasons, start_draft
from tests.web.factories import build_world


@pytest.fixture
def world(workspace):
    return build_world(workspace)


def test_the_defaults_are_negative_crisis_partnership_and_escalated(workspace, world):
    assert DEFAULT_APPROVAL_RULES.as_dict() == {"sentiments": ["negative"], "categories": ["crisis", "partnership"],
                                                "escalated": True}
    with transaction(workspace.sessions) as session:
        item = session.get(InboxItem, world.items["praise"])
        assert approval_reasons(session, item) == []
        item.sentiment, item.category, item.escalated = "negative", "crisis", True
        assert approval_reasons(session, item) == ["negative", "crisis", "escalated"]
        item.sentiment, item.category, item.escalated = "neutral", "partnership", False
        assert approval_reasons(session, item) == ["partnership"]


def test_changed_rules_decide_which_drafts_need_approval_on_that_account_only(workspace, world):
    a, b = world.accounts["brand_a"], world.accounts["brand_b"]
    manager = world.members["manager"]
    with transaction(workspace.sessions) as session:
        set_approval_policy(session, account_id=a, account_ids=[a], member_id=manager, sentiments=[],
                            categories=["praise"], escalated=False)
        complaint = start_draft(session, item_id=world.items["complaint"], account_ids=[a], member_id=manager)
        praise = start_draft(session, item_id=world.items["praise"], account_ids=[a], member_id=manager)
        assert not complaint.needs_approval
        assert praise.needs_approval and praise.approval_reasons == '["praise"]'
        assert approval_policy(session, account_id=b) == DEFAULT_APPROVAL_RULES


def test_rules_name_real_sentiments_and_categories_on_ones_own_accounts(workspace, world):
    a = world.accounts["brand_a"]
    with transaction(workspace.sessions) as session:
        with pytest.raises(Invalid, match="categories: 'gossip'"):
            set_approval_policy(session, account_id=a, account_ids=[a], member_id=None, sentiments=[],
                                categories=["gossip"], escalated=True)
        with pytest.raises(NotFound):
            set_approval_policy(session, account_id=world.accounts["brand_b"], account_ids=[a], member_id=None,
                                sentiments=[], categories=[], escalated=False)
        assert approval_policy(session, account_id=a) == DEFAULT_APPROVAL_RULES
