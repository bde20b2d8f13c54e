"""`fandesk triage`, `fandesk inbox`, `fandesk label`, `fandesk member`: thin adapters over the services."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from fandesk.db import transaction

member_app = typer.Typer(help="The team: who can be assigned items.", no_args_is_help=True)
model_app = typer.Typer(help="The understanding model.", no_args_is_help=True)
rules_app = typer.Typer(help="Triage rules: each account's own, and the workspace-wide ones.", no_args_is_help=True)
TIER_STYLE = {"urgent": "bold red", "important": "yellow", "routine": "green"}
STATE_STYLE = {"breached": "bold red", "nearing": "yellow", "on_time": "green"}


def triage_command(ctx: typer.Context,
                   all_open: bool = typer.Option(False, "--all", help="Also re-triage open items (after a rule "
                                                 "change); decisions a person made are kept.")) -> None:
    """Triage what arrived: understand, prioritise, apply the rules, close what we answered, find crises."""
    from fandesk.console import console, err_console, import_progress, triage_table
    from fandesk.pipeline import triage_pending

    workspace = ctx.obj.open()
    with import_progress(err_console, show=err_console.is_terminal) as progress:
        result = triage_pending(workspace, all_open=all_open, progress=progress)
    with transaction(workspace.sessions) as session:
        _warn_left_behind(session, workspace)
    console.print(triage_table(result))


def _warn_left_behind(session, workspace) -> None:
    from fandesk.console import err_console
    from fandesk.inbox.rule_scopes import left_behind

    legacy = left_behind(session, workspace=workspace.settings.workspace)
    if legacy is not None:
        err_console.print(f"{legacy} is not read: the rules live in the database now. Load it with "
                          f"`fandesk rules set {legacy}` (add --account HANDLE for one account's rules).",
                          highlight=False, markup=False, soft_wrap=True)


ACCOUNT_OPTION = typer.Option(None, "--account", "-a", help="This account's own rules (default: the "
                                                           "workspace-wide rules, for every account).")


@rules_app.command("show")
def rules_show(ctx: typer.Context, account: str = ACCOUNT_OPTION) -> None:
    """Print one set of triage rules as TOML, to edit and load again with `fandesk rules set`."""
    from fandesk.inbox.rule_scopes import account_named, current_text

    workspace = ctx.obj.open()
    with transaction(workspace.sessions) as session:
        text = current_text(session, workspace=workspace.settings.workspace,
                            account_id=account_named(session, account))
        _warn_left_behind(session, workspace)
    typer.echo(text, nl=not text.endswith("\n"))


@rules_app.command("set")
def rules_set(ctx: typer.Context, path: Path, account: str = ACCOUNT_OPTION) -> None:
    """Replace one set of triage rules with a TOML file, checked whole first (a mistake names the file, the
    rule and the field, and changes nothing); every other set stays as it is."""
    from fandesk.errors import BadFile
    from fandesk.inbox.rule_scopes import account_named, save_rules
    from fandesk.workspace.service import list_accounts

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadFile(str(path), f"cannot be read ({exc})", "give a UTF-8 TOML file") from None
    workspace = ctx.obj.open()
    with transaction(workspace.sessions) as session:
        account_id = account_named(session, account)
        rules = save_rules(session, workspace=workspace.settings.workspace, account_id=account_id,
                           account_ids=[a.id for a in list_accounts(session)], member_id=None, text=text,
                           source=str(path))
    typer.echo(f"{len(rules.rules)} rule(s) saved for {account or 'every account'}; "
               "`fandesk triage --all` applies them to open items")


def inbox_command(ctx: typer.Context,
                  account: str = typer.Option(None, "--account", "-a", help="Only this account (handle)."),
                  tier: str = typer.Option(None, "--tier", "-t", help="urgent, important or routine."),
                  limit: int = typer.Option(50, "--limit", "-n", help="How many items."),
                  as_json: bool = typer.Option(False, "--json", help="JSON lines instead of a table.")) -> None:
    """Open items, most urgent reply-by first."""
    import orjson

    from fandesk.console import console
    from fandesk.inbox.queue import open_items
    from fandesk.web.i18n import in_language
    from fandesk.web.labels import reason_text

    workspace = ctx.obj.open()
    with transaction(workspace.sessions) as session:
        items = open_items(session, account=account, tier=tier, limit=limit)
    if as_json:
        for item in items:
            typer.echo(orjson.dumps(item).decode())
        return
    table = Table(title=f"inbox: {len(items)} open item(s), most urgent first")
    for column in ("id", "account", "from", "text", "tier", "category", "reply by (UTC)", "state", "why"):
        table.add_column(column, overflow="fold")
    for item in items:
        with in_language("en"):  # the command line speaks English
            why = "; ".join(reason_text(r) for r in item["reasons"][:2])
        table.add_row(str(item["id"]), item["account"], escape(item["nickname"] or ""), escape(item["text"][:60]),
                      f"[{TIER_STYLE[item['tier']]}]{item['tier']}[/]", item["category"], item["reply_by"][:16],
                      f"[{STATE_STYLE[item['state']]}]{item['state']}[/]", escape(why))
    console.print(table)


def label_command(ctx: typer.Context, item_id: int,
                  category: str = typer.Option(None, help="The right category."),
                  sentiment: str = typer.Option(None, help="positive, neutral or negative."),
                  cause: str = typer.Option(None, help="The cause of negative feedback.")) -> None:
    """Correct what the desk understood about an item; `fandesk model retrain` learns from corrections."""
    from fandesk.errors import Invalid
    from fandesk.inbox.service import correct

    changes = {k: v for k, v in (("category", category), ("sentiment", sentiment), ("cause", cause)) if v}
    if not changes:
        raise Invalid("say what to correct: --category, --sentiment or --cause")
    workspace = ctx.obj.open()
    with transaction(workspace.sessions) as session:
        for field_name, value in changes.items():
            correct(session, item_id=item_id, field_name=field_name, value=value)
    typer.echo(f"item {item_id}: " + ", ".join(f"{k} = {v}" for k, v in changes.items()))


@member_app.command("add")
def member_add(ctx: typer.Context, name: str,
               role: str = typer.Option(..., "--role", help="manager, moderator, creator or viewer."),
               account: list[str] = typer.Option([], "--account", "-a", help="Account handle (repeat for more)."),
               off_duty: bool = typer.Option(False, "--off-duty", help="Not picked by auto-assignment.")) -> None:
    """Add a team member."""
    from fandesk.members.service import add_member

    workspace = ctx.obj.open()
    with transaction(workspace.sessions) as session:
        member = add_member(session, name=name, role=role, accounts=account, on_duty=not off_duty)
    typer.echo(f"added {member.name} ({member.role})")


@member_app.command("list")
def member_list(ctx: typer.Context) -> None:
    """The team."""
    from fandesk.console import console
    from fandesk.members.service import list_members

    workspace = ctx.obj.open()
    with transaction(workspace.sessions) as session:
        table = Table("name", "role", "on duty", "accounts")
        for member, handles in list_members(session):
            table.add_row(escape(member.name), member.role, "yes" if member.on_duty else "no", ", ".join(handles))
    console.print(table)


@model_app.command("retrain")
def model_retrain(ctx: typer.Context,
                  reviews: Path = typer.Option(None, "--reviews", help="Folder with the public review data sets "
                                               "(online_shopping_10_cats.train.csv) to relearn polarity too; "
                                               "slower.")) -> None:
    """Retrain on the shipped data plus the team's corrections; switch only when not worse."""
    from fandesk.console import console, err_console
    from fandesk.inbox.retrain import retrain

    workspace = ctx.obj.open()
    with transaction(workspace.sessions) as session:
        result = retrain(session, workspace=workspace.settings.workspace, reviews=reviews,
                         log=lambda message: err_console.print(message, highlight=False))
    table = Table(title=f"retrained with {result.rows} correction(s) from the team")
    table.add_column("held-out metric")
    table.add_column("before", justify="right")
    table.add_column("after", justify="right")
    for key in result.after:
        if key in result.before:
            table.add_row(key, f"{result.before[key]:.3f}", f"{result.after[key]:.3f}")
    console.print(table)
    console.print(result.reason)


def mount(app: typer.Typer) -> None:
    app.command("triage")(triage_command)
    app.command("inbox")(inbox_command)
    app.command("label")(label_command)
    app.add_typer(member_app, name="member")
    app.add_typer(model_app, name="model")
    app.add_typer(rules_app, name="rules")
