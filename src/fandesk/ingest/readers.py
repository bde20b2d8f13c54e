"""Reading files record by record, whatever the container: JSON, JSONL, CSV, Excel, SQLite.

Readers stream (memory stays flat however large the file), name every record by its place
(`line 12`, `record 7`, `sheet Comments row 5`, `table xhs_note rowid 9`), and refuse a file that
is empty, binary or not what its name says before reading it all.
"""

from __future__ import annotations

import codecs
import csv
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import ijson
import orjson

from fandesk.errors import BadFile

SNIFF_BYTES = 64 * 1024
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
    encoding = detect_encoding(head, path)
    text = head.decode(encoding, errors="ignore").lstrip("\ufeff \t\r\n")
    suffix = path.suffix.lower()
    if text[:1] in "[{":
        if suffix == ".jsonl" or (text[:1] == "{" and _first_line_is_json(text)):
            return "jsonl"
        return "json"
    if suffix in (".json", ".jsonl"):
        raise BadFile(str(path), f"does not start with JSON (it starts with {text[:20]!r})",
                      "check that this is the crawler's JSON output")
    return "csv"


def _first_line_is_json(text: str) -> bool:
    first, _, rest = text.partition("\n")
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


def read_records(path: Path, container: str) -> Iterator[RawRecord]:
    if container == "jsonl":
        return _read_jsonl(path)
    if container == "json":
        return _read_json(path)
    if container == "csv":
        return _read_csv(path)
    if container == "xlsx":
        return _read_xlsx(path)
    if container == "sqlite":
        return _read_sqlite(path)
    raise BadFile(str(path), f"unknown container {container!r}")


def _read_jsonl(path: Path) -> Iterator[RawRecord]:
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                data = orjson.loads(line)
            except orjson.JSONDecodeError as exc:
                hint = ("the line is cut short: was the crawl interrupted? remove the line or re-export"
                        if not line.endswith(b"\n") else "fix or remove this line")
                raise BadFile(str(path), f"line {number} is not valid JSON ({exc})", hint) from None
            if not isinstance(data, dict):
                raise BadFile(str(path), f"line {number} is a JSON {type(data).__name__}, not an object",
                              "each line must hold one record")
            yield RawRecord(f"line {number}", data, text=line.decode().rstrip())


def read_json_document(path: Path):
    """A whole JSON document (API payloads are small pages)."""
    try:
        return orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise BadFile(str(path), f"is not valid JSON ({exc})",
                      "the file may be cut short; save the payload again") from None


def _read_json(path: Path) -> Iterator[RawRecord]:
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES).lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith(b"["):
        document = read_json_document(path)
        if isinstance(document, dict):
            yield RawRecord("record 1", document)
            return
        raise BadFile(str(path), "is JSON but neither an object nor a list of records")
    number = 0
    with path.open("rb") as handle:
        try:
            for number, item in enumerate(ijson.items(handle, "item", use_float=True), start=1):
                if not isinstance(item, dict):
                    raise BadFile(str(path), f"record {number} is a JSON {type(item).__name__}, not an object",
                                  "the file must be a list of records")
                yield RawRecord(f"record {number}", item)
        except ijson.common.IncompleteJSONError:
            raise BadFile(str(path), f"record {number + 1}: the JSON ends early, the file is cut short",
                          "was the crawl interrupted? export it again") from None
        except ijson.common.JSONError as exc:
            reason = str(exc).splitlines()[0] if str(exc) else "invalid JSON"
            raise BadFile(str(path), f"record {number + 1}: invalid JSON ({reason})",
                          "the file is damaged: export it again") from None


def _open_text(path: Path):
    with path.open("rb") as handle:
        encoding = detect_encoding(handle.read(SNIFF_BYTES), path)
    return path.open("r", encoding=encoding, newline="")


def _read_csv(path: Path) -> Iterator[RawRecord]:
    with _open_text(path) as handle:
        reader = csv.reader(handle)
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
            first = next(csv.reader(handle), [])
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
