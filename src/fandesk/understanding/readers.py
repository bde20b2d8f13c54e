"""Stream rows out of CSV (UTF-8 or GBK/GB18030), JSON arrays and JSON Lines, in constant memory."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from fandesk.ingest.readers import read_records, sniff

from ..errors import BadFile, BadRecord

TEXT_COLUMNS = ("text", "content", "comment", "review", "desc", "message")


@dataclass
class Source:
    """An input file's rows as (where, row) pairs, read by the importer's streaming readers (the same
    sniffing, encodings and bad-input messages), with its size for the progress bar."""

    path: Path
    kind: str
    size: int
    rows: Iterator[tuple[str, dict]]


def open_rows(path: Path) -> Source:
    """Stream the rows of a CSV (UTF-8 or GBK/GB18030), JSON array or JSON Lines file."""
    if not path.is_file():
        raise BadFile(str(path), "no such file", "check the path")
    kind = sniff(path)
    if kind not in ("csv", "json", "jsonl"):
        raise BadFile(str(path), f"is {kind}, not CSV, JSON or JSON Lines", "export the comments as CSV or JSON")
    rows = ((record.where, record.data) for record in read_records(path, kind))
    return Source(path, kind, path.stat().st_size, rows)


def pick_text_column(path: Path, columns: list[str], wanted: str | None) -> str:
    """The column holding the comment text: the one asked for, or the first usual name present."""
    if wanted:
        if wanted in columns:
            return wanted
        raise BadRecord(str(path), "header" if columns else "first row", wanted, "no such column",
                        f"the columns are: {', '.join(columns) or '(none)'}; pass --text-column NAME")
    for name in TEXT_COLUMNS:
        if name in columns:
            return name
    raise BadRecord(str(path), "header", None, "no text column found",
                    f"the columns are: {', '.join(columns) or '(none)'}; pass --text-column NAME")


def text_of(path: Path, where: str, row: dict, column: str) -> str:
    """The row's text; an absent or null value is an empty comment (a picture), a list is an error."""
    value = row.get(column)
    if value is None:
        if column not in row:
            raise BadRecord(str(path), where, column, "is missing",
                            f"this row has: {', '.join(map(str, row)) or '(nothing)'}")
        return ""
    if isinstance(value, dict | list):
        raise BadRecord(str(path), where, column, "is not text", "give each row a plain text value")
    return str(value)
