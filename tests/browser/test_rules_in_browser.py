"""Who reports what, in a real Chromium at 1920×1080 on a copy of the demo store.

(a) An editor of 海东市总工会, a partner of activity 3, presses 完成 on it: the page refuses in
    Chinese, and the overview still shows activity 3 overdue at its lead's 75 %.
(b) The over 2022 plan opens at its last standing fact (2022-09-28). An admin's report dated
    2022-12-31 moves the board's default date there; retracting it moves the default back.
"""

from __future__ import annotations

import contextlib
import re
from urllib.parse import quote

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from dashboard.access.accounts import add_user
from tests.browser.conftest import FAST, Server, demo_with_editor, log_in, log_in_editor, wait_ready

PASSWORD = "rules10-2022"   # the admin's
ACTIVITY_3 = "3. 开展领导送奖到基层和看望慰问一线职工活动"
DEMO_COUNTS = {"已完成": 2, "正常": 6, "预警": 1, "逾期": 1, "未开始": 0, "待审核": 0}


@pytest.fixture
def rules_server(store_files, tmp_path, chromium):
    url, accounts = demo_with_editor(store_files, tmp_path)
    add_user("office", PASSWORD, "admin", [], "省总办公室管理员", path=accounts, hasher=FAST)
    server = Server(url, env={"DUBAN_ACCOUNTS": str(accounts)})
    yield server
    server.stop()


def go(tab, title: str) -> None:
    """Move by the sidebar's links: a reload would start a new session, logged out."""
    tab.locator('[data-testid="stSidebarNavLink"]', has_text=title).first.click()
    tab.get_by_role("heading", name=title).first.wait_for(timeout=30_000)
    wait_ready(tab)


def choose(tab, label: str, option: str) -> None:
    """Pick ``option`` in the main area's selectbox labelled ``label`` (not the first selectbox there).

    Streamlit 1.67's selectbox is a react-aria combobox named by its label; its "Open" button shows
    the list. A click that lands while a rerun redraws the box can be lost, so open until the list shows."""
    box = tab.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').filter(
        has=tab.get_by_role("combobox", name=label, exact=True))
    wanted = tab.get_by_role("option").filter(has_text=option).first
    for _ in range(5):
        box.get_by_role("button", name="Open").click()
        with contextlib.suppress(PlaywrightTimeout):   # the list did not open (lost to a rerun): press again
            wanted.wait_for(state="visible", timeout=5_000)
        if wanted.is_visible():
            break
    wanted.click()
    tab.wait_for_function("([name, want]) => [...document.querySelectorAll('input[role=combobox]')]"
                          ".some(i => i.getAttribute('aria-label') === name && i.value === want)",
                          arg=[label, option], timeout=30_000)
    wait_ready(tab)


def counts(tab) -> dict[str, int]:
    """The overview's status counts, by their Chinese names (the five statuses, and 待审核 apart)."""
    tab.wait_for_function(
        """() => document.querySelectorAll('[data-testid="stMetricValue"]').length === 6""", timeout=60_000)
    found = {}
    for text in tab.locator('[data-testid="stMetric"]').all_inner_texts():
        name, value = re.match(r"\s*(\S+)\s+(\d+)", text).groups()
        found[name] = int(value)
    return found


def board_date(tab) -> str:
    """The as-of date the sidebar shows."""
    return tab.locator('[data-testid="stSidebar"] [data-testid="stDateInput"] input').first.input_value()


def fresh_overview(browser, url: str) -> tuple[str, dict[str, int]]:
    """What a newcomer sees: another browser, the overview's link without a date."""
    other = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN").new_page()
    try:
        other.goto(url)
        wait_ready(other)
        return board_date(other), counts(other)
    finally:
        other.context.close()


def activity_row(browser, base: str, title_word: str) -> str:
    """The projector's 全部活动 screen (an HTML table) filtered to one activity: its row's text."""
    other = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN").new_page()
    try:
        other.goto(f"{base}/?present=1&screen=2&q={quote(title_word)}")
        wait_ready(other)
        rows = other.locator('[data-testid="stTable"] tbody tr')
        assert rows.count() == 1
        return rows.first.inner_text()
    finally:
        other.context.close()


def test_a_partner_cannot_complete_an_activity(page, rules_server, browser):
    base = rules_server.base
    page.goto(f"{base}/selfcheck")
    wait_ready(page)
    log_in_editor(page)
    choose(page, "活动", ACTIVITY_3)

    page.get_by_role("tab", name="完成", exact=True).click()
    wait_ready(page)   # the click reruns the script (on_change="rerun"): fill the form after that run
    form = page.locator('[data-testid="stForm"]').filter(has_text="确认这项活动已全部完成")
    form.get_by_text("确认这项活动已全部完成").click()
    form.get_by_role("button", name="提交").click()
    refusal = page.get_by_text("不是该活动的牵头单位，只有牵头单位或管理员可以确认活动完成")
    refusal.wait_for(timeout=30_000)
    assert "未保存" in refusal.inner_text() and "海东市总工会" in refusal.inner_text()
    assert page.get_by_text("已保存").count() == 0

    go(page, "总览")
    assert counts(page) == DEMO_COUNTS
    row = activity_row(browser, base, "送奖到基层")
    assert "逾期" in row and "已完成" not in row
    assert re.search(r"\b75\b", row), row   # the lead's (省总经济技术部) last report


def test_default_date_follows_the_last_standing_fact(page, rules_server, browser):
    base = rules_server.base
    assert fresh_overview(browser, base) == ("2022-09-28", DEMO_COUNTS)

    page.goto(f"{base}/selfcheck")
    wait_ready(page)
    log_in(page, "office", PASSWORD, "省总办公室管理员")
    page.get_by_role("tab", name="进展", exact=True).click()
    wait_ready(page)   # the click reruns the script (on_change="rerun"): fill the form after that run
    form = page.locator('[data-testid="stForm"]').filter(has=page.get_by_label("进度（%）"))
    day = form.locator('[data-testid="stDateInput"] input')
    assert day.input_value() == "2022-09-28"   # the date the board shows, not the plan's end
    day.fill("2022-12-31")
    day.press("Enter")
    form.get_by_label("说明").fill("年终补报")
    form.get_by_role("button", name="提交").click()
    page.get_by_text("已保存").wait_for(timeout=30_000)
    wait_ready(page)

    moved = fresh_overview(browser, base)
    assert moved[0] == "2022-12-31"
    assert moved[1] == fresh_overview(browser, f"{base}/?as_of=2022-12-31")[1] != DEMO_COUNTS

    go(page, "事件日志")
    retract = page.locator('[data-testid="stForm"]').filter(has_text="要撤回的记录")
    picker = retract.get_by_role("combobox")
    picker.focus()
    page.keyboard.press("ArrowDown")
    picker.press_sequentially("年终补报")
    page.get_by_role("option").filter(has_text="年终补报").first.click()
    retract.get_by_label("撤回原因（必填）").fill("日期填错，撤回")
    retract.get_by_role("button", name="撤回").click()
    page.get_by_text("已撤回位置").first.wait_for(timeout=30_000)

    assert fresh_overview(browser, base) == ("2022-09-28", DEMO_COUNTS)
