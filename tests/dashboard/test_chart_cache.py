"""Charts are built once per distinct input and shared (dashboard/render/chart_cache.py).

What a reader sees must not change: a rerun draws the very charts a fresh build draws, and a
changed input (another as-of date) draws its own chart, never the one cached for the old input.
"""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.render import chart_cache
from tests.dashboard.apptest import open_app


def _specs(at: object) -> list[str]:
    return [chart.proto.spec for chart in at.get("vega_lite_chart")]


@pytest.mark.parametrize("page", ["content/overview.py", "content/gantt.py"])
def test_a_rerun_draws_the_same_charts_without_rebuilding_them(monkeypatch, store_files, page):
    at = open_app(monkeypatch, f"sqlite:///{store_files['demo']}", page)
    first = _specs(at)
    assert first, "the page draws a chart"
    builds, hits = chart_cache.stats["builds"], chart_cache.stats["hits"]
    at.run()
    assert _specs(at) == first
    assert chart_cache.stats["builds"] == builds, "the rerun rebuilt a chart whose inputs did not change"
    assert chart_cache.stats["hits"] == hits + len(first)
    chart_cache.clear()
    at.run()
    assert _specs(at) == first, "the cached chart differs from the one its inputs build"


def test_another_as_of_date_draws_its_own_gantt(monkeypatch, store_files):
    at = open_app(monkeypatch, f"sqlite:///{store_files['demo']}", "content/gantt.py")
    before = _specs(at)
    at.date_input(key="as_of").set_value(dt.date(2022, 6, 1)).run()
    assert not at.exception, [e.message for e in at.exception]
    moved = _specs(at)
    assert moved != before
    chart_cache.clear()
    at.run()
    assert _specs(at) == moved
