"""The root command: reads settings once, opens the workspace, mounts each domain's commands."""

from __future__ import annotations

import copy
from pathlib import Path

import typer
from rich.markup import escape
from typer.core import TyperGroup

from fandesk.console import State, err_console
from fandesk.errors import FandeskError


class _Group(TyperGroup):
    """Domain errors end a command with their message (file, record, field, what to do), exit 2.
    Every command below it also takes `--workspace/-w`, as the README promises."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except FandeskError as exc:
            err_console.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
            raise typer.Exit(2) from None

    def get_command(self, ctx, name):
        command = super().get_command(ctx, name)
        if command is not None:
            root_option = next(param for param in self.params if param.name == "workspace")
            _take_workspace_option(command, root_option)
        return command


def _workspace_given_here(ctx, _param, value: Path | None) -> None:
    """`fandesk import FILE -w X` means the same as `fandesk -w X import FILE`."""
    state = ctx.find_object(State)
    if value is not None and state is not None:
        state.workspace_path = value


def _take_workspace_option(command, root_option) -> None:
    """Give a command (and, in a group, each of its commands) the root's --workspace option, once:
    the same option, so it reads and shows the same; set here, it overrides the root's."""
    if not any(param.name == "workspace_here" for param in command.params):
        option = copy.copy(root_option)
        option.name, option.expose_value, option.envvar = "workspace_here", False, None
        option.callback = _workspace_given_here
        command.params.append(option)
    for sub in getattr(command, "commands", {}).values():
        _take_workspace_option(sub, root_option)


app = typer.Typer(cls=_Group, help="fandesk: the community desk for Xiaohongshu (小红书).", no_args_is_help=True,
                  pretty_exceptions_enable=False)


@app.callback()
def root(ctx: typer.Context,
         workspace: Path = typer.Option(None, "--workspace", "-w", envvar="FANDESK_WORKSPACE",
                                        help="Workspace folder (database, fandesk.toml, rejects).")) -> None:
    ctx.obj = State(workspace)


def _mount() -> None:
    from fandesk.demo import cli as demo_cli
    from fandesk.inbox import cli as inbox_cli
    from fandesk.ingest import cli as ingest_cli
    from fandesk.questions import cli as questions_cli
    from fandesk.replies import cli as replies_cli
    from fandesk.web import cli as web_cli
    from fandesk.workspace import cli as workspace_cli

    workspace_cli.mount(app)
    ingest_cli.mount(app)
    demo_cli.mount(app)
    inbox_cli.mount(app)
    replies_cli.mount(app)
    questions_cli.mount(app)
    web_cli.mount(app)
    from fandesk.metrics.cli import mount as mount_report

    mount_report(app)
    try:
        from fandesk.understanding.cli import analyze_command
    except ImportError:
        return
    app.command("analyze", help="Understand comments in a CSV/JSON/JSONL file: sentiment, category, "
                "cause, spam, with the evidence.")(analyze_command)


_mount()


def main() -> None:
    app()
if __name__ == "__main__":
    main()
