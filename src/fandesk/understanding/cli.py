"""`fandesk analyze FILE`: understand every comment in a CSV, JSON or JSONL file, one JSON line out each."""

from __future__ import annotations

import os
import sys
import tempfile
from contextlib import nullcontext
from itertools import islice
from pathlib import Path
from typing import Annotated

import orjson
import typer

from ..errors import FandeskError
from .readers import open_rows, pick_text_column, text_of

app = typer.Typer(help="Understand comments: sentiment, category, cause and the evidence.")
BATCH = 2048
ID_COLUMNS = ("comment_id", "id", "note_id")


def _progress(enabled: bool | None, source):
    if enabled is None:
        enabled = sys.stderr.isatty()
    if not enabled:
        return nullcontext(None)
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    return Progress(TextColumn("[bold]analyzing[/] {task.description}"), BarColumn(),
                    TextColumn("{task.completed:,} rows"), TimeElapsedColumn(), transient=True, console=None)


def analyze_file(path: str | Path, text_column: str | None = None, output: str | Path | None = None,
                 progress: bool | None = None) -> int:
    """Analyze every row of `path` and write one JSON object per row to `output` (or stdout).

    Streams in batches, so memory stays flat for any file size. The output appears only when the
    whole file was read: on a bad row nothing is left behind and the error names file, row and field.
    Returns the number of rows written.
    """
    from .service import default_analyzer

    path = Path(path)
    source = open_rows(path)
    analyzer = default_analyzer()
    target = Path(output) if output else None
    handle, temp_name = (sys.stdout.buffer, None) if target is None else _temp_beside(target)
    written = 0
    try:
        with _progress(progress, source) as bar:
            task = bar.add_task(path.name, total=None) if bar else None
            column = None
            while batch := list(islice(source.rows, BATCH)):
                if column is None:
                    column = pick_text_column(path, [str(k) for k in batch[0][1]], text_column)
                texts = [text_of(path, where, row, column) for where, row in batch]
                lines = []
                for (_, row), analysis in zip(batch, analyzer.analyze_many(texts), strict=True):
                    record = {"row": written + len(lines) + 1}
                    for key in ID_COLUMNS:
                        if row.get(key) not in (None, ""):
                            record[key] = row[key]
                    record.update(analysis.to_dict())
                    lines.append(orjson.dumps(record))
                handle.write(b"\n".join(lines) + b"\n")
                written += len(lines)
                if bar:
                    bar.update(task, completed=written)
        if temp_name:
            handle.close()
            os.replace(temp_name, target)
            temp_name = None
        else:
            handle.flush()
    finally:
        source.rows.close()
        if temp_name:
            handle.close()
            os.unlink(temp_name)
    return written


def _temp_beside(target: Path):
    target.parent.mkdir(parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    return os.fdopen(descriptor, "wb"), name


def analyze_command(
    file: Annotated[Path, typer.Argument(help="CSV (UTF-8 or GBK), JSON array or JSON Lines file.")],
    text_column: Annotated[str | None, typer.Option("--text-column",
                                                    help="Column with the comment text.")] = None,
    output: Annotated[Path | None, typer.Option("--output", "-o",
                                                help="Write JSON Lines here instead of stdout.")] = None,
) -> None:
    """Understand every comment in FILE: sentiment, category, cause, question, language, spam, evidence."""
    try:
        count = analyze_file(file, text_column=text_column, output=output)
    except FandeskError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(code=2) from error
    if output:
        typer.echo(f"{count} rows analysed -> {output}", err=True)


app.command("analyze")(analyze_command)
