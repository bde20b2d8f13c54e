"""`fandesk report --account A --month YYYY-MM --format html|json|xlsx|pdf`: the monthly report, the same
numbers as the dashboard, as a file to forward. A thin adapter over metrics and the web's report renderer."""

from __future__ import annotations

from pathlib import Path

import typer

from fandesk.db import transaction


def report_command(ctx: typer.Context,
                   account: str = typer.Option(None, "--account", "-a",
                                               help="The account (handle); every account when left out."),
                   month: str = typer.Option(None, "--month", "-m", help="YYYY-MM (default: last month)."),
                   fmt: str = typer.Option("html", "--format", "-f", help="html, json, xlsx or pdf."),
                   output: Path = typer.Option(None, "--output", "-o",
                                               help="Where to write it (default: fandesk-report-ACCOUNT-MONTH.FORMAT; "
                                                    "- for standard output)."),
                   language: str = typer.Option("zh", "--language", help="zh or en.")) -> None:
    """The monthly community report: headline numbers, every section against the month before, charts,
    negative feedback by cause, the team, ROI, the health score and the actions they suggest."""
    import sys
    from datetime import UTC, datetime

    from sqlalchemy import select

    from fandesk.console import console
    from fandesk.errors import Invalid
    from fandesk.metrics.periods import parse_period
    from fandesk.metrics.service import account_ids_for, dashboard, scope_for
    from fandesk.web import i18n
    from fandesk.web.app import _templates
    from fandesk.web.reports import CONTENT_TYPES, render_report, report_filename
    from fandesk.workspace.models import Account

    if fmt not in CONTENT_TYPES:
        raise Invalid(f"--format {fmt!r}: use html, json, xlsx or pdf")
    if month is None:
        month = parse_period(datetime.now(UTC).strftime("%Y-%m")).previous().label
    elif parse_period(month).kind != "month":
        raise Invalid(f"--month {month!r}: give a month as YYYY-MM, e.g. 2026-03")
    workspace = ctx.obj.open()
    token = i18n.use_language(language)
    try:
        with transaction(workspace.sessions) as session:
            every = list(session.scalars(select(Account.id)))
            ids = account_ids_for(session, account_ids=every, handle=account)
            found = dashboard(session, scope_for(session, account_ids=ids, period=month, kind="month"))
        body = render_report(found, fmt, templates=_templates())
    finally:
        i18n._current.reset(token)
    if output is not None and str(output) == "-":
        sys.stdout.buffer.write(body)
        return
    path = output or Path(report_filename(found, fmt))
    path.write_bytes(body)
    console.print(f"{fmt} report for {', '.join('@' + a['handle'] for a in found.accounts)}, {month}: {path}")


def mount(app: typer.Typer) -> None:
    app.command("report")(report_command)
