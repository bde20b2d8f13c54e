"""The dashboard in a real browser, under the app's own Content-Security-Policy: the charts draw (ECharts,
vendored, no inline script), and clicking a number opens the list behind it, as long as the number."""

from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

from tests.browser.conftest import sign_in


def _month(workspace, world) -> str:
    from fandesk.db import transaction
    from fandesk.inbox.models import InboxItem

    with transaction(workspace.sessions) as session:
        received = session.get(InboxItem, world.items["question"]).received_at
    return received.replace(tzinfo=UTC).astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m")


def test_dashboard_charts_draw_and_a_number_clicks_through(chromium, site, world, workspace, tmp_path):
    context = chromium.new_context(viewport={"width": 1440, "height": 900})  # the CSP applies
    page = context.new_page()
    problems = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    sign_in(page, site, "viewer")
    page.click("#nav-reports")
    page.wait_for_url(f"{site}/dashboard")
    page.goto(f"{site}/dashboard?account=brand_a&period={_month(workspace, world)}")
    page.locator("#chart-response canvas").wait_for()
    page.locator("#chart-causes canvas").wait_for()
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
    number = page.locator('.kpi[data-key="engagement.comments"] a.drill')
    shown = int(number.inner_text())
    assert shown == 3
    page.screenshot(path=str(tmp_path / "dashboard.png"))
    number.click()
    page.wait_for_url(f"{site}/dashboard/list*")
    assert page.locator(".drill-row").count() == shown
    assert page.locator("table.drill-list").get_attribute("data-total") == str(shown)
    page.locator(".drill-row a").first.click()  # and on to the item itself
    page.wait_for_url(f"{site}/items/*")
    context.close()


def test_dashboard_on_a_phone_has_no_sideways_scrolling(chromium, site, world, workspace):
    context = chromium.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    sign_in(page, site, "manager")
    page.goto(f"{site}/dashboard?period={_month(workspace, world)}")
    page.locator("#chart-sentiment canvas").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
