"""Whose triage rules are whose. Each account has its own rules, which its managers read and change;
the workspace-wide rules apply to every account, and only a manager of every account changes them.
Triage (`fandesk triage`, every import) applies all of them, each rule to its accounts only.

The rules live in the database (`triage_rules`, one TOML text per account and one for the workspace),
not in the workspace folder: when the team runs PostgreSQL, the web app, its workers and the machine
that imports may not share a folder, but they share the database, so they all triage by the same rules.
A workspace from before keeps its `rules.toml`: on the first read it is split by account (a rule that
lists accounts goes to each of those accounts) and renamed to `rules.toml.bak`."""

from __future__ import annotations

import tomllib
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from fandesk.audit.models import AuditEvent
from fandesk.audit.service import record
from fandesk.clock import utcnow
from fandesk.db import insert_ignore
from fandesk.errors import Forbidden, NotFound, Overtaken
from fandesk.inbox.models import TriageRules
from fandesk.inbox.rules import DEFAULT_RULES, RuleSet, account_rules_help, parse_rules, rule_toml
from fandesk.members.models import Member
from fandesk.workspace.models import Account
from fandesk.workspace.service import runs_every_account, visible_account

WORKSPACE_SCOPE = "workspace"
LEGACY_FILE = "rules.toml"
LEGACY_BACKUP = "rules.toml.bak"
WORKSPACE_SOURCE = "workspace-wide rules"


def scope_of(account_id: int | None) -> str:
    return WORKSPACE_SCOPE if account_id is None else f"account:{account_id}"


def source_of(handle: str | None) -> str:
    """How a message names a set of rules: "rules of chengji_lab" or "workspace-wide rules"."""
    return WORKSPACE_SOURCE if handle is None else f"rules of {handle}"


@dataclass(frozen=True)
class RuleScope:
    """One set of rules as a manager edits it: an account's (account_id) or the workspace-wide ones."""

    account_id: int | None
    handle: str | None
    name: str | None
    text: str
    version: int  # 0: never saved (an account's rules start empty)
    changed: dict | None  # when and by whom it was last changed in the desk


def load_rules(session: Session, *, workspace: Path) -> RuleSet:
    """Every rule, each applying to its accounts: an account's own rules first (so its auto-assignment
    wins over a workspace-wide one), then the workspace-wide ones."""
    ensure_rules(session, workspace=workspace)
    rows = session.execute(select(TriageRules.text, Account.handle).outerjoin(Account, Account.id ==
                                                                               TriageRules.account_id)
                           .order_by(TriageRules.account_id.is_(None), Account.handle)).all()
    rules = []
    for text, handle in rows:
        rules += parse_rules(text, source_of(handle), account=handle).rules
    return RuleSet(rules)


def ensure_rules(session: Session, *, workspace: Path) -> None:
    """On the first read the workspace gets its rules: an existing rules.toml split by account (kept as
    rules.toml.bak), else the default workspace-wide rules. Safe when two processes do it at once."""
    if session.scalar(select(TriageRules.id).limit(1)) is not None:
        return
    legacy = workspace / LEGACY_FILE
    # a split whose transaction did not commit left only the backup: split that
    source = legacy if legacy.exists() else workspace / LEGACY_BACKUP
    handles = dict(session.execute(select(Account.handle, Account.id)).all())
    if source.exists():
        texts = split_rules_file(source.read_text(encoding="utf-8"), handles, source=str(source))
    else:
        texts = {None: DEFAULT_RULES}
    now = utcnow()
    for account_id, text in texts.items():
        session.execute(insert_ignore(session, TriageRules.__table__).values(
            scope=scope_of(account_id), account_id=account_id, text=text, version=1, updated_by=None,
            updated_at=now))
    session.flush()
    if legacy.exists():
        with suppress(FileNotFoundError):
            legacy.replace(_free_backup(workspace))


def _free_backup(workspace: Path) -> Path:
    backup, number = workspace / LEGACY_BACKUP, 1
    while backup.exists():
        backup, number = workspace / f"{LEGACY_BACKUP}.{number}", number + 1
    return backup


def split_rules_file(text: str, handles: dict[str, int], *, source: str) -> dict[int | None, str]:
    """A rules file from before per-account rules, split: a rule without `accounts` is workspace-wide;
    one that lists accounts goes to each listed account (accounts not in the workspace stay listed on a
    workspace-wide copy, so nothing is lost). Checked whole first, with the usual messages."""
    parse_rules(text, source)
    split: dict[int | None, list[dict]] = {None: []}
    for raw in tomllib.loads(text).get("rule", []):
        listed = raw.get("accounts") or []
        listed = [listed] if isinstance(listed, str) else [h.strip() for h in listed]
        rule = {k: v for k, v in raw.items() if k != "accounts"}
        for handle in dict.fromkeys(h for h in listed if h in handles):
            split.setdefault(handles[handle], []).append(rule)
        elsewhere = [h for h in listed if h not in handles]
        if not listed or elsewhere:
            split[None].append({**rule, "accounts": elsewhere} if elsewhere else rule)
    by_id = {account_id: handle for handle, account_id in handles.items()}
    note = f"# Split from {Path(source).name} by account (the whole file is kept as {LEGACY_BACKUP}).\n"
    out = {}
    for account_id, rules in split.items():
        head = (DEFAULT_RULES.split("\n\n")[0] + "\n" if account_id is None
                else account_rules_help(by_id[account_id]))
        out[account_id] = head + note + "".join("\n" + rule_toml(rule) for rule in rules)
    return out


def rules_page(session: Session, *, workspace: Path, account_ids: list[int]) -> dict:
    """What a manager sees: the rules of each of their accounts; the workspace-wide rules to edit when
    they run every account, otherwise only the names of those that apply to their accounts."""
    ensure_rules(session, workspace=workspace)
    accounts = list(session.scalars(select(Account).where(Account.id.in_(account_ids)).order_by(Account.handle)))
    rows = {r.scope: r for r in session.scalars(select(TriageRules).where(TriageRules.scope.in_(
        [scope_of(a.id) for a in accounts] + [WORKSPACE_SCOPE])))}
    scopes = []
    for account in accounts:
        row = rows.get(scope_of(account.id))
        scopes.append(RuleScope(account.id, account.handle, account.name,
                                row.text if row else account_rules_help(account.handle), row.version if row else 0,
                                last_rules_change(session, account_id=account.id)))
    shared = rows.get(WORKSPACE_SCOPE)
    shared_text = shared.text if shared else DEFAULT_RULES
    if runs_every_account(session, account_ids=account_ids):
        return {"scopes": scopes, "workspace": RuleScope(None, None, None, shared_text, shared.version if shared else 0,
                                                         last_rules_change(session, account_id=None)),
                "shared": []}
    handles = [a.handle for a in accounts]
    applying = [r for r in parse_rules(shared_text, WORKSPACE_SOURCE).rules
                if any(r.applies_to(h) for h in handles)]
    return {"scopes": scopes, "workspace": None, "shared": applying}


def save_rules(session: Session, *, workspace: Path, account_id: int | None, account_ids: list[int],
               member_id: int | None, text: str, version: int | None = None, source: str | None = None) -> RuleSet:
    """Replace one account's rules (account_id), or the workspace-wide ones (None: only for a manager of
    every account), leaving every other set as it is. Checked whole first: invalid text changes nothing
    and the error names the rules, the rule and the field. One guarded update from the `version` the
    person's page showed: if someone saved since, nothing is written and the error says who."""
    ensure_rules(session, workspace=workspace)
    handle = None
    if account_id is None:
        if not runs_every_account(session, account_ids=account_ids):
            raise Forbidden("the workspace-wide rules apply to every account: only a manager of every account "
                            "changes them")
    else:
        handle = visible_account(session, account_id=account_id, account_ids=account_ids).handle
    text = text.replace("\r\n", "\n")
    rules = parse_rules(text, source or source_of(handle), account=handle)
    scope = scope_of(account_id)
    row = session.scalars(select(TriageRules).where(TriageRules.scope == scope)).first()
    before = row.text if row else None
    if text == before:
        return rules
    seen = (row.version if row else 0) if version is None else version
    now = utcnow()
    if seen == 0:
        # RETURNING says whether the row went in (PostgreSQL gives no rowcount for an insert that may be ignored)
        written = len(session.execute(insert_ignore(session, TriageRules.__table__).values(
            scope=scope, account_id=account_id, text=text, version=1, updated_by=member_id, updated_at=now)
            .returning(TriageRules.id)).all())
    else:
        written = session.execute(update(TriageRules).where(TriageRules.scope == scope, TriageRules.version == seen)
                                  .values(text=text, version=TriageRules.version + 1, updated_by=member_id,
                                          updated_at=now).execution_options(synchronize_session=False)).rowcount
    if written != 1:
        change = last_rules_change(session, account_id=account_id) or {}
        name = change.get("member") or ""
        raise Overtaken("rules_changed", f"the {source_of(handle)} were changed by {name or 'someone else'} "
                        "after you opened them", name=name)
    record(session, member_id=member_id, account_id=account_id, action="settings.rules", object_type="rules",
           object_id=account_id, before=before, after=text)
    return rules


def account_named(session: Session, handle: str | None) -> int | None:
    """The id of the account with this handle (None: the workspace-wide rules); for the CLI."""
    if not handle:
        return None
    account_id = session.scalar(select(Account.id).where(Account.handle == handle.strip().lstrip("@")))
    if account_id is None:
        raise NotFound(f"no account {handle!r}: see `fandesk account list`")
    return account_id


def current_text(session: Session, *, workspace: Path, account_id: int | None) -> str:
    """One set of rules as stored (an account without rules: the comment they start with)."""
    ensure_rules(session, workspace=workspace)
    text = session.scalar(select(TriageRules.text).where(TriageRules.scope == scope_of(account_id)))
    if text is not None:
        return text
    return account_rules_help(session.get(Account, account_id).handle) if account_id else DEFAULT_RULES


def left_behind(session: Session, *, workspace: Path) -> Path | None:
    """A rules.toml written after the rules moved into the database: it is not read, and the person
    who wrote it should be told how to load it."""
    legacy = workspace / LEGACY_FILE
    stored = session.scalar(select(TriageRules.id).limit(1)) is not None
    return legacy if stored and legacy.exists() else None


def last_rules_change(session: Session, *, account_id: int | None) -> dict | None:
    """When one set of rules was last changed in the desk, and by whom (from the audit log)."""
    which = AuditEvent.object_id.is_(None) if account_id is None else AuditEvent.object_id == account_id
    row = session.execute(select(AuditEvent.at, Member.name).outerjoin(Member, Member.id == AuditEvent.member_id)
                          .where(AuditEvent.action == "settings.rules", which)
                          .order_by(AuditEvent.id.desc()).limit(1)).first()
    return None if row is None else {"at": row.at, "member": row.name}

