"""`fandesk import`: a thin adapter over ingest.service. One transaction for the whole command:
a bad file (without --skip-bad) or a killed import changes nothing."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import typer
from rich.console import Group
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from fandesk.db import transaction

COLUMNS = ("new", "updated", "unchanged", "rejected")


def import_command(
    ctx: typer.Context,
    paths: list[Path] = typer.Argument(..., help="Files or folders (a whole data/xhs folder)."),
    account: str = typer.Option(None, "--account", "-a", help="Handle (or user id) of the account the data is for."),
    fmt: str = typer.Option("auto", "--format", "-f",
                            help="auto, mediacrawler, xhs-api, or for spreadsheets: followers, purchases, "
                                 "referrals, survey, costs."),
    skip_bad: bool = typer.Option(False, "--skip-bad", help="Import good records; write bad ones to a rejects file."),
    column_map: str = typer.Option(None, "--map", help="Spreadsheet columns: field=column,... e.g. nickname=昵称."),
    no_triage: bool = typer.Option(False, "--no-triage", help="Import only; run `fandesk triage` later."),
) -> None:
    """Import MediaCrawler output, raw web API payloads or spreadsheets; safe to run again."""
    from fandesk.cli import console, err_console
    from fandesk.ingest.service import write_rejects
    from fandesk.ingest.sheets import parse_mapping

    workspace = ctx.obj.open()
    mapping = parse_mapping(column_map)
    results, triaged = run_import(workspace, paths, account=account, fmt=fmt, skip_bad=skip_bad, mapping=mapping,
                                  show_progress=err_console.is_terminal, triage=not no_triage)
    console.print(results_table(results))
    if triaged is not None:
        from fandesk.inbox.cli import triage_table

        console.print(triage_table(triaged))
    rejects = write_rejects(workspace.settings.workspace, results)
    if rejects:
        total = sum(len(r.rejected) for r in results)
        err_console.print(f"{total} bad record(s) skipped; each is listed with its reason in {rejects}",
                          highlight=False)


def run_import(workspace, paths: list[Path], *, account: str | None = None, fmt: str = "auto",
               skip_bad: bool = False, mapping: dict | None = None, show_progress: bool = False,
               triage: bool = True, clock_ms: int | None = None):
    """Import every file, then triage what arrived, in one transaction: the inbox is ready when the
    import ends, and a failure anywhere leaves the workspace as it was. `clock_ms` is the time no
    record may be later than (default: now; the demo passes the moment its captures pretend)."""
    from fandesk.cli import err_console
    from fandesk.ingest.service import import_file, plan_import, resolve_account

    plans, skipped = plan_import(paths, fmt)
    results = list(skipped)
    progress = Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
                        TextColumn("{task.completed:,} records"), TimeElapsedColumn(),
                        console=err_console, disable=not show_progress, transient=True)
    with progress, transaction(workspace.sessions) as session:
        target = resolve_account(session, account)
        for plan in plans:
            task = progress.add_task(plan.path.name, total=None)
            results.append(import_file(session, plan, account=target, skip_bad=skip_bad, mapping=mapping,
                                       time_zone=target.time_zone if target else workspace.settings.time_zone,
                                       batch_size=workspace.settings.import_batch_size, clock_ms=clock_ms,
                                       progress=lambda n, task=task: progress.update(task, completed=n)))
            progress.remove_task(task)
        triaged = None
        if triage:
            from fandesk.inbox.service import triage as run_triage

            task = progress.add_task("triage", total=None)
            triaged = run_triage(session, workspace=workspace.settings.workspace,
                                 progress=lambda n: progress.update(task, completed=n))
    return results, triaged


def results_table(results):
    totals: dict[str, Counter] = {}
    for result in results:
        for kind, counter in result.counts.items():
            totals.setdefault(kind, Counter()).update(counter)
    skipped = [r.skipped for r in results if r.skipped]
    table = Table(title=f"imported {len(results) - len(skipped)} file(s)")
    table.add_column("kind")
    for column in COLUMNS:
        table.add_column(column, justify="right")
    for kind in sorted(totals):
        table.add_row(kind.replace("_", " "), *[f"{totals[kind].get(c, 0):,}" for c in COLUMNS])
    if not skipped:
        return table
    return Group(table, Text(f"skipped {len(skipped)} file(s) that are not records: {', '.join(skipped)}"))


def mount(app: typer.Typer) -> None:
    app.command("import")(import_command)
