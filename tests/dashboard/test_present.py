"""Projector screens, the filter line, and the words and values the pages show (AppTest over real stores)."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd

from dashboard.board.filters import describe
from dashboard.board.present import SCREENS, next_screen, page_screens
from dashboard.board.views import Filters
from dashboard.render import charts
from dashboard.render.components import display_frame
from tests.dashboard.apptest import open_app


def test_rotation_visits_every_screen_once_then_starts_again():
    page, number = SCREENS[0].page, 1
    seen = []
    for _ in SCREENS:
        seen.append(page_screens(page)[number - 1])
        page, number = next_screen(page, number)
    assert seen == list(SCREENS)
    assert (page, number) == ("overview", 1)
    assert [s.page for s in SCREENS[:2]] == ["overview", "overview"]  # 全部活动 is a screen of its own


def test_every_narrowing_filter_is_described_and_the_defaults_are_not():
    assert describe(Filters(as_of=dt.date(2022, 9, 28))) == []
    lines = describe(Filters(units=("海东市总工会",), role="lead", statuses=("on_track",), months=(3, 6),
                             keyword="春风"))
    assert lines == ["单位：海东市总工会（牵头）", "状态：正常", "月份范围：3月–6月", "关键词：“春风”"]


def _vega_font_sizes(spec: object) -> list[float]:
    found = []
    if isinstance(spec, dict):
        for key, value in spec.items():
            if key.lower().endswith("fontsize") and isinstance(value, (int, float)):
                found.append(value)
            found += _vega_font_sizes(value)
    elif isinstance(spec, list):
        for value in spec:
            found += _vega_font_sizes(value)
    return found


def test_projector_charts_draw_no_type_under_20px_and_offer_no_download(monkeypatch, store_files):
    url = f"sqlite:///{store_files['demo']}"
    for page in ("content/gantt.py", "content/timeline.py", "content/workload.py"):
        for screen in ("1", "2", "3"):
            at = open_app(monkeypatch, url, page, params={"present": "1", "screen": screen})
            for chart in at.get("vega_lite_chart"):
                sizes = _vega_font_sizes(json.loads(chart.proto.spec))
                assert sizes and min(sizes) >= 20, (page, screen, min(sizes))
            assert not at.get("download_button")


def test_workload_with_a_unit_follows_it_and_says_when_it_leads_nothing(monkeypatch, store_files):
    at = open_app(monkeypatch, f"sqlite:///{store_files['demo']}", "content/workload.py",
                  params={"unit": "海东市总工会"})
    assert any("没有牵头的活动" in i.value for i in at.info)
    at.segmented_control(key="wl_role").set_value("partner").run()
    assert not any("没有" in i.value for i in at.info)


def test_gantt_marks_bars_that_begin_before_the_axis():
    activities = pd.DataFrame({
        "plan_id": ["p", "p"], "seq": [1, 2], "stream": ["a/1", "a/2"], "title": ["全年", "春风"],
        "status": ["on_track", "on_track"], "start": pd.to_datetime(["2022-01-01", "2022-03-01"]),
        "end": pd.to_datetime(["2022-12-31", "2022-10-31"]), "percent": [50, 50], "window_text": ["", ""],
        "lead_units": [["甲"], ["乙"]], "partner_units": [[], []], "last_report_on": [pd.NaT, pd.NaT]})
    rows = charts.gantt_rows(activities, dt.date(2022, 9, 28), (dt.date(2022, 3, 1), dt.date(2022, 12, 31)))
    assert list(rows["early_label"]) == ["◀ 1月起", ""]


def test_timeline_tooltip_shows_a_chinese_date_and_yes_no():
    log = pd.DataFrame({"occurred_on": pd.to_datetime(["2022-05-04"]), "type": ["ProgressReported"],
                        "position": [3], "stream": ["a/1"], "seq": [1], "actor": ["x"], "unit": ["甲"],
                        "note": [""], "retracted": [False]})
    data, _ = charts.timeline_data(log)
    assert list(data["date_label"]) == ["2022年5月4日"] and list(data["retracted_label"]) == ["否"]
    spec = json.dumps(charts.timeline(log).to_dict(), ensure_ascii=False)
    assert '"date_label"' in spec and '"retracted_label"' in spec


def test_tables_show_whole_numbers_and_no_python_values():
    frame = pd.DataFrame({"seq": [9.0, 10.0], "percent": [40.0, None], "note": [None, "x"], "flag": [True, False]})
    shown = display_frame(frame)
    assert list(shown["seq"]) == [9, 10] and str(shown["seq"].dtype) == "Int64"
    assert list(shown["note"]) == ["", "x"]
    assert list(shown["flag"]) == ["是", ""]
    assert list(shown["percent"]) == ["40", ""]   # the grid would draw a missing number as "None"
    gaps = display_frame(pd.DataFrame({"n": pd.array([120, None], dtype="Int64"), "d": [pd.NaT, "2022-06-30"],
                                       "r": [0.5, None]}))
    assert list(gaps["n"]) == ["120", ""] and list(gaps["d"]) == ["", "2022-06-30"] and list(gaps["r"]) == ["0.5", ""]


def test_whole_numbers_stay_whole_in_csv_and_excel():
    import csv
    import io

    import openpyxl

    from dashboard.render import export

    frame = pd.DataFrame({"seq": [9.0, 10.0], "percent": [40.0, None], "share": [0.5, 1.0]})
    rows = list(csv.reader(io.StringIO(export.csv_bytes(frame).decode("utf-8-sig"))))
    assert rows[1][:2] == ["9", "40"] and rows[2][:2] == ["10", ""] and rows[1][2] == "0.5"
    sheet = openpyxl.load_workbook(io.BytesIO(export.xlsx_bytes(frame, "事件日志-2022-09-28"))).active
    assert sheet.title == "事件日志-2022-09-28"
    assert sheet["A2"].value == 9 and isinstance(sheet["A2"].value, int) and sheet["B2"].value == 40
