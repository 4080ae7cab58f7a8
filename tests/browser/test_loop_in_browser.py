"""One whole 督办 loop in real Chromium at 1920×1080, two people in two browsers: the office reminds
the units that have not reported on 催办; the editor of 省总权益保障部 (a lead of activity 5, silent
on it in September) sees the reminder on 部门自查, reports, and asks for completion; the office confirms on
审核; the overview then counts the activity 已完成."""

from __future__ import annotations

import re
import shutil

import pytest
from argon2 import PasswordHasher

from dashboard.access.accounts import add_user
from store.log import EventStore
from tests.browser.conftest import Server, log_in, wait_ready

AS_OF = "2022-09-28"
UNIT = "省总权益保障部"
PASSWORDS = {"office": "office-2022", "quanyi": "quanyi-2022"}


@pytest.fixture
def loop_server(store_files, tmp_path, chromium):
    target = tmp_path / "demo.db"
    shutil.copy(store_files["demo"], target)
    accounts = tmp_path / "accounts.json"
    fast = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    add_user("office", PASSWORDS["office"], "admin", [], "督查室", path=accounts, hasher=fast)
    add_user("quanyi", PASSWORDS["quanyi"], "editor", [UNIT], "权益保障部填报员", path=accounts, hasher=fast)
    server = Server(f"sqlite:///{target}", env={"DUBAN_ACCOUNTS": str(accounts)})
    yield server, f"sqlite:///{target}"
    server.stop()


def login(tab, base: str, path: str, name: str, display: str) -> None:
    tab.goto(f"{base}/{path}")
    wait_ready(tab)
    log_in(tab, name, PASSWORDS[name], display)


def go(tab, link: str, heading: str) -> None:
    """Move by the sidebar (a reload would start a new session, logged out)."""
    tab.locator('[data-testid="stSidebarNavLink"]', has_text=link).first.click()
    tab.get_by_role("heading", name=heading).first.wait_for(timeout=30_000)
    wait_ready(tab)


def outcome(tab) -> str:
    """What the page answered a form's 提交: 已保存… or 未保存：… (a failure then names the refusal)."""
    answer = tab.get_by_text(re.compile("^(已保存|未保存)")).first
    answer.wait_for(timeout=30_000)
    return answer.inner_text()


def types_after(url: str, position: int) -> list[tuple[str, str]]:
    store = EventStore(url)
    try:
        return [(e.type, e.unit) for e in store.read(after=position)]
    finally:
        store.close()


def test_remind_report_request_confirm_done(browser, loop_server):
    server, url = loop_server
    base = server.base
    store = EventStore(url)
    start = store.head()[0]
    store.close()
    office = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN").new_page()
    unit = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="zh-CN").new_page()
    try:
        # 1. The office reminds the units with missing reports in September.
        login(office, base, f"cuiban?as_of={AS_OF}", "office", "督查室")
        office.get_by_role("button", name="发送催办").click()
        office.get_by_text(f"{UNIT}：已催办（第5项）").wait_for(timeout=60_000)
        office.screenshot(path="/tmp/review13-loop-cuiban.png")

        # 2. The unit's editor sees the reminder on 部门自查 and reports progress.
        login(unit, base, f"selfcheck?as_of={AS_OF}", "quanyi", "权益保障部填报员")
        unit.get_by_role("heading", name="收到的催办（报送后不再显示）（1）").wait_for(timeout=30_000)
        unit.screenshot(path="/tmp/review13-loop-reminded.png")
        picker = unit.locator(".st-key-entry_activity").get_by_role("combobox")
        picker.scroll_into_view_if_needed()
        picker.click()
        unit.get_by_role("option", name=re.compile(r"^5\. ")).click()
        wait_ready(unit)
        form = unit.locator('[data-testid="stForm"]').filter(has=unit.get_by_label("进度（%）"))
        form.get_by_label("进度（%）").fill("95")
        form.get_by_role("button", name="提交").click()
        assert outcome(unit).startswith("已保存")
        wait_ready(unit)
        assert unit.get_by_role("heading", name="收到的催办（报送后不再显示）（1）").count() == 0

        # 3. As the lead, it asks for completion with its evidence.
        unit.get_by_role("tab", name="完成").click()
        wait_ready(unit)   # the click reruns the script (on_change="rerun"): fill the form after that run
        form = unit.locator('[data-testid="stForm"]').filter(has=unit.get_by_label("办结佐证（必填：总结材料、照片、参与人数等）"))
        form.get_by_label("办结佐证（必填：总结材料、照片、参与人数等）").fill("培训班总结及学员名册已上传")
        form.get_by_text("确认这项活动已全部完成").click()
        form.get_by_role("button", name="提交").click()
        assert outcome(unit).startswith("已保存")
        wait_ready(unit)
        unit.get_by_role("tab", name="完成").click()
        wait_ready(unit)   # the click reruns the script (on_change="rerun"): fill the form after that run
        unit.get_by_text("已提交办结申请，等待办公室审核。").wait_for(timeout=30_000)

        # 4. The office confirms it on 审核.
        go(office, "审核", "审核：办结与延期申请")
        request = office.locator('[class*="st-key-request-"]').filter(has_text=UNIT)
        assert "培训班总结及学员名册已上传" in request.inner_text()
        office.screenshot(path="/tmp/review13-loop-review.png")
        request.get_by_role("button", name="确认办结").click()
        office.get_by_text("第5项已确认办结。").wait_for(timeout=30_000)

        # 5. The overview counts it done.
        go(office, "总览", "总览")
        assert office.locator(".st-key-status-done").inner_text().split() == ["已完成", "3"]   # the demo's two, and 5
        assert office.locator(".st-key-status-review").inner_text().split() == ["待审核", "0"]
        office.screenshot(path="/tmp/review13-loop-overview.png", full_page=True)
    finally:
        office.context.close()
        unit.context.close()
    kinds = types_after(url, start)
    assert ("ReminderIssued", "") in kinds and ("ProgressReported", UNIT) in kinds
    assert kinds.index(("CompletionRequested", UNIT)) < kinds.index(("ActivityCompleted", ""))
