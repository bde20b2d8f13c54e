"""The dashboard in the web app: every role reads it for its own accounts only, every number links to a
list as long as the number, the monthly report downloads (HTML without a network, Excel that openpyxl
reads, JSON naming every metric, PDF), and only managers change the ROI assumptions."""

from __future__ import annotations

import io
import re
from datetime import UTC
from zoneinfo import ZoneInfo

import orjson
import pytest

from fandesk.db import transaction
from fandesk.inbox.models import InboxItem
from fandesk.metrics.service import dashboard, scope_for

LINK = re.compile(r'href="(/dashboard/list\?[^"]+)" class="drill">([^<]+)</a>')


@pytest.fixture
def month(workspace, world) -> str:
    """The month (in Shanghai) the factories' items arrived in: at any clock, even just after midnight."""
    with transaction(workspace.sessions) as session:
        received = session.get(InboxItem, world.items["question"]).received_at
    return received.replace(tzinfo=UTC).astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m")


@pytest.mark.parametrize("role", ["manager", "moderator", "creator", "viewer"])
def test_every_role_reads_the_dashboard_of_its_accounts(browser, world, role, month):
    page = browser(role).get(f"/dashboard?period={month}")
    assert page.status_code == 200, page.text
    assert 'id="nav-reports"' in page.text
    assert "社区报表" in page.text and "回复率" in page.text
    assert "account B secret" not in page.text
    # the factories' three comments on brand_a this month: the headline count says so
    assert re.search(r'data-key="engagement.comments">.*?class="drill">3</a>', page.text, re.S)


def test_another_accounts_dashboard_and_lists_are_not_found(browser, world):
    stranger = browser("stranger")
    assert stranger.get("/dashboard?account=brand_a").status_code == 404
    assert stranger.get("/dashboard/list?key=items:to_answer&account=brand_a").status_code == 404
    assert stranger.get("/dashboard/report.json?account=brand_a").status_code == 404
    own = stranger.get("/dashboard/list?key=items:to_answer").text
    assert "account B secret" in own and "敏感肌" not in own


def test_every_number_links_to_a_list_as_long_as_the_number(browser, world, workspace, month):
    manager = browser("manager")
    page = manager.get(f"/dashboard?account=brand_a&period={month}")
    links = LINK.findall(page.text)
    assert len(links) > 10
    checked = 0
    for url, shown in links:
        if not shown.strip().isdigit():
            continue  # a share or a time links to the items behind it; its count is the "of" beside it
        listed = manager.get(url.replace("&amp;", "&"))
        assert listed.status_code == 200, url
        total = int(re.search(r'data-total="(\d+)"', listed.text).group(1))
        assert total == int(shown), url
        assert listed.text.count('class="drill-row"') == total
        checked += 1
    assert checked >= 8


def test_unknown_list_keys_are_not_found(browser, world):
    assert browser("viewer").get("/dashboard/list?key=items:nonsense").status_code == 404


def test_the_monthly_report_downloads(browser, world, month):
    manager = browser("manager")
    html = manager.get(f"/dashboard/report.html?account=brand_a&period={month}")
    assert html.status_code == 200
    assert "attachment" in html.headers["content-disposition"]
    assert not re.search(r"(src|href)=\"https?://", html.text) and "http://" not in html.text
    assert "<svg" in html.text and "社区报表" in html.text
    data = orjson.loads(manager.get(f"/dashboard/report.json?account=brand_a&period={month}").content)
    assert data["period"]["label"] == month
    assert data["metrics"]["engagement.comments"]["value"] == 3
    assert data["metrics"]["engagement.reply_rate"]["name"] == "回复率"
    for section, keys in data["sections"].items():
        assert all(key in data["metrics"] for key in keys), section
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(manager.get(f"/dashboard/report.xlsx?account=brand_a&period={month}").content))
    assert {"概览", "互动", "对话深度", "增长", "社区", "负面反馈原因", "团队", "投资回报率 ROI", "健康度"} <= set(book.sheetnames)
    values = [row[1] for row in book["互动"].iter_rows(min_row=2, values_only=True)]
    assert "engagement.reply_rate" in values


def test_the_pdf_report_when_weasyprint_is_installed(browser, world, month):
    pytest.importorskip("weasyprint")
    pdf = browser("viewer").get(f"/dashboard/report.pdf?account=brand_a&period={month}")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_only_managers_change_roi_assumptions(browser, world, workspace):
    moderator = browser("moderator")
    moderator.get("/dashboard?account=brand_a")
    refused = moderator.post("/dashboard/assumptions", {"account": "brand_a", "key": "hourly_rate", "value": "80"})
    assert refused.status_code == 403
    manager = browser("manager")
    page = manager.get("/dashboard?account=brand_a")
    assert 'action="/dashboard/assumptions"' in page.text
    done = manager.post("/dashboard/assumptions", {"account": "brand_a", "key": "hourly_rate", "value": "80"})
    assert done.status_code == 303
    bad = manager.post("/dashboard/assumptions", {"account": "brand_a", "key": "hourly_rate", "value": "lots"})
    assert bad.status_code == 400
    with transaction(workspace.sessions) as session:
        d = dashboard(session, scope_for(session, account_ids=[world.accounts["brand_a"]]))
    assert d.roi["assumptions"][world.accounts["brand_a"]]["hourly_rate"] == 80


def test_the_page_says_no_data_yet_with_the_next_step(browser, world):
    page = browser("manager").get("/dashboard?account=brand_a").text
    assert "暂无数据 — 下一步：导入问卷结果" in page
    assert "暂无数据 — 下一步：设置粉丝层级和拥护者计划" in page


def test_the_dashboard_in_english(browser, world):
    manager = browser("manager")
    manager.post("/language", {"lang": "en", "next": "/dashboard"})
    page = manager.get("/dashboard?account=brand_a&kind=week").text
    assert "Reply rate" in page and "Community report" in page
