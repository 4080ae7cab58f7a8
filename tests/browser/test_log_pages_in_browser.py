"""The office walks back through a long 事件日志 a page at a time, in Chromium at 1920×1080.

The table holds 500 rows; the page number under the count takes the reader to older rows, and a
number past the last page, typed by mistake, leaves the reader on a page of the log, not on an
error (tests/dashboard/test_log_page.py checks the rows of each page and a narrower filter).
"""

from __future__ import annotations

import datetime as dt
import re

import pytest

from store.log import EventStore, NewEvent
from tests.browser.conftest import demo_with_events, wait_ready

STREAM = "activity/2022-27/4"


@pytest.fixture
def long_log_server(store_files, tmp_path, chromium):
    server = demo_with_events(store_files["demo"], tmp_path / "long.db", [
        NewEvent("ProgressReported", STREAM, {"percent": i % 101, "note": f"第{i}次"},
                 occurred_on=dt.date(2022, 6, 1), actor="bulk", unit="海东市总工会") for i in range(1_600)])
    store = EventStore(f"sqlite:///{tmp_path / 'long.db'}")
    total = store.head()[0]
    store.close()
    yield server, total
    server.stop()


def _page_line(tab) -> str:
    return tab.get_by_text(re.compile(r"^第 \d+ / \d+ 页")).inner_text()


def test_the_office_pages_back_through_a_long_log(long_log_server, page, tmp_path):
    server, total = long_log_server
    pages = -(-total // 500)
    page.goto(f"{server.base}/log")
    wait_ready(page)
    assert _page_line(page).startswith(f"第 1 / {pages} 页：第 1–500 条")
    page.screenshot(path=str(tmp_path / "log-page-1.png"))

    field = page.get_by_label("页码")
    field.fill("2")
    field.press("Enter")
    page.get_by_text(re.compile(r"^第 2 / ")).wait_for(timeout=30_000)
    wait_ready(page)
    assert _page_line(page).startswith(f"第 2 / {pages} 页：第 501–1000 条")

    field.fill(str(pages + 5))   # past the last page, by mistake
    field.press("Enter")
    page.wait_for_timeout(1_000)
    wait_ready(page)
    assert not page.locator('[data-testid="stException"]').count(), "a page past the end raised"
    assert re.match(rf"^第 \d+ / {pages} 页", _page_line(page))
    page.screenshot(path=str(tmp_path / "log-page-past-end.png"))
