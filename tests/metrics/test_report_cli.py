"""`fandesk report` in every format, a costs sheet's month kept as the account's month (not the UTC day
before), and the desk's activity log written when a reply is submitted."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from fandesk.db import transaction
from fandesk.workspace.models import Cost
from tests.metrics.world import NOW, World, local


@pytest.fixture
def world(workspace):
    with transaction(workspace.sessions) as session:
        w = World(session)
        w.account("glow")
        w.note("glow")
        w.person("fan")
        for day in range(1, 6):
            c = w.comment("glow", "n", "fan", local(2026, 3, day, 10), "求链接 @小鹿")
            w.item("glow", c.created_at, source=c, answered_after=timedelta(hours=day))
    return w


@pytest.mark.parametrize("fmt", ["html", "json", "xlsx"])
def test_report_command_writes_each_format(cli, world, tmp_path, fmt):
    out = tmp_path / f"report.{fmt}"
    result = cli("report", "--account", "glow", "--month", "2026-03", "--format", fmt, "--output", str(out))
    assert result.exit_code == 0, result.output
    data = out.read_bytes()
    if fmt == "json":
        report = json.loads(data)
        assert report["metrics"]["engagement.comments"]["value"] == 5
        assert report["metrics"]["engagement.response_median"]["value"] == 3 * 3600
        assert report["metrics"]["depth.mentions"]["value"] == 1.0
    elif fmt == "xlsx":
        from openpyxl import load_workbook

        book = load_workbook(io.BytesIO(data))
        assert "互动" in book.sheetnames
    else:
        text = data.decode()
        assert "社区报表" in text and "<svg" in text and "http" not in text


def test_report_command_in_english_to_standard_output(cli, world):
    result = cli("report", "--account", "glow", "--month", "2026-03", "--format", "json", "--output", "-",
                 "--language", "en")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["metrics"]["engagement.reply_rate"]["name"] == "Reply rate"


def test_report_command_refuses_a_week_and_an_unknown_account(cli, world):
    assert "give a month" in cli("report", "--account", "glow", "--month", "2026-W10").output
    assert cli("report", "--account", "nobody", "--month", "2026-03").exit_code == 2


def test_pdf_report_shows_chinese_when_weasyprint_is_installed(cli, world, tmp_path):
    pytest.importorskip("weasyprint")
    out = tmp_path / "report.pdf"
    assert cli("report", "--account", "glow", "--month", "2026-03", "--format", "pdf", "-o", str(out)).exit_code == 0
    assert out.read_bytes().startswith(b"%PDF")


def test_a_costs_sheet_month_is_the_accounts_month(workspace, cli, tmp_path):
    with transaction(workspace.sessions) as session:
        World(session).account("glow")
    sheet = tmp_path / "costs.csv"
    sheet.write_text("月份,类别,金额,工时,备注\n2026-07,团队工时,8500,150,两名运营\n2026-07,工具,500,,订阅\n",
                     encoding="utf-8")
    result = cli("import", str(sheet), "--account", "glow", "--format", "costs",
                 "--map", "month=月份,category=类别,amount=金额,hours=工时,note=备注")
    assert result.exit_code == 0, result.output
    with transaction(workspace.sessions) as session:
        days = set(session.scalars(select(Cost.incurred_on)))
    assert days == {date(2026, 7, 1)}  # midnight of 1 July in Shanghai is 30 June in UTC


def test_submitting_a_reply_logs_how_long_the_item_was_open(workspace):
    from fandesk.inbox import presence
    from fandesk.members.models import Member
    from fandesk.replies import service
    from fandesk.replies.models import WORK_CAP_SECONDS, ReplyWork
    from tests.web.factories import build_world

    world = build_world(workspace)
    with transaction(workspace.sessions) as session:
        member = session.get(Member, world.members["moderator"])
        item_id = world.items["question"]
        opened = NOW
        presence.touch(session, item_id=item_id, member_id=member.id, now=opened)
        presence.touch(session, item_id=item_id, member_id=member.id, now=opened + timedelta(seconds=50))
        assert presence.visit_start(session, item_id=item_id, member_id=member.id,
                                    now=opened + timedelta(seconds=60)) == opened
        # back after a long break: a new visit
        presence.touch(session, item_id=item_id, member_id=member.id, now=opened + timedelta(hours=2))
        assert presence.visit_start(session, item_id=item_id, member_id=member.id,
                                    now=opened + timedelta(hours=2, seconds=5)) == opened + timedelta(hours=2)
        reply = service.start_draft(session, item_id=item_id, account_ids=[world.accounts["brand_a"]],
                                    member_id=member.id)
        service.submit(session, reply_id=reply.id, account_ids=[world.accounts["brand_a"]], member=member,
                       text="@小鹿 敏感肌可以用，建议先在耳后试用两天，有问题随时私信我们～")
        work = session.scalars(select(ReplyWork)).all()
    assert len(work) == 1
    assert work[0].member_id == member.id and work[0].channel == "comment"
    assert 0 <= work[0].seconds <= WORK_CAP_SECONDS
