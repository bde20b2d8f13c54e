"""`fandesk import`: a thin adapter over fandesk.pipeline (check every file, then write in short steps
with triage): a bad file (without --skip-bad) changes nothing; a stopped import is finished by running
it again."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import typer
from rich.console import Group
from rich.table import Table
from rich.text import Text

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
    from fandesk.console import console, err_console, import_progress
    from fandesk.ingest.service import write_rejects
    from fandesk.ingest.sheets import parse_mapping
    from fandesk.pipeline import import_and_triage

    workspace = ctx.obj.open()
    mapping = parse_mapping(column_map)
    with import_progress(err_console, show=err_console.is_terminal) as progress:
        outcome = import_and_triage(workspace, paths, account=account, fmt=fmt, skip_bad=skip_bad, mapping=mapping,
                                    triage=not no_triage, progress=progress,
                                    on_wait=lambda message: err_console.print(message, highlight=False, soft_wrap=True))
    console.print(results_table(outcome.results))
    if outcome.triaged is not None:
        from fandesk.console import triage_table

        console.print(triage_table(outcome.triaged))
    rejects = write_rejects(workspace.settings.workspace, outcome.results)
    if rejects:
        total = sum(len(r.rejected) for r in outcome.results)
        err_console.print(f"{total} bad record(s) skipped; each is listed with its reason in {rejects}",
                          highlight=False)


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
