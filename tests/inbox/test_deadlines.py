"""Reply-by times: tier and channel, time zones, business hours across midnight and weekends."""

from __future__ import annotations

from datetime import datetime, time

import pytest

from fandesk.inbox.deadlines import deadline_state, reply_by
from fandesk.workspace.hours import parse_hours

WEEKDAYS_9_TO_6 = {d: (time(9), time(18)) for d in range(5)}


def test_the_earlier_of_tier_and_channel():
    received = datetime(2026, 11, 20, 2, 0)  # UTC
    assert reply_by(received, "urgent", "comment", time_zone="Asia/Shanghai") == datetime(2026, 11, 20, 4, 0)
    assert reply_by(received, "important", "comment", time_zone="Asia/Shanghai") == datetime(2026, 11, 20, 6, 0)
    assert reply_by(received, "important", "dm", time_zone="Asia/Shanghai") == datetime(2026, 11, 20, 14, 0)
    assert reply_by(received, "routine", "dm", time_zone="Asia/Shanghai") == datetime(2026, 11, 21, 2, 0)


def test_deadline_inside_business_hours_stays():
    # 10:00 Shanghai on a Friday = 02:00 UTC; urgent due 12:00 local, inside 09-18
    received = datetime(2026, 11, 20, 2, 0)
    assert reply_by(received, "urgent", "comment", time_zone="Asia/Shanghai",
                    opening_hours=WEEKDAYS_9_TO_6) == datetime(2026, 11, 20, 4, 0)


def test_deadline_after_closing_moves_across_midnight_to_next_opening():
    # Thursday 17:30 Shanghai (09:30 UTC) + 2 h = 19:30, after closing: Friday 09:00 local = 01:00 UTC
    received = datetime(2026, 11, 19, 9, 30)
    assert reply_by(received, "urgent", "comment", time_zone="Asia/Shanghai",
                    opening_hours=WEEKDAYS_9_TO_6) == datetime(2026, 11, 20, 1, 0)


def test_deadline_on_a_weekend_moves_to_monday():
    # Friday 23:00 Shanghai (15:00 UTC) + 4 h = Saturday 03:00 → Monday 09:00 local (01:00 UTC)
    received = datetime(2026, 11, 20, 15, 0)
    assert reply_by(received, "important", "comment", time_zone="Asia/Shanghai",
                    opening_hours=WEEKDAYS_9_TO_6) == datetime(2026, 11, 23, 1, 0)


def test_early_morning_deadline_moves_to_that_mornings_opening_in_another_zone():
    # New York: 03:00 local (08:00 UTC in November) + 2 h = 05:00 → 09:00 local = 14:00 UTC
    received = datetime(2026, 11, 18, 8, 0)
    assert reply_by(received, "urgent", "comment", time_zone="America/New_York",
                    opening_hours=WEEKDAYS_9_TO_6) == datetime(2026, 11, 18, 14, 0)


def test_states_on_time_nearing_breached():
    received, due = datetime(2026, 11, 20, 0, 0), datetime(2026, 11, 20, 4, 0)
    assert deadline_state(received, due, datetime(2026, 11, 20, 2, 0)) == "on_time"
    assert deadline_state(received, due, datetime(2026, 11, 20, 3, 1)) == "nearing"  # last 25%
    assert deadline_state(received, due, datetime(2026, 11, 20, 4, 1)) == "breached"


def test_opening_hours_are_checked():
    assert parse_hours("09:00-18:00") == (time(9), time(18))
    with pytest.raises(ValueError, match="after opening"):
        parse_hours("18:00-09:00")
    with pytest.raises(ValueError, match="09:00-18:00"):
        parse_hours("nine to six")
