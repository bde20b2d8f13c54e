"""Stream rows out of CSV (UTF-8 or GBK/GB18030), JSON arrays and JSON Lines, in constant memory."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

from ..errors import BadFile, BadRecord

TEXT_COLUMNS = ("text", "content", "comment", "review", "desc", "message")
SNIFF_BYTES = 1 << 16


class _Counting(io.RawIOBase):
    """A binary file that remembers how many bytes were read, for the progress bar."""

    def __init__(self, raw):
        self.raw = raw
        self.done = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self.raw.readinto(buffer)
        self.done += n or 0
        return n


@dataclass
class Source:
    """An opened input file: its rows as dicts (with 1-based row numbers), and its size for progress."""

    path: Path
    kind: str
    size: int
    counter: _Counting
    stream: io.BufferedReader  # held here: a wrapper that is garbage-collected closes the file
    rows: Iterator[tuple[int, dict]]


def _encoding(head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        return "gb18030"  # a superset of GBK and GB2312, as Excel on Chinese Windows writes


def _kind(path: Path, head: bytes) -> str:
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    if suffix == ".csv":
        return "csv"
    start = head.lstrip(codecs.BOM_UTF8).lstrip()[:1]
    if start == b"[":
        return "json"
    if start == b"{":
        return "jsonl"
    return "csv"


def _csv_rows(path: Path, stream, encoding: str) -> Iterator[tuple[int, dict]]:
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    reader = csv.DictReader(text)
    row_number = 1
    try:
        for row_number, row in enumerate(reader, start=2):  # row 1 is the header
            yield row_number, row
    except UnicodeDecodeError as error:
        raise BadRecord(str(path), f"row {row_number + 1}", None, f"cannot be decoded as {encoding}",
                        "save the file as UTF-8 or GB18030") from error
    except csv.Error as error:
        raise BadRecord(str(path), f"row {row_number + 1}", None, f"is not valid CSV: {error}") from error


def _jsonl_rows(path: Path, stream) -> Iterator[tuple[int, dict]]:
    for line_number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        try:
            value = orjson.loads(line)
        except orjson.JSONDecodeError as error:
            raise BadRecord(str(path), f"line {line_number}", None, f"is not valid JSON: {error}") from error
        if not isinstance(value, dict):
            raise BadRecord(str(path), f"line {line_number}", None, "is not a JSON object")
        yield line_number, value


def _json_rows(path: Path, stream) -> Iterator[tuple[int, dict]]:
    import ijson

    number = 0
    try:
        for number, value in enumerate(ijson.items(stream, "item", use_float=True), start=1):
            if not isinstance(value, dict):
                raise BadRecord(str(path), f"item {number}", None, "is not a JSON object")
            yield number, value
    except ijson.JSONError as error:
        raise BadRecord(str(path), f"item {number + 1}", None, f"is not valid JSON: {error}") from error


def open_rows(path: Path) -> Source:
    """Open `path` and stream its rows; the caller closes `source.counter`."""
    if not path.is_file():
        raise BadFile(str(path), "no such file", "check the path")
    raw = open(path, "rb")  # noqa: SIM115 - closed by the caller through source.counter
    head = raw.read(SNIFF_BYTES)
    raw.seek(0)
    counter = _Counting(raw)
    kind = _kind(path, head)
    buffered = io.BufferedReader(counter)
    if kind == "csv":
        rows = _csv_rows(path, buffered, _encoding(head))
    elif kind == "json":
        rows = _json_rows(path, buffered)
    else:
        rows = _jsonl_rows(path, buffered)
    return Source(path, kind, path.stat().st_size, counter, buffered, rows)


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
