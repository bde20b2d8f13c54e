"""`fandesk demo`: the main job on the embedded default (a SQLite demo workspace)."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import typer


def demo_command(ctx: typer.Context,
                 seed: int = typer.Option(7, "--seed", help="Same seed and --now, same workspace."),
                 now: datetime = typer.Option(None, "--now", formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d"],
                                              help="When the six months of history end, in Shanghai time "
                                                   "(default: the current hour, so the inbox looks live)."),
                 directory: Path = typer.Option(None, "--dir",
                                                help="Workspace folder (default: ./fandesk-demo)."),
                 serve: bool = typer.Option(None, "--serve/--no-serve",
                                            help="Serve the web app afterwards (default: when run in a terminal)."),
                 host: str = typer.Option("127.0.0.1", "--host", help="Address to serve on."),
                 port: int = typer.Option(8000, "--port", help="Port to serve on."),
                 scale: float = typer.Option(1.0, "--scale", min=0.01, max=1.0, hidden=True,
                                             help="Shrink the crowd (the tests' small demos).")) -> None:
    """Create a demo workspace: generate realistic Xiaohongshu data, import it through the real
    importers, print what is there and the demo sign-ins, then serve the web app."""
    from fandesk.console import State, err_console
    from fandesk.demo.run import prepare_demo_workspace, run_demo
    from fandesk.workspace.cli import print_summary

    state: State = ctx.obj
    if directory is not None:
        state = State(directory)
    workspace = state.open()
    if now is None:
        now = datetime.now(ZoneInfo("Asia/Shanghai")).replace(minute=0, second=0, microsecond=0, tzinfo=None)
    rebuilt = prepare_demo_workspace(workspace, seed=seed, now=now, scale=scale)
    if rebuilt:
        err_console.print(rebuilt, highlight=False, soft_wrap=True)
    from fandesk.console import import_progress

    with import_progress(err_console, show=err_console.is_terminal) as progress:
        run_demo(workspace, seed=seed, now=now, scale=scale, progress=progress)
    print_summary(workspace)
    print_logins(host, port)
    if serve is None:
        serve = sys.stdin.isatty() and sys.stdout.isatty()
    if serve:
        from fandesk.web.cli import serve_workspace

        serve_workspace(workspace, host=host, port=port)
    else:
        typer.echo(f"not serving; run `fandesk serve --workspace {workspace.settings.workspace}` to open the desk")


def print_logins(host: str, port: int) -> None:
    from rich.table import Table

    from fandesk.console import console
    from fandesk.demo.run import DEMO_LOGINS, DEMO_PASSWORD, DEMO_TEAM

    console.print(f"\nThe desk: [bold]http://{host}:{port}/[/]  (every demo login's password: "
                  f"[bold]{DEMO_PASSWORD}[/])")
    table = Table()
    for column in ("username", "name", "role"):
        table.add_column(column)
    for name, role in DEMO_TEAM:
        table.add_row(DEMO_LOGINS[name][0], name, role)
    console.print(table)


def mount(app: typer.Typer) -> None:
    app.command("demo")(demo_command)
