"""`fandesk db`, `fandesk account`, `fandesk summary`: thin adapters over the workspace service."""

from __future__ import annotations

import typer
from rich.table import Table

from fandesk.db import transaction

db_app = typer.Typer(help="The workspace database.", no_args_is_help=True)
account_app = typer.Typer(help="The Xiaohongshu accounts this workspace runs.", no_args_is_help=True)


@db_app.command("upgrade")
def db_upgrade(ctx: typer.Context) -> None:
    """Bring the database schema up to date (also done whenever a workspace opens)."""
    from fandesk import db

    workspace = ctx.obj.open()
    typer.echo(f"database at revision {db.current_revision(workspace.engine)}: {workspace.settings.database_url}")


@account_app.command("add")
def account_add(ctx: typer.Context, handle: str,
                name: str = typer.Option(None, help="Display name, e.g. 澄肌实验室."),
                user_id: str = typer.Option(None, "--user-id", help="The account's Xiaohongshu user id."),
                creator_hash: str = typer.Option(None, "--creator-hash",
                                                 help="Its creator_hash in MediaCrawler's teaching edition."),
                time_zone: str = typer.Option(None, "--time-zone", help="Defaults to the workspace's.")) -> None:
    """Add an account to run."""
    from fandesk.workspace.service import add_account

    workspace = ctx.obj.open()
    with transaction(workspace.sessions) as session:
        account = add_account(session, handle=handle, name=name, platform_user_id=user_id,
                              creator_hash=creator_hash, time_zone=time_zone or workspace.settings.time_zone)
    typer.echo(f"added account {account.handle} ({account.name})")


@account_app.command("hours")
def account_hours(ctx: typer.Context, handle: str,
                  spec: list[str] = typer.Argument(None, help='Like "mon-fri 09:00-18:00" "sat 10:00-16:00"; '
                                                   "none: always open.")) -> None:
    """Set an account's business hours (its time zone): a reply-by outside them moves to the next opening."""
    from fandesk.workspace.hours import WEEKDAYS, set_business_hours

    workspace = ctx.obj.open()
    with transaction(workspace.sessions) as session:
        hours = set_business_hours(session, handle=handle, specs=spec or [])
    if not hours:
        typer.echo(f"{handle}: always open")
    for day, (opens, closes) in sorted(hours.items()):
        typer.echo(f"{handle}: {WEEKDAYS[day]} {opens}-{closes}")
    typer.echo("run `fandesk triage --all` to move the deadlines of open items")


@account_app.command("desk-start")
def account_desk_start(ctx: typer.Context, handle: str,
                       when: str = typer.Argument(None, help="2026-11-20 or 2026-11-20T08:00 in the account's time "
                                                  "zone; none: show it.")) -> None:
    """When the desk begins for an account: what arrived before it is history, not open work."""
    from zoneinfo import ZoneInfo

    from fandesk.inbox.history import desk_start_from_text, set_desk_start
    from fandesk.workspace.service import account_by_handle

    workspace = ctx.obj.open()
    with transaction(workspace.sessions) as session:
        account = account_by_handle(session, handle)
        if when is None:
            shown = "not set yet (the next import sets it a week before the newest item)"
            if account.desk_start is not None:
                shown = (account.desk_start.replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo(account.time_zone))
                         .strftime("%Y-%m-%d %H:%M") + f" ({account.time_zone})")
            typer.echo(f"{account.handle}: the desk starts {shown}")
            return
        moved, back = set_desk_start(session, account_id=account.id, member_id=None,
                                     desk_start=desk_start_from_text(when, account.time_zone))
    typer.echo(f"{account.handle}: the desk starts {when} ({account.time_zone}); {moved:,} open item(s) from "
               f"before it became history, {back:,} back to work")


@account_app.command("list")
def account_list(ctx: typer.Context) -> None:
    """The accounts in this workspace."""
    from rich.markup import escape

    from fandesk.console import console
    from fandesk.workspace.service import list_accounts

    workspace = ctx.obj.open()
    with transaction(workspace.sessions) as session:
        table = Table("handle", "name", "user id", "creator hash", "time zone")
        for a in list_accounts(session):
            table.add_row(a.handle, escape(a.name), a.platform_user_id or "", a.creator_hash or "", a.time_zone)
    console.print(table)


def summary_command(ctx: typer.Context) -> None:
    """What the workspace holds, per account."""
    workspace = ctx.obj.open()
    print_summary(workspace)


SUMMARY_ROWS = (("notes", "notes"), ("comments", "comments"), ("threads", "threads"),
                ("our_replies", "our replies"), ("people", "people"), ("mentions", "mentions"),
                ("dm_conversations", "DM conversations"), ("dm_messages", "DM messages"), ("purchases", "purchases"),
                ("open_items", "inbox: open items"), ("urgent_open", "inbox: urgent"),
                ("answered", "inbox: answered"), ("hidden_spam", "inbox: hidden spam"), ("crises", "open crises"))


def print_summary(workspace) -> None:
    from rich.markup import escape

    from fandesk.console import console
    from fandesk.overview import summary

    with transaction(workspace.sessions) as session:
        rows = summary(session)
    table = Table(title=f"fandesk workspace: {workspace.settings.workspace}")
    table.add_column("")
    for row in rows:
        table.add_column(f"{row['account']}\n{escape(row['name'])}", justify="right")
    for key, label in SUMMARY_ROWS:
        table.add_row(label, *[f"{row[key]:,}" for row in rows])
    console.print(table)


def mount(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")
    app.add_typer(account_app, name="account")
    app.command("summary")(summary_command)
