"""Reading files record by record, whatever the container: JSON, JSONL, CSV, Excel, SQLite.

Readers stream (memory stays flat however large the file), name every record by its place
(`line 12`, `record 7`, `sheet Comments row 5`, `table xhs_note rowid 9`), and refuse a file that
is empty, binary or not what its name says before reading it all.

A record that cannot be read but leaves the rest of the file readable (a broken JSON Lines line, a
cut-off last record, bytes that are not UTF-8, a lone surrogate, a record nested too deep or longer
than MAX_RECORD_BYTES) comes back as a RawRecord with its `problem` when asked (`keep_bad`), so
--skip-bad can pass over it; otherwise it stops the reading with that problem. The same bytes give
the same answer in a JSON list and in JSON Lines: both are parsed record by record by orjson.

Lone surrogates (half of a UTF-16 pair, "\\ud83d" without its partner) are refused, not replaced:
no database stores them as text, and replacing them changes what a person wrote without saying so.
"""

from __future__ import annotations

import codecs
import csv
import re
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

from fandesk.errors import BadFile, BadRecord
from fandesk.ingest import json_list
from fandesk.ingest.values import MAX_NESTING, deeper_than

SNIFF_BYTES = 64 * 1024
# A crawler's record is a few KB; a longer line or record is not one (a file without line breaks, a
# dump of something else), and is refused before it is read whole.
MAX_RECORD_BYTES = 16 * 1024**2
# An API payload is one page, read whole; the SDK's get_note_all_comments of a very busy note is the largest.
MAX_DOCUMENT_BYTES = 128 * 1024**2
SQLITE_MAGIC = b"SQLite format 3\x00"
ZIP_MAGIC = b"PK\x03\x04"
TEXT_ENCODINGS = ("utf-8-sig", "gb18030")
csv.field_size_limit(64 * 1024 * 1024)


@dataclass(frozen=True)
class RawRecord:
    where: str  # a person-readable place in the file
    data: dict
    part: str = ""  # the table, sheet or file-name kind it came from (contents, comments, creators)
    text: str | None = None  # the record's own JSON text, when the file has it (JSONL)
    problem: BadRecord | None = None  # why the record cannot be read (then `data` is empty)


def sniff(path: Path) -> str:
    """The container of a file from its first bytes: 'sqlite', 'xlsx', 'json', 'jsonl' or 'csv'."""
    try:
        with path.open("rb") as handle:
            head = handle.read(SNIFF_BYTES)
    except OSError as exc:
        raise BadFile(str(path), f"cannot be opened ({exc.strerror})", "check the path and permissions") from exc
    if not head.strip():
        raise BadFile(str(path), "the file is empty", "export it again from the crawler")
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(ZIP_MAGIC):
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            return "xlsx"
        raise BadFile(str(path), "is a zip archive, not an Excel workbook or a data file",
                      "unzip it and import the files inside")
    if b"\x00" in head:
        raise BadFile(str(path), "is a binary file, not JSON, CSV, Excel or SQLite",
                      "import the crawler's data files (data/xhs/...)")
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    suffix = path.suffix.lower()
    if start[:1] in (b"[", b"{"):  # JSON is UTF-8: a line with other bytes is that line's problem
        if suffix == ".jsonl" or (start[:1] == b"{" and _first_line_is_json(start)):
            return "jsonl"
        return "json"
    if suffix in (".json", ".jsonl"):
        shown = start[:20].decode("utf-8", errors="replace")
        raise BadFile(str(path), f"does not start with JSON (it starts with {shown!r})",
                      "check that this is the crawler's JSON output")
    detect_encoding(head, path)
    return "csv"


def _first_line_is_json(head: bytes) -> bool:
    first, _, rest = head.partition(b"\n")
    if not rest.strip():
        return False  # one document on one line: plain JSON
    try:
        orjson.loads(first)
    except orjson.JSONDecodeError:
        return False
    return True


def detect_encoding(head: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM) or GB18030, what Excel on Chinese Windows writes."""
    for encoding in TEXT_ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            decoder.decode(head, final=False)
            return encoding
        except UnicodeDecodeError:
            continue
    raise BadFile(str(path), "is neither UTF-8 nor GBK/GB18030 text", "save it as UTF-8 CSV and import again")


def read_records(path: Path, container: str, *, keep_bad: bool = False) -> Iterator[RawRecord]:
    """The file's records in order. A record that cannot be read comes back with its `problem` when
    `keep_bad`, and otherwise stops the reading (raises its BadRecord)."""
    readers = {"jsonl": _read_jsonl, "json": _read_json, "csv": _read_csv, "xlsx": _read_xlsx,
               "sqlite": _read_sqlite}
    if container not in readers:
        raise BadFile(str(path), f"unknown container {container!r}")
    records = readers[container](path)
    return records if keep_bad else _stop_at_bad(records)


def _stop_at_bad(records: Iterator[RawRecord]) -> Iterator[RawRecord]:
    for record in records:
        if record.problem is not None:
            raise record.problem
        yield record


def _read_jsonl(path: Path) -> Iterator[RawRecord]:
    file = str(path)
    limit = MAX_RECORD_BYTES
    with path.open("rb") as handle:
        number = 0
        while line := handle.readline(limit + 1):
            number += 1
            where = f"line {number}"
            if len(line) > limit and not line.endswith(b"\n"):
                yield _bad(file, where, f"longer than {json_list.size_text(limit)}: not a crawler record",
                           "check that this is the crawler's JSON Lines output")
                while (rest := handle.readline(SNIFF_BYTES)) and not rest.endswith(b"\n"):
                    pass  # passed over (--skip-bad): the rest of the line, read and let go
                continue
            if not line.strip():
                continue
            try:
                data = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                yield RawRecord(where, {}, problem=_unreadable(file, where, line, exc,
                                                               cut=not line.endswith(b"\n")))
                continue
            if not isinstance(data, dict):
                yield _bad(file, where, f"a JSON {type(data).__name__}, not an object",
                           "each line must hold one record")
            elif line.count(b"{") + line.count(b"[") > MAX_NESTING and deeper_than(data):
                yield _bad(file, where, f"nested deeper than {MAX_NESTING} levels: not a crawler record",
                           "check that this is the crawler's output")
            else:
                yield RawRecord(where, data, text=line.decode().rstrip())


def _bad(file: str, where: str, problem: str, hint: str) -> RawRecord:
    return RawRecord(where, {}, problem=BadRecord(file, where, None, problem, hint))


_KEY = re.compile(rb'"((?:[^"\\]|\\.)*)"\s*:')


def _unreadable(file: str, where: str, text: bytes, exc: orjson.JSONDecodeError, *, cut: bool) -> BadRecord:
    """Why a record's JSON cannot be read, said for a person: cut short, not UTF-8, half a character."""
    reason = str(exc)
    if reason.startswith("str is not valid UTF-8"):
        try:
            text.decode("utf-8")
        except UnicodeDecodeError as error:
            return BadRecord(file, where, None, f"has bytes that are not UTF-8 text "
                             f"({text[error.start:error.end]!r} at byte {error.start + 1})",
                             "JSON must be UTF-8: save the file again as UTF-8, or fix or remove this record")
    if "surrogate" in reason:
        # orjson counts characters: the field is the last key before that point
        before = text.decode("utf-8", errors="replace")[:exc.pos].encode()
        keys = _KEY.findall(before)
        field = keys[-1].decode() if keys else None
        return BadRecord(file, where, field, f"holds half of a character (a lone UTF-16 surrogate: {reason})",
                         "the crawler wrote broken text: fix or remove this record")
    if cut:
        return BadRecord(file, where, None, f"not valid JSON ({reason})",
                         "the record is cut short: was the crawl interrupted? remove it or export again")
    return BadRecord(file, where, None, f"not valid JSON ({reason})", "fix or remove this record")


def read_json_document(path: Path):
    """A whole JSON document (API payloads are small pages)."""
    size = path.stat().st_size
    if size > MAX_DOCUMENT_BYTES:
        raise BadFile(str(path), f"is {size / 2**20:,.0f} MB: an API payload is one page, at most "
                      f"{json_list.size_text(MAX_DOCUMENT_BYTES)}", "check that this is a payload the SDK returned")
    try:
        return orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        if "depth limit" in str(exc):
            raise BadFile(str(path), "is nested deeper than 1,024 levels: not a payload the SDK returned") from None
        raise BadFile(str(path), f"is not valid JSON ({exc})",
                      "the file may be cut short; save the payload again") from None


def _read_json(path: Path) -> Iterator[RawRecord]:
    file = str(path)
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES).lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"["):
        document = read_json_document(path)
        if isinstance(document, dict):
            yield RawRecord("record 1", document)
            return
        raise BadFile(file, "is JSON but neither an object nor a list of records")
    with path.open("rb") as handle:
        for record in json_list.split(handle, file, max_bytes=MAX_RECORD_BYTES, max_nesting=MAX_NESTING):
            where = f"record {record.number}"
            if record.problem is not None:
                yield _bad(file, where, *record.problem)
                continue
            try:
                data = orjson.loads(record.text)
            except orjson.JSONDecodeError as exc:
                yield RawRecord(where, {}, problem=_unreadable(file, where, record.text, exc, cut=False))
                continue
            if not isinstance(data, dict):
                yield _bad(file, where, f"a JSON {type(data).__name__}, not an object",
                           "the file must be a list of records")
            else:
                yield RawRecord(where, data)


def _open_text(path: Path):
    with path.open("rb") as handle:
        encoding = detect_encoding(handle.read(SNIFF_BYTES), path)
    return path.open("r", encoding=encoding, newline="")


def _lines(handle, file: str) -> Iterator[str]:
    """A text file's lines, refusing one longer than MAX_RECORD_BYTES characters before it is read whole."""
    limit = MAX_RECORD_BYTES
    number = 0
    while line := handle.readline(limit + 1):
        number += 1
        if len(line) > limit and not line.endswith(("\n", "\r")):
            raise BadFile(file, f"line {number} is longer than {json_list.size_text(limit)}: not a crawler record",
                          "check that this is the crawler's CSV output")
        yield line


def _read_csv(path: Path) -> Iterator[RawRecord]:
    with _open_text(path) as handle:
        reader = csv.reader(_lines(handle, str(path)))
        try:
            header = next(reader, None)
        except UnicodeDecodeError as exc:
            raise BadFile(str(path), f"line 1 has bytes that are not text ({exc.reason})") from None
        if not header or not any(cell.strip() for cell in header):
            raise BadFile(str(path), "has no header row", "the first line must name the columns")
        header = [cell.strip().lstrip("\ufeff") for cell in header]
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except UnicodeDecodeError as exc:
                raise BadFile(str(path), f"near line {reader.line_num + 1}: bytes that are not text "
                              f"({exc.reason})", "save the file again as UTF-8 or GBK") from None
            except csv.Error as exc:
                raise BadFile(str(path), f"line {reader.line_num}: {exc}", "fix the quoting on that line") from None
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(header):
                raise BadFile(str(path), f"line {reader.line_num} has {len(row)} cells but the header names "
                              f"{len(header)}", "a comma inside a text cell needs quotes")
            yield RawRecord(f"line {reader.line_num}", dict(zip(header, row, strict=False)))


def csv_header(path: Path) -> list[str]:
    with _open_text(path) as handle:
        try:
            first = next(csv.reader(_lines(handle, str(path))), [])
        except (UnicodeDecodeError, csv.Error):
            return []
    return [cell.strip().lstrip("\ufeff") for cell in first]


def _read_xlsx(path: Path) -> Iterator[RawRecord]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise BadFile(str(path), f"cannot be opened as an Excel workbook ({exc})",
                      "open it in Excel and save it again as .xlsx") from None
    try:
        for sheet in workbook.worksheets:
            rows = sheet.iter_rows(values_only=True)
            header = next(rows, None)
            if not header:
                continue
            names = [str(cell).strip() if cell is not None else "" for cell in header]
            for number, row in enumerate(rows, start=2):
                if row is None or all(cell is None or str(cell).strip() == "" for cell in row):
                    continue
                data = {name: _cell(value) for name, value in zip(names, row, strict=False) if name}
                yield RawRecord(f"sheet {sheet.title} row {number}", data, part=sheet.title.lower())
    finally:
        workbook.close()


def _cell(value):
    from datetime import datetime

    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def sqlite_tables(path: Path) -> list[str]:
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
            return [row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    except sqlite3.DatabaseError as exc:
        raise BadFile(str(path), f"cannot be read as SQLite ({exc})", "check that the file is complete") from None


def _read_sqlite(path: Path) -> Iterator[RawRecord]:
    wanted = [t for t in ("xhs_note", "xhs_creator", "xhs_note_comment") if t in sqlite_tables(path)]
    if not wanted:
        raise BadFile(str(path), "has none of MediaCrawler's tables (xhs_note, xhs_note_comment, xhs_creator)",
                      "import the crawler's own SQLite file")
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    conn.row_factory = sqlite3.Row
    try:
        for table in wanted:
            try:
                cursor = conn.execute(f'SELECT rowid AS "__rowid", * FROM "{table}"')  # noqa: S608
                for row in cursor:
                    data = dict(row)
                    rowid = data.pop("__rowid")
                    yield RawRecord(f"table {table} rowid {rowid}", data, part=table)
            except sqlite3.DatabaseError as exc:
                raise BadFile(str(path), f"table {table} cannot be read ({exc})") from None
    finally:
        conn.close()
