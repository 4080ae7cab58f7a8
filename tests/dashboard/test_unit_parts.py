"""A partner's own percent is shown beside the lead's wherever an activity's detail is shown
(overview's 全部活动, the Gantt's tooltip, 部门自查), and never replaces it. AppTest, real SQLite."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pyarrow as pa

from dashboard.board.views import with_unit_parts
from dashboard.render import charts
from store.log import EventStore, NewEvent
from tests.dashboard.apptest import open_app

AS_OF = "2022-09-28"
ACTIVITY_2 = "activity/2022-27/2"   # leads 省总宣传部 (35 % in the demo), partners 各市（州）总工会 …


def report_as_partner(url: str) -> None:
    store = EventStore(url)
    try:
        store.append(NewEvent("ProgressReported", ACTIVITY_2, {"percent": 40, "note": "海东市部分"},
                              occurred_on=dt.date(2022, 9, 27), actor="haidong", unit="海东市总工会"))
    finally:
        store.close()


def table_with(at, column: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_overview_shows_the_partners_part_beside_the_leads_percent(monkeypatch, demo_copy):
    report_as_partner(demo_copy)
    at = open_app(monkeypatch, demo_copy, params={"as_of": AS_OF})
    row = table_with(at, "配合单位进度").set_index("序号").loc[2]
    assert row["进度(%)"] == 35
    assert row["配合单位进度"] == "海东市总工会 40%"


def test_self_check_shows_the_units_own_percent_and_the_activitys(monkeypatch, demo_copy):
    report_as_partner(demo_copy)
    at = open_app(monkeypatch, demo_copy, "content/selfcheck.py", params={"as_of": AS_OF})
    at.selectbox(key="self_unit").set_value("海东市总工会").run()
    row = table_with(at, "本单位进度(%)").set_index("序号").loc[2]
    # A number column with gaps is drawn as text with blanks (never "None"): this unit shows "40".
    assert row["进度(%)"] == 35 and str(row["本单位进度(%)"]) == "40"
    assert row["配合单位进度"] == "海东市总工会 40%"


def test_gantt_tooltip_names_each_partners_part(monkeypatch, demo_copy):
    report_as_partner(demo_copy)
    at = open_app(monkeypatch, demo_copy, "content/gantt.py", params={"as_of": AS_OF})
    chart = at.get("vega_lite_chart")[0].proto
    assert "配合单位进度" in json.dumps(json.loads(chart.spec), ensure_ascii=False)   # the tooltip's field
    values = [pa.ipc.open_stream(d.data.data).read_pandas() for d in chart.datasets]
    bars = next(v for v in values if "unit_parts" in v.columns).set_index("seq")
    assert bars.loc[2, "unit_parts"] == "海东市总工会 40%" and bars.loc[2, "percent"] == 35


def test_unit_parts_lists_partners_only():
    activities = pd.DataFrame({"stream": ["a", "b"], "percent": [35.0, 10.0]})
    progress = pd.DataFrame({"stream": ["a", "a", "a"], "unit": ["省总宣传部", "海东市总工会", "西宁市总工会"],
                             "role": ["lead", "partner", "partner"], "percent": [35.0, 40.0, 30.0]})
    out = with_unit_parts(activities, progress, "海东市总工会")
    assert list(out["unit_parts"]) == ["海东市总工会 40%；西宁市总工会 30%", ""]
    assert out["my_percent"].iloc[0] == 40 and pd.isna(out["my_percent"].iloc[1])
    rows = charts.gantt_rows(out.assign(start=pd.Timestamp("2022-03-01"), end=pd.Timestamp("2022-09-30"),
                                        plan_id="p", seq=[1, 2], title="t", status="on_track", window_text="",
                                        lead_units=[["x"], ["x"]], partner_units=[[], []],
                                        last_report_on=pd.NaT), dt.date(2022, 6, 1))
    assert list(rows["unit_parts"]) == ["海东市总工会 40%；西宁市总工会 30%", ""]
