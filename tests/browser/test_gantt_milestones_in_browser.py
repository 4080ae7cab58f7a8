"""The Gantt's milestones in a real Chromium: three stage milestones of one activity due the same
day were three diamonds drawn exactly on each other, and the tooltip named only the top one. Now
the office, hovering the one diamond, reads all three names, and the days they were reached."""

from __future__ import annotations

import datetime as dt

import pytest

from store.log import NewEvent
from tests.browser.conftest import demo_with_events, vega_tooltip, wait_ready

STREAM = "activity/2022-27/4"


@pytest.fixture
def stacked_server(store_files, tmp_path, chromium):
    planned = [NewEvent("MilestonePlanned", STREAM, {"key": f"stage-{n}", "title": f"第{n}站巡回宣讲", "due": "2022-06-15"},
                        occurred_on=dt.date(2022, 5, 2), actor="office", unit="") for n in (1, 2, 3)]
    reached = [NewEvent("MilestoneReached", STREAM, {"key": f"stage-{n}", "note": "已完成"},
                        occurred_on=dt.date(2022, 6, day), actor="office", unit="") for n, day in ((1, 10), (2, 12), (3, 14))]
    server = demo_with_events(store_files["demo"], tmp_path / "demo.db", planned + reached)
    yield server
    server.stop()


def diamond_tooltips(tab, stop_at: str) -> list[str]:
    """Hover the diamonds of the Gantt (Vega's marks, not its legend's) and read their tooltips, up
    to the one that names ``stop_at`` (left under the mouse, for the screenshot)."""
    diamonds = tab.locator('[data-testid="stVegaLiteChart"]').first.locator("g.mark-symbol.role-mark path")
    diamonds.first.wait_for(timeout=30_000)
    texts = []
    for diamond in diamonds.all():
        box = diamond.bounding_box()
        if not box:
            continue
        texts.append(vega_tooltip(tab, box))
        if stop_at in texts[-1]:
            break
    return texts


def test_stacked_milestones_are_one_diamond_whose_tooltip_counts_them(page, stacked_server, tmp_path):
    page.goto(f"{stacked_server.base}/gantt?as_of=2022-06-20")
    page.get_by_role("heading", name="甘特图").wait_for(timeout=60_000)
    wait_ready(page)
    tips = diamond_tooltips(page, "第1站巡回宣讲")
    page.screenshot(path=str(tmp_path / "gantt-stacked.png"))
    stacked = [t for t in tips if "第1站巡回宣讲" in t]
    assert len(stacked) == 1, tips
    assert page.locator('[data-testid="stVegaLiteChart"]').first.locator("g.mark-symbol.role-mark path").count() == 4
    # the demo's three milestones of activity 8, and one diamond for the three stages of activity 4
    assert "第1站巡回宣讲、第2站巡回宣讲、第3站巡回宣讲" in stacked[0], stacked[0]
    assert "2022年6月15日" in stacked[0] and "2022年6月10日—2022年6月14日" in stacked[0], stacked[0]
