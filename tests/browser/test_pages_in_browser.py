"""The board in a real Chromium: pages load without an error, filters go into the URL and a
copied URL reproduces the view; 1920×1080 screenshots of each page for the README."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import pytest

from tests.browser.conftest import wait_ready

def activity_count(tab) -> int:
    """The overview's five status counts add up to the activities shown (待审核 beside them is counted
    apart: such an activity is also under its status)."""
    tab.wait_for_function(
        """() => document.querySelectorAll('[data-testid="stMetricValue"]').length === 6""", timeout=60_000)
    statuses = tab.locator('[class*="st-key-status-"]:not(.st-key-status-review) [data-testid="stMetricValue"]')
    assert statuses.count() == 5
    return sum(int(v) for v in statuses.all_inner_texts())


PAGES = ["overview", "gantt", "timeline", "workload"]

@pytest.fixture(scope="session")
def shots(tmp_path_factory) -> Path:
    """Where screenshots go: docs/screens with `make screens` (DUBAN_SCREENSHOTS), else a temp folder."""
    target = os.environ.get("DUBAN_SCREENSHOTS")
    return Path(target) if target else tmp_path_factory.mktemp("screens")


@pytest.mark.parametrize("mode", ["normal", "present"])
@pytest.mark.parametrize("name", PAGES)
def test_page_loads_and_is_captured(page, demo_server, shots, name, mode):
    path = "" if name == "overview" else name  # the default page lives at the root
    url = f"{demo_server.base}/{path}" + ("?present=1" if mode == "present" else "")
    page.goto(url)
    wait_ready(page)
    assert page.locator('[data-testid="stException"]').count() == 0, page.content()[:2000]
    body = page.inner_text("body")
    assert "Traceback" not in body
    assert "Page not found" not in body
    icon = page.evaluate("document.querySelector(\"link[rel='shortcut icon']\").href")
    assert icon.startswith("data:image/svg+xml,") and "📋" in unquote(icon)   # the tab's icon, drawn locally
    if mode == "present":
        assert not page.locator('[data-testid="stSidebar"]').is_visible()
        assert "2022年" in body
    else:
        assert page.locator('[data-testid="stSidebar"]').is_visible()
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"{name}{'-present' if mode == 'present' else ''}.png"), full_page=False)


def test_filter_goes_into_the_url_and_the_url_reproduces_it(page, demo_server, browser):
    page.goto(demo_server.base)
    wait_ready(page)
    assert activity_count(page) == 10
    box = page.locator('[data-testid="stSidebar"] [data-testid="stTextInput"] input')
    box.fill("春风行动")
    box.press("Enter")
    page.wait_for_function("() => location.search.includes('q=')", timeout=30_000)
    wait_ready(page)
    params = parse_qs(urlparse(page.url).query)
    assert params["q"] == ["春风行动"]
    assert activity_count(page) == 1  # only 开展“春风行动” matches

    other = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    other.goto(page.url)
    wait_ready(other)
    assert other.locator('[data-testid="stSidebar"] [data-testid="stTextInput"] input').input_value() == "春风行动"
    assert activity_count(other) == 1
    other.context.close()


def test_projector_rotates_through_the_leadership_pages_keeping_the_filters(page, demo_server):
    page.goto(f"{demo_server.base}/?present=1&rotate=10&q=%E6%B4%BB%E5%8A%A8")
    wait_ready(page)
    # The overview's second screen (全部活动) comes before the next page.
    page.wait_for_function("() => location.search.includes('screen=2')", timeout=40_000)
    wait_ready(page)
    assert "全部活动" in page.inner_text('[data-testid="stMain"]')
    page.wait_for_function("() => location.pathname.endsWith('/gantt')", timeout=40_000)
    params = parse_qs(urlparse(page.url).query)
    assert params.get("present") == ["1"] and params.get("rotate") == ["10"] and "screen" not in params
    wait_ready(page)
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    # The keyword filter still applies on the next page (Streamlit keeps bound widget values across
    # a page switch, though switch_page cannot carry them in the URL).
    keyword = page.locator('[data-testid="stSidebar"] [data-testid="stTextInput"] input')
    assert keyword.input_value() == "活动"
