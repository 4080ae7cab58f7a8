"""The office's administrator imports a county's task table in a real Chromium: uploads the Word
file on 导入, corrects an end date and a lead unit in the review table (st.data_editor), imports,
and finds the corrected window and unit in the 甘特图's tooltip."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from argon2 import PasswordHasher

from dashboard.access.accounts import add_user
from store.log import EventStore
from tests.browser.conftest import Server, log_in, vega_tooltip, wait_ready

PASSWORD = "songlin-office-2026"
TITLE = "松林县2026年为民办实事项目任务分解表"
# As the county office types it: a merged title row, then 序号 / 项目名称 / 责任单位 / 时间节点,
# two deadlines on separate lines where a project starts and ends in the year.
ROWS = [
    ("序号", "项目名称", "责任单位", "时间节点"),
    ("1", "新建改造农村公路30公里，实施危桥改造4座。", "县交通运输局", "10月底前完成"),
    ("2", "改造城镇老旧小区8个，惠及居民2400户。", "县住建局、各乡镇人民政府", "6月底前开工\n10月底前完工"),
    ("3", "新建标准化村卫生室6个，配齐基本诊疗设备。", "县卫健局", "9月底前完成"),
    ("4", "开展城乡低保家庭入户核查，按月足额发放低保金。", "县民政局", "每月10日前"),
]
ROW_HEIGHT = 35  # st.data_editor's header and row height in px at the default theme


def county_table(path: Path) -> Path:
    document = docx.Document()
    document.add_paragraph("附件")
    table = document.add_table(rows=1 + len(ROWS), cols=4)
    table.rows[0].cells[0].merge(table.rows[0].cells[3]).text = TITLE
    for row, values in zip(table.rows[1:], ROWS):
        for cell, text in zip(row.cells, values):
            first, *more = text.split("\n")
            cell.text = first
            for line in more:
                cell.add_paragraph(line)
    document.save(str(path))
    return path


@pytest.fixture
def admin_server(tmp_path, chromium):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    store = EventStore(url)
    store.init()
    store.close()
    accounts = tmp_path / "accounts.json"
    add_user("office", PASSWORD, "admin", [], "县政府督查室", path=accounts,
             hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    server = Server(url, env={"DUBAN_ACCOUNTS": str(accounts)})
    yield server
    server.stop()


def cell_text(grid, column: int, row: int) -> str:
    """A cell as the grid's accessible table says it (what a screen reader reads)."""
    return grid.locator(f'[data-testid="glide-cell-{column}-{row}"]').inner_text()


def open_cell(tab, grid, column: int, row: int, editor: str) -> None:
    """Select a row's first cell with the mouse, walk to ``column`` with the arrow keys, press Enter;
    again (up to three times) until the cell's ``editor`` opens: on a busy machine the first click
    can land before the grid listens."""
    for _ in range(3):
        box = grid.locator("canvas").first.bounding_box()
        tab.mouse.click(box["x"] + 12, box["y"] + ROW_HEIGHT * (row + 1) + ROW_HEIGHT // 2)
        for _ in range(column):
            tab.keyboard.press("ArrowRight")
        tab.keyboard.press("Enter")
        try:
            tab.locator(editor).first.wait_for(timeout=5_000)
            return
        except Exception:  # noqa: BLE001 - not open yet: close whatever opened and try again
            tab.keyboard.press("Escape")
    raise AssertionError(f"the editor of cell {column},{row} did not open")


def gantt_tooltip(tab, wanted: str) -> str:
    """Hover each bar of the Gantt until its tooltip names ``wanted``; the tooltip's text.

    Vega draws the chart as SVG (``g.mark-rect path`` are the bars). The mouse leaves the bars and
    glides onto one in a few steps, as a hand would, and tries again when the tooltip stays empty
    (the first hover of a page can come before Vega listens)."""
    chart = tab.locator('[data-testid="stVegaLiteChart"]').first
    bars = chart.locator("g.mark-rect path")
    bars.first.wait_for(timeout=30_000)
    for bar in bars.all():
        box = bar.bounding_box()
        if not box or box["width"] < 4:
            continue
        text = vega_tooltip(tab, box)
        if wanted in text:
            return text
    return ""


def test_admin_corrects_the_review_table_and_sees_it_on_the_gantt(page, admin_server, tmp_path):
    document = county_table(tmp_path / "松林县民生实事任务分解表.docx")
    page.goto(f"{admin_server.base}/import")
    page.get_by_role("heading", name="导入方案").wait_for(timeout=60_000)
    log_in(page, "office", PASSWORD, "县政府督查室")

    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(document))
    page.get_by_text("识别出活动 4 项").wait_for(timeout=60_000)
    wait_ready(page)
    grid = page.locator('[data-testid="stDataFrame"]').filter(has_text="改造城镇老旧小区8个").first
    # columns: 序号 0, 活动 1, 完成时限 2, 开始 3, 截止 4, 牵头部门 5; activity 2 is row 1
    assert (cell_text(grid, 4, 1), cell_text(grid, 5, 1)) == ("2026-10-31", "县住建局、各乡镇人民政府")
    assert "「县住建局」未登记" in cell_text(grid, 8, 1)

    open_cell(page, grid, 4, 1, '[data-testid="date-picker-cell"]')
    page.locator('[data-testid="date-picker-cell"]').fill("2026-11-20")
    page.keyboard.press("Enter")
    wait_ready(page)
    open_cell(page, grid, 5, 1, "#portal textarea")
    page.locator("#portal textarea").first.fill("县住房和城乡建设局、各乡镇人民政府")
    page.keyboard.press("Enter")
    wait_ready(page)
    assert (cell_text(grid, 4, 1), cell_text(grid, 5, 1)) == ("2026-11-20", "县住房和城乡建设局、各乡镇人民政府")
    page.screenshot(path=str(tmp_path / "review.png"))

    page.get_by_role("button", name="导入", exact=True).click()
    page.get_by_text("已导入新方案").wait_for(timeout=60_000)
    wait_ready(page)

    page.locator('[data-testid="stSidebarNavLink"]', has_text="甘特图").first.click()
    page.get_by_role("heading", name="甘特图").wait_for(timeout=30_000)
    wait_ready(page)
    tip = gantt_tooltip(page, "改造城镇老旧小区8个")
    assert "2026年11月20日" in tip and "县住房和城乡建设局" in tip, tip
    assert "10月31日" not in tip and "县住建局" not in tip
    other = gantt_tooltip(page, "新建标准化村卫生室6个")  # an activity nobody touched keeps its reading
    assert "2026年9月30日" in other and "县卫健局" in other, other
