"""Managing the team (members.service): the last active manager of an account stays, a deactivated
member cannot sign in, a manager sees and changes only their own accounts, nothing half-written."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from fandesk.audit.models import AuditEvent
from fandesk.db import transaction
from fandesk.errors import InvalidField, NotFound
from fandesk.members.models import AccountMember, Member
from fandesk.members.service import add_user, reset_password, set_active, team_of, update_user
from fandesk.members.sign_in import authenticate
from tests.web.factories import PASSWORD, build_world


@pytest.fixture
def world(workspace):
    return build_world(workspace)


def mine(world):
    return {"actor_id": world.members["manager"], "account_ids": [world.accounts["brand_a"]]}


def test_the_last_active_manager_of_an_account_cannot_be_demoted_deactivated_or_removed(workspace, world):
    a = world.accounts["brand_a"]
    me = world.members["manager"]
    with transaction(workspace.sessions) as session:
        with pytest.raises(InvalidField) as demoted:
            update_user(session, **mine(world), member_id=me, role="moderator", member_account_ids=[a], on_duty=True)
        assert demoted.value.code == "last_manager" and demoted.value.params["account"] == "品牌A"
        with pytest.raises(InvalidField):
            set_active(session, actor_id=world.members["moderator"], account_ids=[a], member_id=me, active=False)
        assert session.get(Member, me).role == "manager" and session.get(Member, me).active


def test_a_manager_without_a_sign_in_or_deactivated_does_not_count(workspace, world):
    """Only a manager who can sign in can change settings: a CLI-only or deactivated one is no stand-in."""
    from fandesk.members.service import add_member

    a = world.accounts["brand_a"]
    with transaction(workspace.sessions) as session:
        add_member(session, name="老板（没有登录）", role="manager", accounts=["brand_a"])
        with pytest.raises(InvalidField):
            update_user(session, **mine(world), member_id=world.members["manager"], role="viewer",
                        member_account_ids=[a], on_duty=False)


def test_stepping_down_is_fine_once_another_manager_is_there(workspace, world):
    a = world.accounts["brand_a"]
    with transaction(workspace.sessions) as session:
        update_user(session, **mine(world), member_id=world.members["moderator"], role="manager",
                    member_account_ids=[a], on_duty=True)
        update_user(session, **mine(world), member_id=world.members["manager"], role="moderator",
                    member_account_ids=[a], on_duty=True)
        assert session.get(Member, world.members["manager"]).role == "moderator"


def test_the_guard_covers_accounts_the_manager_does_not_run(workspace, world):
    """brand_b's only manager also works on brand_a: brand_a's manager may not demote them, and the
    message does not name brand_b."""
    a, b = world.accounts["brand_a"], world.accounts["brand_b"]
    with transaction(workspace.sessions) as session:
        boss_b = add_user(session, actor_id=None, account_ids=[a, b], name="B的经理", username="boss_b",
                          password=PASSWORD, role="manager", member_account_ids=[a, b])
        with pytest.raises(InvalidField) as refused:
            update_user(session, **mine(world), member_id=boss_b.id, role="moderator", member_account_ids=[a],
                        on_duty=True)
        assert refused.value.code == "last_manager_elsewhere" and "Brand B" not in str(refused.value)
        # taking brand_a away from them is fine: they stay brand_b's manager
        update_user(session, **mine(world), member_id=boss_b.id, role="manager", member_account_ids=[],
                    on_duty=True)
        accounts = set(session.scalars(select(AccountMember.account_id).where(AccountMember.member_id == boss_b.id)))
        assert accounts == {b}


def test_changing_accounts_keeps_the_ones_the_manager_does_not_run(workspace, world):
    a, b = world.accounts["brand_a"], world.accounts["brand_b"]
    stranger = world.members["stranger"]
    with transaction(workspace.sessions) as session:
        session.add(AccountMember(account_id=a, member_id=stranger))
        session.flush()
        update_user(session, **mine(world), member_id=stranger, role="moderator", member_account_ids=[],
                    on_duty=True)
        assert set(session.scalars(select(AccountMember.account_id)
                                   .where(AccountMember.member_id == stranger))) == {b}
        # and now brand_a's manager no longer sees them
        assert stranger not in [row["member"].id for row in team_of(session, account_ids=[a])]
        with pytest.raises(NotFound):
            update_user(session, **mine(world), member_id=stranger, role="viewer", member_account_ids=[a],
                        on_duty=True)


def test_a_member_keeps_at_least_one_account(workspace, world):
    with transaction(workspace.sessions) as session:
        with pytest.raises(InvalidField) as refused:
            update_user(session, **mine(world), member_id=world.members["viewer"], role="viewer",
                        member_account_ids=[], on_duty=False)
        assert refused.value.code == "no_accounts"


def test_a_deactivated_member_cannot_sign_in(workspace, world):
    with transaction(workspace.sessions) as session:
        assert authenticate(session, username="creator", password=PASSWORD) is not None
        set_active(session, **mine(world), member_id=world.members["creator"], active=False)
        assert authenticate(session, username="creator", password=PASSWORD) is None
        reset_password(session, **mine(world), member_id=world.members["creator"], password="另一个密码123")
        assert authenticate(session, username="creator", password="另一个密码123") is None
        set_active(session, **mine(world), member_id=world.members["creator"], active=True)
        assert authenticate(session, username="creator", password="另一个密码123") is not None


def test_adding_a_user_checks_everything_before_writing(workspace, world):
    with transaction(workspace.sessions) as session:
        with pytest.raises(InvalidField) as refused:
            add_user(session, **mine(world), name="小周", username="xiaozhou", password="短", role="moderator",
                     member_account_ids=[world.accounts["brand_a"]])
        assert refused.value.code == "short_password"
        with pytest.raises(NotFound):
            add_user(session, **mine(world), name="小周", username="xiaozhou", password=PASSWORD, role="moderator",
                     member_account_ids=[world.accounts["brand_b"]])
        assert session.scalars(select(Member).where(Member.name == "小周")).first() is None
        assert session.scalars(select(AuditEvent).where(AuditEvent.action == "member.add")).first() is None
