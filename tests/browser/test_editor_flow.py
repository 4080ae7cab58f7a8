"""An editor of 海东市总工会 in a real browser: logs in, records participation, sees it on the
overview and in the log, retracts it, and sees it gone from the overview."""

from __future__ import annotations

from tests.browser.conftest import log_in_editor, wait_ready


def participation_changes(tab) -> str:
    """The overview's "新增参与记录（N）" heading, or "" when there is none."""
    found = tab.get_by_text("新增参与记录")
    return found.first.inner_text() if found.count() else ""


def go(tab, title: str) -> None:
    tab.locator('[data-testid="stSidebarNavLink"]', has_text=title).first.click()
    tab.get_by_role("heading", name=title).first.wait_for(timeout=30_000)
    wait_ready(tab)


def test_editor_records_sees_and_retracts_participation(page, editor_server):
    base = editor_server.base
    page.goto(f"{base}/?as_of=2022-12-31")
    wait_ready(page)
    assert participation_changes(page) == ""

    page.goto(f"{base}/selfcheck?as_of=2022-12-31")
    wait_ready(page)
    log_in_editor(page)

    page.get_by_role("tab", name="参与情况").click()
    wait_ready(page)   # the click reruns the script (on_change="rerun"): fill the form after that run
    form = page.locator('[data-testid="stForm"]').filter(has=page.get_by_label("参与人数"))
    form.get_by_label("参与人数").fill("777")
    form.get_by_label("说明").fill("浏览器测试记录")
    form.get_by_role("button", name="提交").click()
    page.get_by_text("已保存").wait_for(timeout=30_000)

    # Move by the sidebar's links: a reload would start a new session, logged out.
    go(page, "总览")
    assert "新增参与记录（1）" in participation_changes(page)

    go(page, "事件日志")
    form = page.locator('[data-testid="stForm"]').filter(has_text="要撤回的记录")
    picker = form.get_by_role("combobox")
    picker.focus()
    page.keyboard.press("ArrowDown")  # opens the searchable list
    picker.press_sequentially("浏览器测试记录")
    page.get_by_role("option").filter(has_text="浏览器测试记录").first.click()
    assert "浏览器测试记录" in picker.input_value()
    form.get_by_label("撤回原因（必填）").fill("人数填错，撤回")
    form.get_by_role("button", name="撤回").click()
    page.get_by_text("已撤回位置").first.wait_for(timeout=30_000)

    go(page, "总览")
    assert participation_changes(page) == ""
