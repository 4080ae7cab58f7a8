"""The projector in a real Chromium at 1920×1080: every rotation screen fits without scrolling,
its type is readable from 5 m (>= 20 px), status cells carry the status colours, an active filter
is on screen, and nothing offers a download."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from dashboard.board.present import SCREENS, page_screens
from tests.browser.conftest import wait_ready

# Text smaller than 20 px inside the page (charts are SVG in the page; canvas-drawn grids are not
# used on the projector). Returns the offending texts.
SMALL_TEXT = """() => {
    const main = document.querySelector('[data-testid="stMain"]');
    const small = [];
    const walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode, el = node.parentElement;
        if (!node.textContent.trim() || !el || !el.getClientRects().length) continue;
        const style = getComputedStyle(el);
        if (style.visibility === 'hidden' || el.closest('[style*="display: none"]')) continue;
        const size = parseFloat(el.getAttribute('font-size') || style.fontSize);
        if (size < 20) small.push(node.textContent.trim().slice(0, 30) + ' ' + size);
    }
    return small;
}"""
# The lowest bottom edge of anything drawn in the page, against the window's height.
LOWEST = """() => Math.max(...[...document.querySelectorAll('[data-testid="stMain"] *')]
    .filter(e => e.getClientRects().length).map(e => e.getBoundingClientRect().bottom + window.scrollY))"""
WIDEST = """() => Math.max(...[...document.querySelectorAll('[data-testid="stMain"] *')]
    .filter(e => e.getClientRects().length).map(e => e.getBoundingClientRect().right))"""


def _url(base: str, page: str, number: int, extra: str = "") -> str:
    path = "" if page == "overview" else page
    return f"{base}/{path}?present=1" + (f"&screen={number}" if number > 1 else "") + extra


@pytest.mark.parametrize("screen", SCREENS, ids=lambda s: f"{s.page}-{'+'.join(s.sections)}")
def test_each_rotation_screen_fits_1080_with_readable_type_and_no_downloads(page, demo_server, screen):
    number = page_screens(screen.page).index(screen) + 1
    page.goto(_url(demo_server.base, screen.page, number))
    wait_ready(page)
    page.wait_for_timeout(2000)  # charts lay out after their first paint
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.evaluate(LOWEST) <= 1080, f"{screen} runs below the screen"
    assert page.evaluate(WIDEST) <= 1920, f"{screen} runs off the right edge"
    assert page.evaluate(SMALL_TEXT) == []
    assert page.locator('[data-testid="stDownloadButton"]').count() == 0
    assert "2022年9月28日" in page.inner_text('[data-testid="stMain"]')


def test_a_filtered_projector_says_so_and_colours_statuses(page, demo_server):
    page.goto(demo_server.base + "/?present=1&unit=" + quote("海东市总工会") + "&status=" + quote("正常"))
    wait_ready(page)
    line = page.locator(".st-key-present-filters").inner_text()
    assert "海东市总工会" in line and "正常" in line
    page.goto(_url(demo_server.base, "overview", 2))
    wait_ready(page)
    overdue = page.locator('[data-testid="stTable"] td', has_text="逾期").first
    assert overdue.evaluate("e => getComputedStyle(e).backgroundColor") == "rgb(192, 57, 43)"  # STATUS_COLORS overdue
    # The lead unit of an overdue activity is on screen.
    assert "省总经济技术部" in page.locator('[data-testid="stTable"]').inner_text()
