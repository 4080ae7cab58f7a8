"""Tables' display frames are built once per distinct frame and shared (dashboard/render/table_cache.py).

What a reader sees must not change: a rerun draws the very tables a fresh build draws (same cells,
same status colours), on the desk and on the projector, and a changed input (another as-of date, a
new event) draws its own tables, never the ones cached for the old input.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from dashboard.render import components, table_cache
from store.log import EventStore, NewEvent
from tests.dashboard.apptest import open_app

STREAM = "activity/2022-27/4"


def _tables(at: object) -> list[object]:
    """Every table as the browser gets it: its Arrow cells, its styles, its column settings. A
    Styler's uuid is random (pandas draws one per Styler, cached or not): it is blanked out."""
    protos = [type(t.proto)() for t in [*at.dataframe, *at.table]]
    for proto, element in zip(protos, [*at.dataframe, *at.table]):
        proto.CopyFrom(element.proto)
        styler = proto.arrow_data.styler
        if styler.uuid:
            styler.styles = styler.styles.replace(styler.uuid, "UUID")
            styler.uuid = "UUID"
    return protos


@pytest.mark.parametrize(("page", "params"), [("content/overview.py", None), ("content/timeline.py", None),
                                              ("content/overview.py", {"present": "1"})])
def test_a_rerun_draws_the_same_tables_without_rebuilding_them(monkeypatch, store_files, page, params):
    at = open_app(monkeypatch, f"sqlite:///{store_files['demo']}", page, params=params)
    first = _tables(at)
    assert first, "the page shows a table"
    builds, hits = table_cache.stats["builds"], table_cache.stats["hits"]
    at.run()
    assert _tables(at) == first
    assert table_cache.stats["builds"] == builds, "the rerun rebuilt a table whose frame did not change"
    assert table_cache.stats["hits"] >= hits + len(first)
    table_cache.clear()
    at.run()
    assert _tables(at) == first, "the cached table differs from the one its frame builds"


def test_another_as_of_date_draws_its_own_tables(monkeypatch, store_files):
    at = open_app(monkeypatch, f"sqlite:///{store_files['demo']}", "content/overview.py")
    before = _tables(at)
    at.date_input(key="as_of").set_value(dt.date(2022, 6, 1)).run()
    assert not at.exception, [e.message for e in at.exception]
    moved = _tables(at)
    assert moved != before
    table_cache.clear()
    at.run()
    assert _tables(at) == moved


def test_a_new_event_draws_its_own_tables(monkeypatch, demo_copy):
    at = open_app(monkeypatch, demo_copy, "content/overview.py")
    before = _tables(at)
    store = EventStore(demo_copy)
    try:
        last = max(e.occurred_on for e in store.read())
        store.append(NewEvent("ProgressReported", STREAM, {"percent": 97, "note": "新的一条"},
                              occurred_on=last, actor="boss", unit=""))
    finally:
        store.close()
    builds = table_cache.stats["builds"]
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    after = _tables(at)
    assert after != before, "the new report is not in the tables"
    assert table_cache.stats["builds"] > builds
    table_cache.clear()
    at.run()
    assert _tables(at) == after


def test_a_frame_handed_out_cannot_change_the_cached_one():
    frame = pd.DataFrame({"seq": [1, 2], "status": ["done", "overdue"], "title": ["甲", "乙"]})
    shown, columns = table_cache.build(components.shown_frame, frame, False)
    shown.iloc[0, 2] = "改了"
    shown["extra"] = 1
    columns.append("x")
    again, again_columns = table_cache.build(components.shown_frame, frame, False)
    assert again.equals(components.shown_frame(frame, False)[0])
    assert again_columns == components.shown_frame(frame, False)[1]


def test_status_cells_keep_their_colours_and_every_cell_its_text(monkeypatch, store_files):
    """Only coloured cells carry an id now (``components.coloured``): the browser still gets each
    status cell's colour, and every cell's display text is what a Styler with an id on every cell
    gives, so no cell lost or changed its text."""
    from pandas.io.formats.style import Styler
    from streamlit.elements.lib.pandas_styler_utils import marshall_styler
    from streamlit.proto.ArrowData_pb2 import ArrowData

    at = open_app(monkeypatch, f"sqlite:///{store_files['demo']}", "content/overview.py")
    styled = [t.proto.arrow_data.styler for t in at.dataframe if t.proto.arrow_data.styler.styles]
    assert styled, "the overview shows a table with status colours"
    overdue = components.STATUS_COLORS["overdue"]
    assert any(f"background-color: {overdue}" in s.styles for s in styled), "the overdue cell is not red"

    display = pd.DataFrame({"序号": ["3", "2"], "活动": ["送奖到基层", "先进典型宣传"], "状态": ["逾期", "正常"]})
    mine, every = ArrowData(), ArrowData()
    marshall_styler(mine, components.coloured(display, ["状态"]).set_uuid("u"), "u")
    marshall_styler(every, Styler(display, uuid="u").map(components.status_style, subset=["状态"]), "u")
    assert mine.styler.display_values == every.styler.display_values
    assert mine.styler.styles == every.styler.styles


def test_a_table_without_colours_sends_the_bytes_st_dataframe_of_its_frame_sends():
    """Such a table is drawn from its Arrow table, converted once: the browser must get the very
    cells the display frame gives (numbers with gaps, dates, lists, text), and a kept frame drawn
    again is found as it is, whatever its columns."""
    from streamlit.dataframe_util import convert_arrow_table_to_arrow_bytes, convert_pandas_df_to_arrow_bytes

    frame = pd.DataFrame({"seq": [1, 2, 3], "participants": [120.0, None, 35.0], "unit": ["西宁市总工会", "", "海东"],
                          "date": pd.to_datetime(["2022-04-01", None, "2022-05-03"]),
                          "activities": [["1", "2"], [], ["3"]], "note": ["=1+1", "<b>粗</b>", "好"]})
    t = table_cache.shown(components.shown_frame, frame, ["seq", "participants", "unit", "date", "activities", "note"],
                          False)
    assert t.arrow is not None and t.status_columns == []
    assert convert_arrow_table_to_arrow_bytes(t.arrow) == convert_pandas_df_to_arrow_bytes(t.display)
    assert list(t.display.columns)[:2] == ["序号", "参与人数"] and list(t.display["参与人数"]) == ["120", "", "35"]
    assert table_cache.shown(components.shown_frame, frame, ["seq", "participants", "unit", "date", "activities",
                                                             "note"], False) is t
    assert table_cache.shown(components.shown_frame, frame, ["seq"], False).display.columns.tolist() == ["序号"]
    coloured = table_cache.shown(components.shown_frame, frame.assign(status="overdue"), None, False)
    assert coloured.arrow is None and coloured.status_columns == ["状态"]
    table_cache.clear()
