"""`fandesk questions --account A --month YYYY-MM`: the month's common questions, a thin adapter."""

from __future__ import annotations

import typer
from rich.markup import escape
from rich.table import Table

from fandesk.db import transaction


def questions_command(ctx: typer.Context,
                      account: str = typer.Option(..., "--account", "-a", help="The account (handle)."),
                      month: str = typer.Option(None, "--month", "-m", help="YYYY-MM (default: this month)."),
                      limit: int = typer.Option(20, "--limit", "-n", min=1, help="How many questions."),
                      as_json: bool = typer.Option(False, "--json", help="JSON lines instead of a table.")) -> None:
    """The questions followers asked most in a month, each with its count, examples and how many we answered."""
    from datetime import UTC, datetime

    import orjson

    from fandesk.console import console
    from fandesk.questions.service import common_questions
    from fandesk.workspace.service import account_by_handle

    month = month or datetime.now(UTC).strftime("%Y-%m")
    workspace = ctx.obj.open()
    with transaction(workspace.sessions) as session:
        found = account_by_handle(session, account)
        questions = common_questions(session, account_id=found.id, month=month, limit=limit)
    if as_json:
        for rank, q in enumerate(questions, 1):
            typer.echo(orjson.dumps({"rank": rank, "question": q.label, "count": q.count, "answered": q.answered,
                                     "examples": q.examples, "topics": q.topics, "item_ids": q.item_ids}).decode())
        return
    table = Table(title=f"common questions: @{found.handle}, {month} ({sum(q.count for q in questions)} asked)")
    for column in ("#", "question", "asked", "answered", "also asked as"):
        table.add_column(column, overflow="fold")
    for rank, q in enumerate(questions, 1):
        answered = f"[green]{q.answered}[/]" if q.answered == q.count else f"[yellow]{q.answered}[/]"
        table.add_row(str(rank), escape(q.label), str(q.count), answered, escape(" / ".join(q.examples[1:])))
    if not questions:
        table.add_row("", "no questions this month", "", "", "")
    console.print(table)


def mount(app: typer.Typer) -> None:
    app.command("questions")(questions_command)
