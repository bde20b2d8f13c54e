"""`fandesk demo`: the main job on the embedded default (a SQLite demo workspace)."""

from __future__ import annotations

from pathlib import Path

import typer


def demo_command(ctx: typer.Context,
                 seed: int = typer.Option(7, "--seed", help="Same seed, same workspace."),
                 directory: Path = typer.Option(None, "--dir",
                                                help="Workspace folder (default: ./fandesk-demo).")) -> None:
    """Create a demo workspace: generate realistic Xiaohongshu data, import it through the real
    importers, and print what is there."""
    from fandesk.cli import State, err_console
    from fandesk.demo.run import run_demo
    from fandesk.workspace.cli import print_summary

    state: State = ctx.obj
    if directory is not None:
        state = State(directory)
    workspace = state.open()
    run_demo(workspace, seed=seed, show_progress=err_console.is_terminal)
    print_summary(workspace)


def mount(app: typer.Typer) -> None:
    app.command("demo")(demo_command)
