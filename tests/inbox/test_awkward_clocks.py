"""Deadlines, business hours, the importer's clock check and triage at awkward clocks: a month's last
hour, 23:59 in Shanghai, a Sunday, New Year's Eve. Times are stored in UTC and read in the account's
zone, so a local day boundary is never a UTC one."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from fandesk.db import transaction
from fandesk.inbox.deadlines import deadline_state, reply_by
from fandesk.inbox.models import InboxItem
from fandesk.inbox.queue import open_items
from fandesk.inbox.service import triage
from tests.ingest.helpers import add_fixture_accounts

SHANGHAI = ZoneInfo("Asia/Shanghai")
WEEKDAYS_9_TO_6 = {d: (time(9), time(18)) for d in range(5)}


def utc(local: datetime) -> datetime:
    """A Shanghai wall-clock time as the database stores it: UTC, naive."""
    return local.replace(tzinfo=SHANGHAI).astimezone(UTC).replace(tzinfo=None)


def local(stored: datetime) -> datetime:
    return stored.replace(tzinfo=UTC).astimezone(SHANGHAI).replace(tzinfo=None)


@pytest.mark.parametrize(("received", "tier", "hours", "due"), [
    # New Year's Eve 23:59 (a Thursday): urgent 2 h runs into the new year, always open
    (datetime(2026, 12, 31, 23, 59), "urgent", None, datetime(2027, 1, 1, 1, 59)),
    # ... with weekday hours: 01:59 on Friday 1 January is before opening, so Friday 09:00
    (datetime(2026, 12, 31, 23, 59), "urgent", WEEKDAYS_9_TO_6, datetime(2027, 1, 1, 9, 0)),
    # a month's last hour: 30 November 23:30 + 4 h (important comment) = 1 December 03:30
    (datetime(2026, 11, 30, 23, 30), "important", None, datetime(2026, 12, 1, 3, 30)),
    # a Sunday evening comment with weekday hours waits for Monday's opening
    (datetime(2026, 11, 29, 21, 0), "urgent", WEEKDAYS_9_TO_6, datetime(2026, 11, 30, 9, 0)),
    # Saturday 23:59 + 24 h DM: Sunday 23:59, closed, so Monday 09:00
    (datetime(2026, 11, 28, 23, 59), "routine", WEEKDAYS_9_TO_6, datetime(2026, 11, 30, 9, 0)),
    # 23:59 on a Friday at the end of February in a leap year, always open
    (datetime(2028, 2, 28, 23, 59), "urgent", None, datetime(2028, 2, 29, 1, 59)),
])
def test_reply_by_across_local_midnight_month_year_and_weekend(received, tier, hours, due):
    channel = "dm" if tier == "routine" else "comment"
    got = reply_by(utc(received), tier, channel, time_zone="Asia/Shanghai", opening_hours=hours)
    assert local(got) == due


def test_states_change_at_the_right_moment_across_new_year():
    received, due = utc(datetime(2026, 12, 31, 23, 59)), utc(datetime(2027, 1, 1, 1, 59))
    assert deadline_state(received, due, utc(datetime(2027, 1, 1, 0, 30))) == "on_time"
    assert deadline_state(received, due, utc(datetime(2027, 1, 1, 1, 30))) == "nearing"
    assert deadline_state(received, due, utc(datetime(2027, 1, 1, 1, 59))) == "nearing"
    assert deadline_state(received, due, utc(datetime(2027, 1, 1, 2, 0))) == "breached"


def _crawl(path, created: list[datetime], crawl: datetime) -> None:
    """A MediaCrawler classic JSONL comments file: one complaint per time, crawled at `crawl`."""
    crawl_ms = int(crawl.replace(tzinfo=SHANGHAI).timestamp() * 1000)
    lines = []
    for n, moment in enumerate(created):
        lines.append(json.dumps({
            "comment_id": f"c{n:023d}", "create_time": int(moment.replace(tzinfo=SHANGHAI).timestamp() * 1000),
            "ip_location": "上海", "note_id": "6750000000000000000000aa", "content": f"用了烂脸了，过敏到医院 {n}",
            "user_id": f"u{n:023d}", "nickname": f"小红薯{n:08X}", "avatar": "", "sub_comment_count": "0",
            "pictures": "", "parent_comment_id": 0, "last_modify_ts": crawl_ms + n, "like_count": "0"},
            ensure_ascii=False))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("crawl", [
    datetime(2026, 12, 31, 23, 59),  # New Year's Eve, the last minute
    datetime(2026, 11, 30, 23, 59),  # a month's last minute
    datetime(2026, 11, 29, 23, 59),  # a Sunday's last minute
], ids=lambda c: c.strftime("%Y-%m-%dT%H:%M"))
def test_import_and_triage_at_the_last_minute_of_a_day(workspace, cli, tmp_path, crawl):
    """Comments from the last hour before a local midnight are imported (the crawl's clock is not in
    the future) and triaged with deadlines in the next local day; the queue states follow the clock."""
    add_fixture_accounts(workspace)
    path = tmp_path / "creator_comments.jsonl"
    created = [crawl - timedelta(minutes=m) for m in (50, 10, 0)]
    _crawl(path, created, crawl)
    from fandesk.pipeline import import_and_triage

    crawl_ms = int(crawl.replace(tzinfo=SHANGHAI).timestamp() * 1000)
    import_and_triage(workspace, [path], account="chengji_lab", triage=False, clock_ms=crawl_ms + 60_000)
    with transaction(workspace.sessions) as session:
        result = triage(session, workspace=workspace.settings.workspace, now=utc(crawl + timedelta(minutes=1)))
    assert result.created == 3
    with transaction(workspace.sessions) as session:
        due = sorted(local(d) for d in session.scalars(select(InboxItem.reply_by)))
    assert due == [m + timedelta(hours=2) for m in created]  # urgent: allergy and hospital
    assert all(d.date() == (crawl + timedelta(days=1)).date() for d in due)
    with transaction(workspace.sessions) as session:
        one_hour_later = open_items(session, account="chengji_lab", now=utc(crawl + timedelta(minutes=61)))
        states = sorted(i["state"] for i in one_hour_later)
    assert states == ["nearing", "on_time", "on_time"]


def test_the_importer_refuses_a_time_a_day_past_its_clock_even_across_new_year(workspace, tmp_path):
    from fandesk.errors import BadRecord
    from fandesk.pipeline import import_and_triage

    add_fixture_accounts(workspace)
    crawl = datetime(2026, 12, 31, 23, 59)
    path = tmp_path / "creator_comments.jsonl"
    _crawl(path, [crawl + timedelta(days=1, hours=1)], crawl)
    with pytest.raises(BadRecord, match="in the future"):
        import_and_triage(workspace, [path], account="chengji_lab", triage=False,
                   clock_ms=int(crawl.replace(tzinfo=SHANGHAI).timestamp() * 1000))
