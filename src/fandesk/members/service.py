"""Team members and which accounts they work on."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from fandesk.audit.service import record
from fandesk.errors import Conflict, Invalid, InvalidField, NotFound
from fandesk.members.models import ROLES, AccountMember, Member
from fandesk.members.sessions import end_sessions, open_session_counts
from fandesk.members.sign_in import MIN_PASSWORD, set_login
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


# Managing the team from the web app's Settings. A manager sees and changes only what lies on their
# own accounts: members who share one of them, and those accounts on each member.

def visible_member(session: Session, *, member_id: int, account_ids: list[int]) -> Member:
    """A member who works on one of these accounts; anyone else is not found (not forbidden), so a
    manager cannot learn who works on other accounts."""
    member = session.get(Member, member_id)
    shared = session.scalar(select(AccountMember.id).where(AccountMember.member_id == member_id,
                                                           AccountMember.account_id.in_(account_ids)).limit(1))
    if member is None or shared is None:
        raise NotFound(f"no team member {member_id} on your accounts")
    return member


def team_of(session: Session, *, account_ids: list[int]) -> list[dict]:
    """The members on any of these accounts, each with the ones of these accounts they work on and how
    many sessions they have open."""
    if not account_ids:
        return []
    rows = session.execute(select(Member, AccountMember.account_id)
                           .join(AccountMember, AccountMember.member_id == Member.id)
                           .where(AccountMember.account_id.in_(account_ids))
                           .order_by(Member.name, AccountMember.account_id)).all()
    team: dict[int, dict] = {}
    for member, account_id in rows:
        team.setdefault(member.id, {"member": member, "account_ids": []})["account_ids"].append(account_id)
    sessions = open_session_counts(session, member_ids=list(team))
    for member_id, row in team.items():
        row["sessions"] = sessions.get(member_id, 0)
    return list(team.values())


def _account_ids_of(session: Session, member_id: int) -> set[int]:
    return set(session.scalars(select(AccountMember.account_id).where(AccountMember.member_id == member_id)))


def _snapshot(session: Session, member: Member, account_ids: list[int]) -> dict:
    """What the audit log keeps of a member: never the password hash; only the accounts the manager runs."""
    handles = session.scalars(select(Account.handle).join(AccountMember, AccountMember.account_id == Account.id)
                              .where(AccountMember.member_id == member.id, Account.id.in_(account_ids))
                              .order_by(Account.handle)).all()
    return {"name": member.name, "username": member.username, "role": member.role, "accounts": list(handles),
            "on_duty": member.on_duty, "active": member.active}


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidField("short_password", f"password: use at least {MIN_PASSWORD} characters",
                           min=MIN_PASSWORD)


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise InvalidField("bad_role", f"role {role!r}: use one of {', '.join(ROLES)}")


def _chosen_accounts(session: Session, *, chosen: list[int], allowed: list[int], name: str) -> list[Account]:
    if not chosen:
        raise InvalidField("no_accounts", f"accounts: tick at least one account for {name}", name=name)
    unknown = sorted(set(chosen) - set(allowed))
    if unknown:
        raise NotFound(f"accounts: no account {unknown[0]} among yours")
    return list(session.scalars(select(Account).where(Account.id.in_(chosen)).order_by(Account.handle)))


def _keep_a_manager(session: Session, *, member: Member, account_ids: list[int], role: str, active: bool,
                    new_account_ids: set[int]) -> None:
    """Every account that has an active manager who can sign in keeps one: otherwise nobody could
    change its users, rules or settings again."""
    if not (member.role == "manager" and member.active and member.password_hash):
        return
    stays = role == "manager" and active
    for account_id in sorted(_account_ids_of(session, member.id)):
        if stays and account_id in new_account_ids:
            continue
        others = session.scalar(
            select(func.count()).select_from(Member).join(AccountMember, AccountMember.member_id == Member.id)
            .where(AccountMember.account_id == account_id, Member.id != member.id, Member.role == "manager",
                   Member.active.is_(True), Member.password_hash.is_not(None)))
        if not others:
            account = session.get(Account, account_id)
            if account_id not in account_ids:
                raise InvalidField("last_manager_elsewhere", f"{member.name} is the last active manager of an "
                                   "account you do not run: ask a manager of that account", name=member.name)
            raise InvalidField("last_manager", f"{member.name} is the last active manager of {account.name}: "
                               "make someone else a manager there first", name=member.name, account=account.name)


def add_user(session: Session, *, actor_id: int | None, account_ids: list[int], name: str, username: str, password: str,
             role: str, member_account_ids: list[int], on_duty: bool = True, language: str = "zh") -> Member:
    """A new team member who can sign in, on some of the manager's own accounts (the web's form), or on any
    account (the command line: `actor_id` None, `account_ids` every account)."""
    name, username = name.strip(), username.strip()
    if not name or len(name) > 100:
        raise InvalidField("no_name", "name: write the person's name as the team knows it (at most 100 characters)")
    if not username or len(username) > 64:
        raise InvalidField("no_username", "username: choose the name this person signs in with (at most 64 "
                           "characters)")
    _check_password(password)
    _check_role(role)
    accounts = _chosen_accounts(session, chosen=member_account_ids, allowed=account_ids, name=name)
    if session.scalars(select(Member).where(Member.name == name)).first() is not None:
        raise InvalidField("name_taken", f"name: there is already a team member called {name}", name=name)
    if session.scalars(select(Member).where(Member.username == username)).first() is not None:
        raise InvalidField("username_taken", f"username {username!r} is taken: choose another", username=username)
    member = add_member(session, name=name, role=role, accounts=[a.handle for a in accounts], on_duty=on_duty)
    set_login(session, member_id=member.id, password=password, username=username, language=language)
    record(session, member_id=actor_id, account_ids=[a.id for a in accounts], action="member.add",
           object_type="member", object_id=member.id, after=_snapshot(session, member, account_ids))
    return member


def update_user(session: Session, *, actor_id: int, account_ids: list[int], member_id: int, role: str,
                member_account_ids: list[int], on_duty: bool) -> Member:
    """Change a member's role, which of the manager's accounts they work on, and whether they are on duty
    (auto-assignment picks among on-duty moderators and managers). Their other accounts stay as they are."""
    member = visible_member(session, member_id=member_id, account_ids=account_ids)
    _check_role(role)
    current = _account_ids_of(session, member.id)
    unknown = sorted(set(member_account_ids) - set(account_ids))
    if unknown:
        raise NotFound(f"accounts: no account {unknown[0]} among yours")
    wanted = (current - set(account_ids)) | set(member_account_ids)
    if not wanted:
        raise InvalidField("no_accounts", f"accounts: tick at least one account for {member.name}",
                           name=member.name)
    _keep_a_manager(session, member=member, account_ids=account_ids, role=role, active=member.active,
                    new_account_ids=wanted)
    before = _snapshot(session, member, account_ids)
    for account_id in current - wanted:
        session.execute(delete(AccountMember).where(AccountMember.member_id == member.id,
                                                    AccountMember.account_id == account_id))
    session.add_all([AccountMember(account_id=a, member_id=member.id) for a in sorted(wanted - current)])
    member.role, member.on_duty = role, on_duty
    session.flush()
    after = _snapshot(session, member, account_ids)
    if after != before:
        record(session, member_id=actor_id, account_ids=set(account_ids) & (current | wanted),
               action="member.update", object_type="member", object_id=member.id, before=before, after=after)
    return member


def reset_password(session: Session, *, actor_id: int, account_ids: list[int], member_id: int,
                   password: str, keep_session_id: int | None = None) -> Member:
    """A new password (or a first sign-in): every session the member has open ends, except, when managers
    change their own, the session they do it from (`keep_session_id`)."""
    member = visible_member(session, member_id=member_id, account_ids=account_ids)
    _check_password(password)
    had_sign_in = member.password_hash is not None
    set_login(session, member_id=member.id, password=password,
              keep_session_id=keep_session_id if member.id == actor_id else None)
    record(session, member_id=actor_id, account_ids=set(account_ids) & _account_ids_of(session, member.id),
           action="member.password", object_type="member", object_id=member.id,
           before={"username": member.username, "sign_in": had_sign_in},
           after={"username": member.username, "sign_in": True, "password": "reset"})
    return member


def set_active(session: Session, *, actor_id: int, account_ids: list[int], member_id: int, active: bool) -> Member:
    """Deactivate (cannot sign in, every session of theirs ends, off duty) or reactivate a member (who
    signs in afresh: no session from before comes back); the last active manager of an account stays,
    and nobody deactivates themselves."""
    member = visible_member(session, member_id=member_id, account_ids=account_ids)
    if member.active == active:
        return member
    if not active and member.id == actor_id:
        raise InvalidField("deactivate_self", "you cannot deactivate yourself: ask another manager")
    current = _account_ids_of(session, member.id)
    _keep_a_manager(session, member=member, account_ids=account_ids, role=member.role, active=active,
                    new_account_ids=current)
    before = _snapshot(session, member, account_ids)
    member.active = active
    if not active:
        member.on_duty = False
        end_sessions(session, member_id=member.id, reason="deactivated")
    session.flush()
    record(session, member_id=actor_id, account_ids=set(account_ids) & current,
           action="member.activate" if active else "member.deactivate", object_type="member", object_id=member.id,
           before=before, after=_snapshot(session, member, account_ids))
    return member
