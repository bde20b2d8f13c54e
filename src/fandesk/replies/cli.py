"""`fandesk outbox send`: the live sender from the command line, a thin adapter over replies.sending."""

from __future__ import annotations

import typer
from rich.markup import escape
from rich.table import Table

from fandesk.db import transaction

outbox_app = typer.Typer(help="The outbox: approved replies on their way to Xiaohongshu.", no_args_is_help=True)
OUTCOME_STYLE = {"posted": "green", "failed": "bold red", "held": "yellow", "refused": "dim"}


@outbox_app.command("send")
def send_command(ctx: typer.Context,
                 account: str = typer.Option(None, "--account", "-a", help="Only this account (handle)."),
                 limit: int = typer.Option(50, "--limit", "-n", min=1, help="At most this many replies.")) -> None:
    """Post approved replies through the xhs SDK (FANDESK_LIVE_SENDER), oldest approval first, with retries.
    Private messages stay in the outbox to be sent by hand; failed sends stay with their reason."""
    from sqlalchemy import select

    from fandesk.console import console
    from fandesk.errors import NotFound
    from fandesk.replies.sender import sender_from_settings
    from fandesk.replies.sending import SendPolicy, send_outbox, sender_account_id
    from fandesk.workspace.models import Account

    settings = ctx.obj.settings
    sender = sender_from_settings(settings)  # says so when it is off or the SDK is missing
    workspace = ctx.obj.open()
    with transaction(workspace.sessions) as session:
        query = select(Account.id)
        if account:
            query = query.where(Account.handle == account.lstrip("@"))
        account_ids = list(session.scalars(query))
        if account and not account_ids:
            raise NotFound(f"--account {account}: no such account; see `fandesk account list`")
        sender_account = sender_account_id(session, handle=settings.xhs_account)
    outcomes = send_outbox(workspace.sessions, account_ids=account_ids, member_id=None, sender=sender,
                           policy=SendPolicy.from_settings(settings), sender_account=sender_account, limit=limit)
    console.print(outcome_table(outcomes))


def outcome_table(outcomes) -> Table:
    from fandesk.replies.sender import REASONS

    counts = {k: sum(o.outcome == k for o in outcomes) for k in OUTCOME_STYLE}
    table = Table(title=f"outbox send: {counts['posted']} posted, {counts['failed']} failed, "
                        f"{counts['held']} left for a person, {counts['refused']} not sent")
    for column in ("reply", "account", "result", "attempts", "why"):
        table.add_column(column, overflow="fold")
    for o in outcomes:
        why = (REASONS[o.code] % o.params if o.params else REASONS[o.code]) if o.code in REASONS else (o.code or "")
        if o.detail:
            why += f" ({o.detail})"
        table.add_row(str(o.reply_id), o.account, f"[{OUTCOME_STYLE[o.outcome]}]{o.outcome}[/]",
                      str(o.attempts or ""), escape(why))
    if not outcomes:
        table.add_row("", "", "", "", "no approved replies are waiting")
    return table


def mount(app: typer.Typer) -> None:
    app.add_typer(outbox_app, name="outbox")
