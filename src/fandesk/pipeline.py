"""What happens to imported data, in order: check every file, write it in short steps (each with the
triage of what it brought), then close what the account has answered and look for crises.

This is the one home of "import, then triage": the CLI, the demo, the web app and the background
worker call `import_and_triage`; no adapter strings the steps together itself.

Why short steps: on SQLite a transaction that writes holds the whole database's write lock, and an
import of 300,000 comments in one transaction kept every other writer (a reply, a sign-in) waiting for
a minute. So an import
1. reads every file once and checks every record (fandesk.ingest.check) without writing anything:
   a bad file changes nothing, and the writes that follow meet no error of their input;
2. writes the records in chunks of a few thousand, one transaction each, and triages each chunk's
   new comments, mentions and messages in the same transaction: whatever is visible is complete
   (a comment with its thread, its person, its inbox item);
3. if it is stopped half way (killed, the machine lost), running the same import again completes it:
   records already written count as unchanged, and the file's import run is finished, not repeated.
Imports run one at a time per workspace (fandesk.ingest.lock)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import islice
from pathlib import Path

import orjson
from sqlalchemy import func, select

from fandesk.clock import utcnow
from fandesk.content.models import Comment, DmMessage, Mention
from fandesk.crisis.service import detect_crises
from fandesk.db import transaction
from fandesk.errors import BadRecord, Invalid
from fandesk.inbox.history import settle_history
from fandesk.inbox.service import TriageResult, close_answered, triage
from fandesk.ingest import sheets
from fandesk.ingest.check import CheckedFile, Preflight
from fandesk.ingest.lock import import_lock
from fandesk.ingest.models import ImportRun
from fandesk.ingest.service import FileResult, ImportPlan, canonical_records, plan_import, resolve_account
from fandesk.ingest.store import Accounts, ImportWriter
from fandesk.ingest.values import now_ms
from fandesk.people.service import join_generations

CHUNK_RECORDS = 1000  # records per write transaction: ~0.1-0.3 s of SQLite's write lock
# After each chunk an import on SQLite lets go of the write lock for a moment, so a reply or a change
# waiting at the desk gets it before the next chunk does (SQLite's lock is not handed out in turn).
YIELD_SECONDS = 0.05


@dataclass
class ImportOutcome:
    results: list[FileResult]
    triaged: object | None  # inbox.service.TriageResult when triage ran


Progress = Callable[[str, int], None]  # (what, records so far)


def import_and_triage(workspace, paths: list[Path], *, account: str | None = None, fmt: str = "auto",
                      skip_bad: bool = False, mapping: dict | None = None, triage: bool = True,
                      clock_ms: int | None = None, progress: Progress | None = None,
                      on_wait: Callable[[str], None] | None = None,
                      chunk_records: int = CHUNK_RECORDS) -> ImportOutcome:
    """Import files and folders into the workspace and triage what arrived (see the module's text).
    `clock_ms`: no record may be later than this (default: now; the demo passes the moment its
    captures pretend). Raises the first bad record (BadRecord/BadFile) before anything is written,
    unless `skip_bad`, when bad records come back in the results."""
    plans, skipped = plan_import(paths, fmt)
    clock = now_ms() if clock_ms is None else clock_ms
    with import_lock(workspace.engine, workspace.settings.workspace, on_wait=on_wait):
        with transaction(workspace.sessions) as session:
            join_generations(session)
            target = resolve_account(session, account)
            accounts = Accounts(session, target)
            if accounts.default is None and any(plan.format in sheets.SHEET_KINDS for plan in plans):
                first = next(plan for plan in plans if plan.format in sheets.SHEET_KINDS)
                raise Invalid(f"{first.path}: a spreadsheet needs the account it belongs to: pass --account HANDLE")
        time_zone = target.time_zone if target else workspace.settings.time_zone

        def records_of(plan: ImportPlan):
            return canonical_records(plan, now=clock, mapping=mapping, time_zone=time_zone)

        checked: list[CheckedFile] = []
        with workspace.sessions() as session:  # reads only: the first pass writes nothing
            preflight = Preflight(session, accounts, skip_bad=skip_bad)
            for plan in plans:
                report = _reporter(progress, f"checking {plan.path.name}")
                checked.append(preflight.check(str(plan.path), records_of(plan), progress=report))
        results = list(skipped)
        triaged = _new_triage() if triage else None
        for plan, check in zip(plans, checked, strict=True):
            results.append(_write_file(workspace, plan, check, records_of(plan), accounts=accounts,
                                       triaged=triaged, chunk_records=chunk_records,
                                       batch_size=workspace.settings.import_batch_size,
                                       progress=_reporter(progress, plan.path.name)))
        if triage:
            with transaction(workspace.sessions) as session:
                _after_import(session, triaged)
    return ImportOutcome(results, triaged)


def triage_pending(workspace, *, all_open: bool = False, progress: Progress | None = None,
                   chunk_records: int = CHUNK_RECORDS):
    """Triage everything that has no inbox item yet (after `import --no-triage`, or a rule change with
    `all_open`), in short transactions, then close what we answered and look for crises."""
    triaged = _new_triage()
    report = _reporter(progress, "triage")
    while True:
        with transaction(workspace.sessions) as session:
            step = triage(session, workspace=workspace.settings.workspace, limit=chunk_records)
        triaged.add(step)
        if report is not None:
            report(triaged.created)
        if step.created == 0:
            break
    with transaction(workspace.sessions) as session:
        if all_open:
            step = triage(session, workspace=workspace.settings.workspace, all_open=True, limit=0)
            triaged.retriaged += step.retriaged
        _after_import(session, triaged)
    return triaged


def _reporter(progress: Progress | None, what: str) -> Callable[[int], None] | None:
    if progress is None:
        return None
    return lambda n: progress(what, n)


def _write_file(workspace, plan: ImportPlan, check: CheckedFile, records, *, accounts: Accounts,
                triaged, chunk_records: int, batch_size: int,
                progress: Callable[[int], None] | None) -> FileResult:
    """The second pass over one file: its good records, chunk by chunk, each chunk one transaction."""
    with transaction(workspace.sessions) as session:
        run = _import_run(session, plan, accounts.default)
        writer = ImportWriter(session, import_id=run.id, accounts=accounts, reject=_refuse, file=str(plan.path),
                              batch_size=min(batch_size, chunk_records), dm_followers=check.dm_followers)
    result = FileResult(plan.path, plan.format, {}, rejected=list(check.rejected), import_id=run.id)
    good = ((where, record) for where, record in records
            if where not in check.bad_places and not isinstance(record, BadRecord))
    written = 0
    while True:
        chunk = list(islice(good, chunk_records))
        if not chunk:
            break
        with transaction(workspace.sessions) as session:
            # the chunk's first write (how far the file got): from here SQLite's write lock is ours
            session.get(ImportRun, run.id).summary = orjson.dumps({"written": written}).decode()
            session.flush()
            marks = _watermarks(session) if triaged is not None else None
            writer.bind(session)
            for where, record in chunk:
                writer.add(where, record)
            writer.finish()
            if triaged is not None:
                _triage_chunk(session, workspace, triaged, marks)
        written += len(chunk)
        if progress is not None:
            progress(written)
        if workspace.engine.dialect.name == "sqlite":
            time.sleep(YIELD_SECONDS)
    counts = writer.counts
    for kind, bad in check.rejected_kinds.items():
        counts[kind]["rejected"] += bad
    result.counts = dict(counts)
    with transaction(workspace.sessions) as session:
        finished = session.get(ImportRun, run.id)
        finished.finished_at = utcnow()
        finished.summary = orjson.dumps({k: dict(v) for k, v in result.counts.items()}).decode()
    return result


def _refuse(where: str, error: BadRecord, kind: str = "record") -> None:
    """The first pass found every bad record; one found only while writing is fandesk's fault, not the
    file's: stop (the chunks written so far are complete, and running the import again finishes it)."""
    raise error


def _import_run(session, plan: ImportPlan, account) -> ImportRun:
    """The file's run: an unfinished one for the same file is taken up again (an import stopped half
    way and run again finishes that run), otherwise a new one."""
    run = session.scalars(select(ImportRun).where(ImportRun.path == str(plan.path),
                                                  ImportRun.finished_at.is_(None))
                          .order_by(ImportRun.id.desc())).first()
    if run is None:
        run = ImportRun(account_id=account.id if account else None, path=str(plan.path), format=plan.format,
                        started_at=utcnow())
        session.add(run)
        session.flush()
    return run


def _watermarks(session) -> dict[str, int]:
    """The newest comment, mention and DM message before a chunk: its triage looks only past them."""
    return {channel: session.scalar(select(func.coalesce(func.max(table.id), 0)))
            for channel, table in (("comment", Comment), ("mention", Mention), ("dm", DmMessage))}


def _new_triage():
    return TriageResult()


def _triage_chunk(session, workspace, triaged, marks: dict[str, int]) -> None:
    result = triage(session, workspace=workspace.settings.workspace, after=marks)
    triaged.add(result)


def _after_import(session, triaged) -> None:
    """Once everything is written: our replies close what they answered, what arrived before an account's
    desk start is history, crises are looked for."""
    now = utcnow()
    triaged.closed += close_answered(session)
    triaged.history += settle_history(session, now=now)
    triaged.crises += detect_crises(session, now=now)
