"""Charts are built and converted once per distinct input and shared (dashboard/render/chart_cache.py).

What a reader sees must not change: a rerun draws the very charts a fresh build draws, with the
same data, the spec drawn from the cache is what ``st.altair_chart`` sends for the chart, and a
changed input (another as-of date) draws its own chart, never the one cached for the old input.
"""

from __future__ import annotations

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.board import data
from dashboard.render import chart_cache
from tests.dashboard.apptest import open_app


def _drawn(at: object) -> list[tuple[str, list[tuple[str, bytes]], bytes]]:
    """Each chart as the browser gets it: its spec, its named datasets, its inline data."""
    return [(c.proto.spec, [(d.name, d.data.data) for d in c.proto.datasets], c.proto.data.data)
            for c in at.get("vega_lite_chart")]


def _specs(at: object) -> list[str]:
    return [spec for spec, _, _ in _drawn(at)]


@pytest.mark.parametrize("page", ["content/overview.py", "content/gantt.py"])
def test_a_rerun_draws_the_same_charts_without_rebuilding_them(monkeypatch, store_files, page):
    at = open_app(monkeypatch, f"sqlite:///{store_files['demo']}", page)
    first = _drawn(at)
    assert first, "the page draws a chart"
    assert all(datasets for _, datasets, _ in first), "the chart's data reaches the browser"
    builds, converted = chart_cache.stats["builds"], chart_cache.stats["spec_builds"]
    at.run()
    assert _drawn(at) == first
    assert chart_cache.stats["builds"] == builds, "the rerun rebuilt a chart whose inputs did not change"
    assert chart_cache.stats["spec_builds"] == converted, "the rerun converted a cached chart again"
    chart_cache.clear()
    data._board(f"sqlite:///{store_files['demo']}")._memo.clear()   # what the pages keep per log position too
    at.run()
    assert chart_cache.stats["builds"] == builds + len(first), "the chart was not built again from its inputs"
    assert _drawn(at) == first, "the cached chart differs from the one its inputs build"


def test_another_as_of_date_draws_its_own_gantt(monkeypatch, store_files):
    at = open_app(monkeypatch, f"sqlite:///{store_files['demo']}", "content/gantt.py")
    before = _drawn(at)
    at.date_input(key="as_of").set_value(dt.date(2022, 6, 1)).run()
    assert not at.exception, [e.message for e in at.exception]
    moved = _drawn(at)
    assert moved != before
    chart_cache.clear()
    at.run()
    assert _drawn(at) == moved


def _altair_and_cached() -> None:
    import pandas as pd
    import streamlit as st

    from dashboard.render import chart_cache, charts

    targets = pd.DataFrame([
        {"plan_id": "p", "seq": 1, "stream": "s1", "key": "t1", "label": "奖章", "unit": "个",
         "planned": 20, "achieved": 12},
        {"plan_id": "p", "seq": 2, "stream": "s2", "key": "t2", "label": "奖状", "unit": "个",
         "planned": 10, "achieved": 0},
    ])
    chart = chart_cache.build(charts.targets_bars, targets)
    st.altair_chart(chart, width="stretch")
    st.vega_lite_chart(chart_cache.vega_lite(chart), width="stretch")   # converted
    st.vega_lite_chart(chart_cache.vega_lite(chart), width="stretch")   # from the cache


def test_the_cached_spec_is_what_altair_chart_sends():
    chart_cache.clear()
    at = AppTest.from_function(_altair_and_cached).run()
    assert not at.exception, [e.message for e in at.exception]
    altair, converted, cached = (c.proto for c in at.get("vega_lite_chart"))
    assert altair.datasets and altair.spec
    assert converted == altair
    assert cached == altair
    assert chart_cache.stats["spec_hits"] >= 1


def test_a_spec_handed_out_cannot_change_the_cached_one():
    import pandas as pd

    from dashboard.render import charts

    chart = chart_cache.build(charts.targets_bars, pd.DataFrame([
        {"plan_id": "p", "seq": 1, "stream": "s1", "key": "t1", "label": "奖章", "unit": "个",
         "planned": 20, "achieved": 12}]))
    spec = chart_cache.vega_lite(chart)
    spec["layer"].clear()
    spec["datasets"].clear()
    again = chart_cache.vega_lite(chart)
    assert again["layer"] and again["datasets"]
