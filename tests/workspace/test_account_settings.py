"""An account's settings (workspace.service.update_account) and its out-of-office notice
(workspace.out_of_office): checked before anything changes; the window is in the account's time."""

from __future__ import annotations

from datetime import datetime

import pytest

from fandesk.db import transaction
from fandesk.errors import InvalidField
from fandesk.workspace.hours import hours_lines
from fandesk.workspace.models import Account
from fandesk.workspace.out_of_office import notice_of, notice_text, notices_in_effect, set_notice
from fandesk.workspace.service import add_account, update_account


@pytest.fixture
def account_id(workspace):
    with transaction(workspace.sessions) as session:
        return add_account(session, handle="chengji_lab", name="澄肌实验室").id


def test_business_hours_round_trip_in_the_cli_format(workspace, account_id):
    with transaction(workspace.sessions) as session:
        update_account(session, account_id=account_id, account_ids=[account_id], member_id=None, name="澄肌",
                       time_zone="Asia/Hong_Kong", hours="mon-fri 09:00-18:00；sat 10:00-16:00\nsun 10:00-12:00")
        assert hours_lines(session, account_id=account_id) == ["mon-fri 09:00-18:00", "sat 10:00-16:00",
                                                               "sun 10:00-12:00"]


def test_one_wrong_line_changes_nothing(workspace, account_id):
    with transaction(workspace.sessions) as session:
        update_account(session, account_id=account_id, account_ids=[account_id], member_id=None, name="澄肌",
                       time_zone="Asia/Shanghai", hours="mon-fri 09:00-18:00")
    with transaction(workspace.sessions) as session:
        with pytest.raises(InvalidField) as refused:
            update_account(session, account_id=account_id, account_ids=[account_id], member_id=None, name="新名字",
                           time_zone="Asia/Tokyo", hours="sat 10:00-16:00\nweekdays 9-6")
        assert refused.value.code == "bad_hours" and refused.value.params["line"] == "weekdays 9-6"
        account = session.get(Account, account_id)
        assert (account.name, account.time_zone) == ("澄肌", "Asia/Shanghai")
        assert hours_lines(session, account_id=account_id) == ["mon-fri 09:00-18:00"]


def test_the_notice_window_is_the_accounts_local_time(workspace, account_id):
    with transaction(workspace.sessions) as session:
        notice = set_notice(session, account_id=account_id, account_ids=[account_id], member_id=None, enabled=True,
                            starts="2027-02-10T09:00", ends="2027-02-17 18:00", text_zh="春节放假～",
                            text_en="Off for Spring Festival.")
        assert notice.starts_at == datetime(2027, 2, 10, 1, 0)  # 09:00 in Shanghai
        assert not notice.in_effect(datetime(2027, 2, 10, 0, 59))
        assert notice.in_effect(datetime(2027, 2, 10, 1, 0))
        assert not notice.in_effect(datetime(2027, 2, 17, 10, 0))
        during = datetime(2027, 2, 12)
        assert notice_text(session, account_id=account_id, language="en", now=during) == "Off for Spring Festival."
        assert notice_text(session, account_id=account_id, language="zh", now=during) == "春节放假～"
        assert notice_text(session, account_id=account_id, language="zh", now=datetime(2027, 3, 1)) == ""
        assert [n.account_name for n in notices_in_effect(session, account_ids=[account_id], now=during)] == ["澄肌实验室"]
        assert notices_in_effect(session, account_ids=[], now=during) == []


def test_a_notice_in_one_language_serves_both(workspace, account_id):
    with transaction(workspace.sessions) as session:
        set_notice(session, account_id=account_id, account_ids=[account_id], member_id=None, enabled=True,
                   text_zh="宝子们，小编休假中，回复会慢一点哦🙏")
        assert notice_text(session, account_id=account_id, language="en") == "宝子们，小编休假中，回复会慢一点哦🙏"


def test_a_wrong_notice_changes_nothing(workspace, account_id):
    with transaction(workspace.sessions) as session:
        set_notice(session, account_id=account_id, account_ids=[account_id], member_id=None, enabled=False,
                   text_zh="旧的通知")
        with pytest.raises(InvalidField) as refused:
            set_notice(session, account_id=account_id, account_ids=[account_id], member_id=None, enabled=True,
                       starts="2027-02-17T09:00", ends="2027-02-10T09:00", text_zh="新的通知")
        assert refused.value.code == "window_backwards"
        notice = notice_of(session, account_id=account_id, account_ids=[account_id])
        assert (notice.enabled, notice.text_zh) == (False, "旧的通知")
