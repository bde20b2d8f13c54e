"""The demo at any clock: no time in a generated file is later than the capture that wrote it.

The README's first command builds the demo at the current hour; a note edited "after" the crawl made
the importer refuse it on 2026-12-01. These tests build the demo's files at many clocks (every day of
a year at every hour in turn, the last hour of every month, awkward moments) and read every time back
as an outside tool would."""

from __future__ import annotations

import csv
import json
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from fandesk.demo.generate import generate_demo_files

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Epoch fields of MediaCrawler records and API payloads (milliseconds, except the mention's `time`).
EPOCH_FIELDS = {"time", "last_update_time", "create_time", "last_modify_ts", "created_at", "last_msg_ts",
                "next_query_ts"}
LOCAL_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")


def _epoch_ms(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    if not isinstance(value, int) or value <= 0:
        return None
    return value * 1000 if value < 10**11 else value  # mention notifications count seconds


def _local_ms(value) -> int | None:
    """A sheet's local time (Shanghai); a date alone counts from the start of its day."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str):
        for fmt in LOCAL_FORMATS:
            try:
                moment = datetime.strptime(value.strip(), fmt)
                break
            except ValueError:
                continue
        else:
            return None
    else:
        return None
    return int(moment.replace(tzinfo=SHANGHAI).timestamp() * 1000)


def _walk(value, key: str | None = None):
    """(field, ms) for every time in a parsed JSON document."""
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v, key)
    elif key in EPOCH_FIELDS:
        ms = _epoch_ms(value)
        if ms is not None:
            yield key, ms


def times_in(path: Path):
    """(field, ms) for every time in one generated file, read with plain json/csv/openpyxl."""
    suffix = path.suffix
    if suffix == ".jsonl":
        for line in path.read_text(encoding="utf-8").splitlines():
            yield from _walk(json.loads(line))
    elif suffix == ".json":
        yield from _walk(json.loads(path.read_bytes()))
    elif suffix == ".csv":
        raw = path.read_bytes()
        text = raw.decode("utf-8-sig") if raw.startswith(b"\xef\xbb\xbf") else raw.decode("gb18030")
        for row in csv.DictReader(text.splitlines()):
            for key, value in row.items():
                ms = _epoch_ms(value) if key in EPOCH_FIELDS else _local_ms(value)
                if ms is not None:
                    yield key, ms
    elif suffix == ".xlsx":
        from openpyxl import load_workbook

        book = load_workbook(path, read_only=True)
        for sheet in book.worksheets:
            rows = sheet.iter_rows(values_only=True)
            header = next(rows)
            for row in rows:
                for key, value in zip(header, row, strict=False):
                    ms = _local_ms(value)
                    if ms is not None:
                        yield key, ms
        book.close()


def late_times(manifest) -> list[str]:
    """Every time that is later than the capture that wrote its file, or than the demo's `now`."""
    now_ms = int(manifest.now.timestamp() * 1000)
    found = []
    for job in manifest.jobs:
        captured_ms = int(job.captured_at.timestamp() * 1000)
        assert captured_ms <= now_ms, f"{job.description}: captured after the demo's now"
        for path in job.paths:
            for field, ms in times_in(path):
                if ms > captured_ms:
                    found.append(f"{path.name}: {field} {ms} is {(ms - captured_ms) / 60000:.1f} min after "
                                 f"its capture at {job.captured_at}")
    return found


def _clocks_of_a_year(year: int):
    """Every third day of the year (every weekday and month comes round), each at another hour (so every
    hour of the day comes round too); a generation takes a quarter second, so every day would cost CI
    a minute and a half for little more."""
    start = datetime(year, 1, 1)
    for day in range(0, 365, 3):
        yield start + timedelta(days=day, hours=(day // 3) % 24)


def _last_hours_of_months(year: int):
    for month in range(1, 13):
        first_of_next = datetime(year + month // 12, month % 12 + 1, 1)
        yield first_of_next - timedelta(hours=1)


def test_no_time_is_later_than_its_capture_on_any_day_of_a_year(tmp_path):
    late = []
    for now in [*_clocks_of_a_year(2027), *_last_hours_of_months(2026)]:
        manifest = generate_demo_files(tmp_path, seed=11, now=now, scale=0.05)
        late += [f"--now {now:%Y-%m-%dT%H:%M}: {problem}" for problem in late_times(manifest)[:3]]
    assert late == []


@pytest.mark.parametrize("now", [
    datetime(2026, 12, 31, 23, 59),  # New Year's Eve, a minute before midnight in Shanghai
    datetime(2026, 11, 30, 23, 0),  # a month's last hour
    datetime(2026, 11, 29, 0, 0),  # a Sunday's first minute
    datetime(2028, 2, 29, 12, 0),  # a leap day
], ids=lambda now: now.strftime("%Y-%m-%dT%H:%M"))
def test_the_full_demo_at_awkward_clocks_has_no_time_after_its_capture(tmp_path, now):
    manifest = generate_demo_files(tmp_path, seed=7, now=now)
    assert late_times(manifest) == []
    assert manifest.counts.comments > 20_000


def test_the_full_demo_at_the_real_current_time(tmp_path):
    """What the README's first command does: no --now, the current hour."""
    now = datetime.now(SHANGHAI).replace(minute=0, second=0, microsecond=0, tzinfo=None)
    manifest = generate_demo_files(tmp_path, seed=7, now=now)
    assert late_times(manifest) == []
    real_now_ms = int(datetime.now(SHANGHAI).timestamp() * 1000)
    assert all(int(job.captured_at.timestamp() * 1000) <= real_now_ms for job in manifest.jobs)
