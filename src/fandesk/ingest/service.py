"""Importing files: find what each file is and read it record by record, as canonical records.

The order of an import (check everything, then write in short transactions with triage) lives in
fandesk.pipeline; the writer in ingest.store, the first pass's checks in ingest.check."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import ijson
import orjson
from sqlalchemy import select
from sqlalchemy.orm import Session

from fandesk.errors import BadFile, BadRecord, Invalid, NotFound
from fandesk.ingest import mediacrawler, readers, sheets, xhs_api
from fandesk.ingest.values import RecordContext, without_nul
from fandesk.workspace.models import Account

FORMATS = ("auto", "mediacrawler", "xhs-api", *sheets.SHEET_KINDS)
DATA_SUFFIXES = {".json", ".jsonl", ".csv", ".xlsx", ".db", ".sqlite", ".sqlite3"}
# Notes before creators before comments, so fewer comments point at notes not seen yet.
_ORDER = ("contents", "note", "creator", "comments", "comment")


@dataclass
class ImportPlan:
    path: Path
    format: str  # mediacrawler | xhs-api | a sheet kind
    container: str


@dataclass
class FileResult:
    path: Path
    format: str
    counts: dict[str, Counter]
    rejected: list[dict] = field(default_factory=list)
    import_id: int | None = None
    skipped: str | None = None  # a folder's file passed over (it holds no records), named from the folder


class NotRecords(BadFile):
    """A file MediaCrawler writes next to its data that holds no records (word-cloud counts)."""


def plan_import(paths: list[Path], fmt: str = "auto") -> tuple[list[ImportPlan], list[FileResult]]:
    """What to import from files as given and folders (a whole data/xhs) walked for data files, notes
    first. A folder's files that are known to hold no records (word-cloud counts) are passed over and
    come back as skipped results, so the summary can say so; named on their own, they are refused."""
    plans: list[ImportPlan] = []
    skipped: list[FileResult] = []
    for path in paths:
        if not path.exists():
            raise NotFound(f"{path}: no such file or folder")
        if not path.is_dir():
            plans.append(plan_file(path, fmt))
            continue
        found = [p for p in sorted(path.rglob("*")) if p.is_file() and p.suffix.lower() in DATA_SUFFIXES]
        if not found:
            raise NotFound(f"{path}: the folder holds no .json, .jsonl, .csv, .xlsx or SQLite files")
        for file in sorted(found, key=_file_rank):
            try:
                plans.append(plan_file(file, fmt))
            except NotRecords:
                skipped.append(FileResult(file, "not records", {}, skipped=file.relative_to(path).as_posix()))
    return plans, skipped


def _file_rank(path: Path) -> tuple[int, str]:
    name = path.name.lower()
    for rank, word in enumerate(_ORDER):
        if word in name:
            return rank, str(path)
    return len(_ORDER), str(path)


def plan_file(path: Path, fmt: str = "auto") -> ImportPlan:
    """What a file holds, from its bytes and columns (names can lie); `fmt` overrides."""
    if fmt not in FORMATS:
        raise Invalid(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    container = readers.sniff(path)
    if container == "json" and _is_word_counts(path):
        raise NotRecords(str(path), "holds word counts (MediaCrawler's word cloud, data/xhs/words), not records",
                         "nothing to import from it: a folder import passes over it; see docs/formats.md")
    if fmt != "auto":
        return ImportPlan(path, fmt, container)
    if container in ("sqlite", "xlsx"):
        if container == "xlsx" and not _xlsx_is_mediacrawler(path):
            raise BadFile(str(path), "is a spreadsheet, not MediaCrawler output",
                          "say what it holds with --format followers|purchases|referrals|survey|costs "
                          "and map its columns with --map")
        return ImportPlan(path, "mediacrawler", container)
    if container == "csv":
        header = readers.csv_header(path)
        if mediacrawler.record_kind(dict.fromkeys(header)) is not None:
            return ImportPlan(path, "mediacrawler", container)
        raise BadFile(str(path), f"its columns ({', '.join(header[:12])}) are not MediaCrawler's",
                      "to import a spreadsheet, say what it holds with --format followers|purchases|referrals|"
                      "survey|costs and map its columns with --map field=column,...")
    if container == "json":
        with path.open("rb") as handle:
            starts_list = handle.read(readers.SNIFF_BYTES).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"[")
        if starts_list and not _json_list_is_api(path):
            return ImportPlan(path, "mediacrawler", container)
        return ImportPlan(path, "xhs-api", container)
    return ImportPlan(path, "mediacrawler", container)


def _xlsx_is_mediacrawler(path: Path) -> bool:
    for record in readers.read_records(path, "xlsx"):
        return mediacrawler.record_kind(record.data) is not None
    return False


def _json_list_is_api(path: Path) -> bool:
    """A list of DM messages or of the SDK's comment objects (get_note_all_comments), not crawler records,
    told by its first record. A first record that cannot be read says crawler output (the SDK's lists
    are written whole): the import then reports it, or --skip-bad passes over it."""
    for record in readers.read_records(path, "json", keep_bad=True):
        return record.problem is None and xhs_api.payload_kind([record.data]) is not None
    return False


def _is_word_counts(path: Path) -> bool:
    """One JSON object of word -> count: what MediaCrawler's word cloud writes beside its data. Read as
    a stream of tokens that stops at the first value that is not a number (a payload's first value
    is a list or an object), so a large or deeply nested file costs nothing here."""
    with path.open("rb") as handle:
        if not handle.read(readers.SNIFF_BYTES).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
            return False
        handle.seek(0)
        try:
            for index, (event, _value) in enumerate(ijson.basic_parse(handle, use_float=True)):
                if index == 0 or event == "map_key" or event == "number":
                    continue
                return event == "end_map"
        except ijson.common.JSONError:
            return False
    return False


def resolve_account(session: Session, handle: str | None) -> Account | None:
    if handle is None:
        return None
    account = session.scalars(select(Account).where(
        (Account.handle == handle) | (Account.platform_user_id == handle))).first()
    if account is None:
        known = list(session.scalars(select(Account.handle).order_by(Account.handle)))
        first = (f"this workspace has no accounts yet: add it first with `fandesk account add {handle} "
                 "--user-id ID`" if not known else
                 f"no account {handle!r} (this workspace has: {', '.join(known)}); if it is a new one, add it "
                 f"with `fandesk account add {handle} --user-id ID`")
        raise NotFound(f"{first}, where ID is its Xiaohongshu user id (the 24-character id in its profile "
                       "address), so its own replies are recognised; then import again")
    return account


def canonical_records(plan: ImportPlan, *, now: int, mapping: dict[str, str] | None,
                      time_zone: str) -> Iterator[tuple[str, dict | BadRecord]]:
    """(where, record) for every record of a file; a bad record comes back as its BadRecord. Texts are
    stored without U+0000 (values.without_nul), the same on SQLite and PostgreSQL."""
    for where, record in _canonical_records(plan, now=now, mapping=mapping, time_zone=time_zone):
        yield where, (record if isinstance(record, BadRecord) else without_nul(record))


def _canonical_records(plan: ImportPlan, *, now: int, mapping: dict[str, str] | None,
                       time_zone: str) -> Iterator[tuple[str, dict | BadRecord]]:
    file = str(plan.path)
    if plan.format == "xhs-api":
        document = xhs_api.unwrap(readers.read_json_document(plan.path), file)
        kind = xhs_api.payload_kind(document)
        if kind is None:
            raise BadFile(file, "is JSON but not a payload fandesk knows (comment pages, sub-comment pages, "
                          "all comments of a note, mention notifications, DM conversation lists, chat histories)",
                          "see docs/formats.md, or use --format mediacrawler for crawler output")
        yield from xhs_api.records(document, kind, file, now)
        return
    if plan.format in sheets.SHEET_KINDS:
        rows = readers.read_records(plan.path, plan.container, keep_bad=True)
        yield from sheets.records(plan, rows, mapping or {}, now=now, time_zone=time_zone)
        return
    checked = False
    for raw in readers.read_records(plan.path, plan.container, keep_bad=True):
        if raw.problem is not None:
            yield raw.where, raw.problem
            continue
        kind = mediacrawler.record_kind(raw.data, raw.part)
        if kind is None:
            if not checked:
                raise BadFile(file, f"{raw.where} has columns {', '.join(list(raw.data)[:12])}, which are not "
                              "MediaCrawler's note, comment or creator fields",
                              "check --format, or that this is the crawler's output")
            fields = ", ".join(list(raw.data)[:8])
            yield raw.where, BadRecord(file, raw.where, None,
                                       f"not a note, comment or creator record (it has {fields})",
                                       "a comment needs comment_id, note_id, content and create_time")
            continue
        checked = True
        ctx = RecordContext(file, raw.where, now)
        try:
            yield raw.where, mediacrawler.NORMALIZERS[kind](raw.data, ctx, raw.text)
        except BadRecord as error:
            yield raw.where, error


def write_rejects(workspace: Path, results: list[FileResult]) -> Path | None:
    """Every skipped record with its reason, next to the workspace, so nothing is silently lost."""
    rows = [dict(r, file=str(res.path)) for res in results for r in res.rejected]
    if not rows:
        return None
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    path = workspace / "rejects" / f"rejects-{stamp}-{os.getpid()}.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as handle:
        for row in rows:
            handle.write(orjson.dumps(row) + b"\n")
    return path
