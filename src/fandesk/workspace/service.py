"""Opening a workspace (its database, migrated) and managing the accounts in it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker

from fandesk import db
from fandesk.audit.service import record
from fandesk.errors import Conflict, Invalid, InvalidField, NotFound
from fandesk.settings import PLACEHOLDER_SECRETS, Settings
from fandesk.workspace.hours import hours_lines, parse_opening_hours, set_business_hours
from fandesk.workspace.models import Account, WorkspaceMeta

_HANDLE = re.compile(r"^[A-Za-z0-9_.\-]{2,64}$")


@dataclass
class Workspace:
    """The composition root the CLI and (later) the web app both build."""

    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]

    def dispose(self) -> None:
        self.engine.dispose()


def open_workspace(settings: Settings, *, migrate: bool = True) -> Workspace:
    """Create the folder, connect, and bring the schema up to date (safe on every open)."""
    settings.workspace.mkdir(parents=True, exist_ok=True)
    engine = db.make_engine(settings.database_url)
    if migrate:
        db.upgrade(engine)
    return Workspace(settings, engine, db.session_factory(engine))


def read_meta(session: Session, key: str) -> dict | None:
    """A workspace fact (see WorkspaceMeta), or None when it was never written."""
    import json


    row = session.get(WorkspaceMeta, key)
    return None if row is None else json.loads(row.value)


def write_meta(session: Session, key: str, value: dict) -> None:
    import json


    row = session.get(WorkspaceMeta, key) or WorkspaceMeta(key=key)
    row.value, row.updated_at = json.dumps(value, ensure_ascii=False), datetime.now(UTC).replace(tzinfo=None)
    session.add(row)
    session.flush()


SECRET_META = "secret_key"


def secret_key(workspace: Workspace) -> str:
    """The web app's secret: FANDESK_SECRET_KEY when it is set to a real value; otherwise one generated
    into the workspace's database the first time any process asks, and read back by every worker process
    and every machine that serves the same database (a folder may not be shared between machines; the
    database is). Written with insert-or-ignore, so processes starting at once agree on one; never
    overwritten, and never a known placeholder."""
    import secrets


    configured = workspace.settings.secret_key.get_secret_value().strip()
    if configured.lower() not in PLACEHOLDER_SECRETS:
        return configured
    with db.transaction(workspace.sessions) as session:
        value = {"secret": secrets.token_urlsafe(48)}
        session.execute(db.insert_ignore(session, WorkspaceMeta.__table__).values(
            key=SECRET_META, value=json.dumps(value), updated_at=datetime.now(UTC).replace(tzinfo=None)))
        return read_meta(session, SECRET_META)["secret"]


def reset_database(workspace: Workspace) -> None:
    """Drop every table of the workspace's database and migrate it again: an empty workspace. Only for a
    database fandesk built itself (the demo's); callers check that first."""
    import fandesk.models  # noqa: F401  (registers every table on the metadata)

    with workspace.engine.begin() as connection:
        db.Base.metadata.drop_all(connection)
        connection.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")
    db.upgrade(workspace.engine)


def add_account(session: Session, *, handle: str, name: str | None = None, platform_user_id: str | None = None,
                creator_hash: str | None = None, time_zone: str = "Asia/Shanghai") -> Account:
    """A new account to run; handles are short and unique so commands can name them."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    if not _HANDLE.match(handle):
        raise Invalid(f"account handle {handle!r}: use 2-64 letters, digits, '_', '-' or '.'")
    try:
        ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise Invalid(f"time zone {time_zone!r} is unknown: use an IANA name such as Asia/Shanghai") from None
    clash = session.scalars(select(Account).where(
        (Account.handle == handle)
        | ((Account.platform_user_id == platform_user_id) if platform_user_id else False)
        | ((Account.creator_hash == creator_hash) if creator_hash else False))).first()
    if clash is not None:
        raise Conflict(f"account {clash.handle!r} already has that handle, user id or creator hash")
    account = Account(handle=handle, name=name or handle, platform_user_id=platform_user_id,
                      creator_hash=creator_hash, time_zone=time_zone,
                      created_at=datetime.now(UTC).replace(tzinfo=None))
    session.add(account)
    session.flush()
    return account


def account_by_handle(session: Session, handle: str) -> Account:
    account = session.scalar(select(Account).where(Account.handle == handle.strip().lstrip("@")))
    if account is None:
        raise NotFound(f"account {handle!r}: no such account; see `fandesk account list`")
    return account


def list_accounts(session: Session) -> list[Account]:
    return list(session.scalars(select(Account).order_by(Account.handle)))


def visible_account(session: Session, *, account_id: int, account_ids: list[int]) -> Account:
    """One of the member's accounts; any other is not found."""
    account = session.get(Account, account_id) if account_id in account_ids else None
    if account is None:
        raise NotFound(f"no account {account_id} among yours")
    return account


def runs_every_account(session: Session, *, account_ids: list[int]) -> bool:
    """Whether these accounts are all the workspace has: only a manager of every account changes the
    workspace-wide parts (rules, templates) and sees changes that concern no account."""
    return not (set(session.scalars(select(Account.id))) - set(account_ids))


def update_account(session: Session, *, account_id: int, account_ids: list[int], member_id: int, name: str,
                   time_zone: str, hours: str) -> Account:
    """Rename an account, change its time zone and its opening hours (one "mon-fri 09:00-18:00" per line,
    as `fandesk account hours` takes them; empty: always open). Everything is checked before anything
    changes. Open items keep their reply-by times until they are triaged again."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


    account = visible_account(session, account_id=account_id, account_ids=account_ids)
    name, time_zone = name.strip(), time_zone.strip()
    if not name or len(name) > 200:
        raise InvalidField("no_account_name", "display name: write 1 to 200 characters")
    try:
        ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidField("bad_time_zone", f"time zone {time_zone!r} is unknown: use an IANA name such as "
                           "Asia/Shanghai", zone=time_zone) from None
    specs = [line.strip() for line in hours.replace(";", "\n").replace("；", "\n").splitlines() if line.strip()]
    for spec in specs:
        try:
            parse_opening_hours([spec])
        except Invalid as exc:
            raise InvalidField("bad_hours", str(exc), line=spec) from None
    before = {"name": account.name, "time_zone": account.time_zone,
              "hours": hours_lines(session, account_id=account.id)}
    account.name, account.time_zone = name, time_zone
    set_business_hours(session, handle=account.handle, specs=specs)
    after = {"name": account.name, "time_zone": account.time_zone, "hours": hours_lines(session, account_id=account.id)}
    if after != before:
        record(session, member_id=member_id, account_id=account.id, action="account.update", object_type="account",
               object_id=account.id, before=before, after=after)
    return account
