"""What every command's output shares: the two consoles, the command's state (settings read once, the
workspace opened when needed) and the progress and triage tables that several commands print. Domain
commands import this, never the root command (fandesk.cli), which only mounts them."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from fandesk.errors import FandeskError

console = Console()
err_console = Console(stderr=True)


class State:
    """Settings are read once per command; the workspace opens only when a command needs it."""

    def __init__(self, workspace: Path | None):
        self.workspace_path = workspace
        self._settings = None
        self._workspace = None

    @property
    def settings(self):
        if self._settings is None:
            from fandesk.settings import load_settings

            try:
                self._settings = load_settings(self.workspace_path)
            except ValueError as exc:
                raise FandeskError(f"settings: {exc}") from None
        return self._settings

    def open(self):
        if self._workspace is None:
            from fandesk.workspace.service import open_workspace

            self._workspace = open_workspace(self.settings)
        return self._workspace


@contextmanager
def import_progress(console, *, show: bool) -> Iterator:
    """A progress line per step of an import ("checking x.jsonl", "x.jsonl"), on a terminal only."""
    progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                        TextColumn("{task.completed:,} records"), TimeElapsedColumn(),
                        console=console, disable=not show, transient=True)
    tasks: dict[str, int] = {}

    def report(what: str, count: int) -> None:
        if what not in tasks:
            tasks[what] = progress.add_task(what, total=None)
        progress.update(tasks[what], completed=count)

    with progress:
        yield report


def triage_table(result) -> Table:
    table = Table(title="triage")
    table.add_column("what")
    table.add_column("count", justify="right")
    for label, value in (("new items", result.created), ("re-triaged", result.retriaged),
                         ("urgent", result.tiers["urgent"]), ("important", result.tiers["important"]),
                         ("routine", result.tiers["routine"]), ("hidden as spam", result.hidden),
                         ("escalated", result.escalated), ("closed: we replied", result.closed),
                         ("history: before the desk start", result.history),
                         ("crises opened", result.crises)):
        table.add_row(label, f"{value:,}")
    return table
