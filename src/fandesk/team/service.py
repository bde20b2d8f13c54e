"""Team members and which accounts they work on."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from fandesk.errors import Conflict, Invalid, NotFound
from fandesk.team.models import ROLES, AccountMember, Member
from fandesk.workspace.models import Account


def add_member(session: Session, *, name: str, role: str, accounts: list[str], on_duty: bool = True) -> Member:
    """A new team member on the named accounts (by handle)."""
    if role not in ROLES:
        raise Invalid(f"role {role!r}: use one of {', '.join(ROLES)}")
    if not name.strip():
        raise Invalid("a team member needs a name")
    if session.scalars(select(Member).where(Member.name == name)).first() is not None:
        raise Conflict(f"there is already a team member called {name!r}")
    member = Member(name=name.strip(), role=role, on_duty=on_duty)
    session.add(member)
    session.flush()
    for handle in accounts:
        account = session.scalars(select(Account).where(Account.handle == handle)).first()
        if account is None:
            raise NotFound(f"no account {handle!r}: see `fandesk account list`")
        session.add(AccountMember(account_id=account.id, member_id=member.id))
    session.flush()
    return member


def list_members(session: Session) -> list[tuple[Member, list[str]]]:
    out = []
    for member in session.scalars(select(Member).order_by(Member.name)):
        handles = session.scalars(select(Account.handle).join(AccountMember, AccountMember.account_id == Account.id)
                                  .where(AccountMember.member_id == member.id).order_by(Account.handle)).all()
        out.append((member, list(handles)))
    return out
