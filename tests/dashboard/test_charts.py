"""Chart builders: marks, encodings, scales and data of the Vega-Lite specs they produce."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import altair as alt
import numpy as np
import pandas as pd
import pytest

from dashboard.render import charts
from dashboard.render import labels as L

T = pd.Timestamp
AS_OF = dt.date(2022, 5, 20)
DOMAIN = (dt.date(2022, 3, 1), dt.date(2022, 12, 31))
ROOT = Path(__file__).resolve().parents[2]


# -- frames shaped like store.reading.projections --------------------------------------------------------

def activity(seq: int, start: str | None, end: str | None, status: str, percent: float = 0.0, *,
             title: str | None = None, lead: list[str] | None = None, partners: list[str] | None = None,
             last: str | None = None, window: str = "") -> dict[str, Any]:
    return {
        "plan_id": "qh2022", "seq": seq, "stream": f"activity/qh2022/{seq}", "title": title or f"活动{seq}",
        "body": "", "window_text": window, "start": T(start) if start else pd.NaT, "end": T(end) if end else pd.NaT,
        "lead_units": lead or ["省总宣传部"], "partner_units": partners or ["各市（州）总工会"],
        "status": status, "percent": float(percent), "last_report_on": T(last) if last else pd.NaT,
        "done_on": pd.NaT, "risk_open": False, "reports": 0, "participants": 0, "attention": 0,
    }


def activities_frame(rows: list[dict[str, Any]] | None = None) -> pd.DataFrame:
    rows = rows if rows is not None else [
        activity(1, "2022-01-01", "2022-12-31", "on_track", 35, title="深化拓展建功立业活动",
                 lead=["省总经济技术部"], window="全年", last="2022-05-10"),
        activity(2, "2022-04-01", "2022-05-31", "at_risk", 60, window="4—5月",
                 title="开展领导送奖到基层和看望慰问一线职工活动", lead=["省总经济技术部", "省总办公室"]),
        activity(3, "2022-04-01", "2022-04-30", "overdue", 80, window="4月"),
        activity(4, "2022-04-01", "2022-04-30", "done", 100, window="4月"),
        activity(5, "2022-05-01", "2022-07-31", "on_track", 10, window="5—7月"),
        activity(6, "2022-06-01", "2022-07-31", "not_started", 0, window="6—7月"),
        activity(7, None, None, "on_track", 0, window="视情"),
    ]
    frame = pd.DataFrame(rows)
    for column in ("start", "end", "last_report_on", "done_on"):
        frame[column] = pd.to_datetime(frame[column])
    return frame


def milestones_frame() -> pd.DataFrame:
    return pd.DataFrame([
        {"plan_id": "qh2022", "seq": 1, "stream": "activity/qh2022/1", "key": "m1", "title": "表彰大会",
         "due": T("2022-04-28"), "reached_on": T("2022-04-28")},
        {"plan_id": "qh2022", "seq": 1, "stream": "activity/qh2022/1", "key": "m2", "title": "技能大赛",
         "due": T("2022-09-15"), "reached_on": pd.NaT},
        {"plan_id": "qh2022", "seq": 3, "stream": "activity/qh2022/3", "key": "m3", "title": "决赛",
         "due": pd.NaT, "reached_on": T("2022-04-20")},
        {"plan_id": "qh2022", "seq": 7, "stream": "activity/qh2022/7", "key": "m4", "title": "无日期活动的节点",
         "due": T("2022-06-01"), "reached_on": pd.NaT},
    ])


# -- spec helpers ---------------------------------------------------------------------------------

def layers(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return spec["layer"] if "layer" in spec else [spec]


def mark_type(layer: dict[str, Any]) -> str:
    mark = layer["mark"]
    return mark if isinstance(mark, str) else mark["type"]


def layer_data(spec: dict[str, Any], layer: dict[str, Any]) -> list[dict[str, Any]]:
    data = layer.get("data") or spec.get("data")
    if "values" in data:
        return data["values"]
    return spec["datasets"][data["name"]]


def layers_of(spec: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [layer for layer in layers(spec) if mark_type(layer) == kind]


def utc(day: dt.date) -> dict[str, Any]:
    return {"year": day.year, "month": day.month, "date": day.day, "utc": True}


def all_data_rows(spec: dict[str, Any]) -> int:
    return sum(len(v) for v in spec.get("datasets", {}).values())


def svg_texts(chart: alt.TopLevelMixin) -> list[str]:
    import vl_convert as vlc

    svg = vlc.vegalite_to_svg(chart.to_dict())
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


@pytest.fixture(scope="module")
def gantt_spec() -> dict[str, Any]:
    return charts.gantt(activities_frame(), milestones_frame(), AS_OF, DOMAIN, "seq").to_dict()


# -- Gantt ----------------------------------------------------------------------------------------

def test_gantt_layers_have_the_expected_marks(gantt_spec: dict[str, Any]) -> None:
    kinds = [mark_type(layer) for layer in layers(gantt_spec)]
    assert kinds.count("bar") == 2  # the window and the progress fill inside it
    assert "rule" in kinds and "point" in kinds and "text" in kinds


def test_gantt_bars_run_from_start_to_end_coloured_by_status(gantt_spec: dict[str, Any]) -> None:
    bar = layers_of(gantt_spec, "bar")[0]
    enc = bar["encoding"]
    assert enc["x"]["field"] == "start" and enc["x"]["type"] == "temporal"
    assert enc["x2"]["field"] == "end_x"
    assert enc["y"]["field"] == "row"
    scale = enc["color"]["scale"]
    assert scale["domain"] == [L.STATUS_LABELS[s] for s in L.STATUS_LEGEND_ORDER]
    assert scale["range"] == [L.STATUS_COLORS[s] for s in L.STATUS_LEGEND_ORDER]
    assert enc["color"]["legend"]["title"] == "状态"
    assert bar["mark"]["clip"] is True
    rows = {r["seq"]: r for r in layer_data(gantt_spec, bar)}
    # the bar covers the last day: end_x is the day after the end
    assert rows[2]["start"] == "2022-04-01" and rows[2]["end"] == "2022-05-31" and rows[2]["end_x"] == "2022-06-01"
    assert rows[1]["status_label"] == "正常" and rows[3]["status_label"] == "逾期"


def test_gantt_progress_fill_is_start_plus_percent_of_the_window(gantt_spec: dict[str, Any]) -> None:
    fill = layers_of(gantt_spec, "bar")[1]
    assert fill["encoding"]["x"]["field"] == "start" and fill["encoding"]["x2"]["field"] == "progress_x"
    assert fill["mark"]["size"] < layers_of(gantt_spec, "bar")[0]["mark"]["size"]  # narrower
    rows = {r["seq"]: r for r in layer_data(gantt_spec, fill)}
    # 60% of 1 April .. 1 June (61 days) = 36.6 days -> 7.6 May, rounded to the day: 8 May
    assert rows[2]["progress_x"] == "2022-05-08"
    assert rows[4]["progress_x"] == rows[4]["end_x"]  # done: 100%


def test_gantt_x_axis_is_utc_march_to_december_with_one_tick_per_month(gantt_spec: dict[str, Any]) -> None:
    x = layers_of(gantt_spec, "bar")[0]["encoding"]["x"]
    assert x["scale"]["type"] == "utc"
    assert x["scale"]["domain"] == [utc(dt.date(2022, 3, 1)), utc(dt.date(2023, 1, 1))]  # through 31 Dec
    values = x["axis"]["values"]
    assert values == [utc(dt.date(2022, m, 1)) for m in range(3, 13)]
    assert "utcmonth(datum.value) + 1" in x["axis"]["labelExpr"] and "月" in x["axis"]["labelExpr"]


def test_gantt_month_labels_render_once_each_in_chinese() -> None:
    chart = charts.gantt(activities_frame(), milestones_frame(), AS_OF, DOMAIN)
    texts = svg_texts(chart)
    months = [t for t in texts if re.fullmatch(r"\d{1,2}月", t)]
    assert months == [f"{m}月" for m in range(3, 13)]


def test_gantt_has_the_as_of_rule_and_its_caption(gantt_spec: dict[str, Any]) -> None:
    rule = layers_of(gantt_spec, "rule")[0]
    assert rule["encoding"]["x"]["field"] == "x"
    assert layer_data(gantt_spec, rule)[0]["x"] == "2022-05-20"
    captions = [r for layer in layers_of(gantt_spec, "text") for r in layer_data(gantt_spec, layer)
                if r.get("label")]
    assert captions and captions[0]["label"] == "截至 5月20日"


def test_gantt_milestones_are_diamonds_filled_when_reached(gantt_spec: dict[str, Any]) -> None:
    point = layers_of(gantt_spec, "point")[0]
    assert point["mark"]["shape"] == "diamond"
    fill = point["encoding"]["fill"]
    assert fill["scale"]["domain"] == ["已达成", "未达成"]
    assert fill["scale"]["range"][1] == "#ffffff"  # open milestones are hollow
    rows = layer_data(gantt_spec, point)
    by_title = {r["title"]: r for r in rows}
    assert by_title["表彰大会"]["reached"] is True and by_title["表彰大会"]["x"] == "2022-04-28"
    assert by_title["技能大赛"]["reached"] is False and by_title["技能大赛"]["state"] == "未达成"
    assert by_title["决赛"]["x"] == "2022-04-20"  # no due: placed at reached_on
    assert "无日期活动的节点" not in by_title  # its activity is not on the Gantt


def test_gantt_milestones_on_one_day_of_a_row_are_one_diamond_that_counts_them() -> None:
    """Three stage milestones due the same day drew three diamonds exactly on each other: the tooltip
    named one of them, and a large log sent thousands of hidden marks to the browser."""
    stages = pd.DataFrame([
        {"plan_id": "qh2022", "seq": 1, "stream": "activity/qh2022/1", "key": f"s{i}", "title": f"第{i}站",
         "due": T("2022-05-10"), "reached_on": T(f"2022-05-0{i}")} for i in (3, 5, 8)
    ] + [{"plan_id": "qh2022", "seq": 1, "stream": "activity/qh2022/1", "key": "s9", "title": "第9站",
          "due": T("2022-05-10"), "reached_on": pd.NaT}])
    spec = charts.gantt(activities_frame(), pd.concat([milestones_frame(), stages]), AS_OF, DOMAIN).to_dict()
    rows = layer_data(spec, layers_of(spec, "point")[0])
    on_the_day = [r for r in rows if r["x"] == "2022-05-10"]
    assert len(on_the_day) == 2   # the three reached ones, and the open one apart
    done = next(r for r in on_the_day if r["reached"])
    assert done["title"] == "第3站、第5站、第8站" and done["count"] == 3
    assert done["reached_label"] == "2022年5月3日—2022年5月8日" and done["due_label"] == "2022年5月10日"
    assert next(r for r in on_the_day if not r["reached"])["title"] == "第9站"
    assert {r["title"] for r in rows} >= {"表彰大会", "技能大赛", "决赛"}   # alone on their day: as before
    many = pd.concat([stages.assign(key=[f"k{i}{j}" for j in range(4)], title=["阶段节点"] * 3 + ["复盘"])
                      for i in range(3)])   # twelve milestones of two names, nine of them reached on the 10th
    crowded = charts.gantt_milestones(many, charts.gantt_rows(activities_frame(), AS_OF, DOMAIN))
    assert set(crowded["title"]) == {"阶段节点 等9个节点", "复盘 等3个节点"}
    point = layers_of(spec, "point")[0]
    assert [t["title"] for t in point["encoding"]["tooltip"]] == ["节点", "计划日期", "达成日期"]


def test_gantt_tooltips_are_chinese(gantt_spec: dict[str, Any]) -> None:
    titles = {t["title"] for t in layers_of(gantt_spec, "bar")[0]["encoding"]["tooltip"]}
    assert {"活动", "状态", "完成时限", "牵头部门", "配合单位", "进度", "最近上报"} <= titles
    row = {r["seq"]: r for r in layer_data(gantt_spec, layers_of(gantt_spec, "bar")[0])}
    assert row[1]["last_report"] == "2022年5月10日" and row[5]["last_report"] == "未上报"
    assert row[2]["leads"] == "省总经济技术部、省总办公室" and row[1]["percent_text"] == "35%"


def test_gantt_row_labels_and_activities_without_dates() -> None:
    rows = charts.gantt_rows(activities_frame(), AS_OF, DOMAIN)
    assert 7 not in set(rows["seq"])  # no start/end: left out, no error
    labels = dict(zip(rows["seq"], rows["row"]))
    assert labels[1] == "1. 深化拓展建功立业活动（省总经济技术部）"
    assert labels[2].startswith("2. ") and labels[2].endswith("（省总经济技术部等）") and "…" in labels[2]
    assert len(labels[2].split("（")[0]) <= len("2. ") + 12


def test_gantt_sort_orders() -> None:
    frame = activities_frame()
    by_seq = list(charts.gantt_rows(frame, AS_OF, DOMAIN, "seq")["seq"])
    by_end = list(charts.gantt_rows(frame, AS_OF, DOMAIN, "end")["seq"])
    by_status = list(charts.gantt_rows(frame, AS_OF, DOMAIN, "status")["seq"])
    assert by_seq == [1, 2, 3, 4, 5, 6]
    assert by_end == [3, 4, 2, 5, 6, 1]
    assert by_status[0] == 3 and by_status[1] == 2 and by_status[-1] == 4  # overdue, at risk … done
    spec = charts.gantt(frame, None, AS_OF, DOMAIN, "end").to_dict()
    y = layers_of(spec, "bar")[0]["encoding"]["y"]
    assert y["sort"] == list(charts.gantt_rows(frame, AS_OF, DOMAIN, "end")["row"])


def test_gantt_default_domain_is_march_to_december_of_the_as_of_year() -> None:
    spec = charts.gantt(activities_frame(), None, dt.date(2022, 7, 1)).to_dict()
    x = layers_of(spec, "bar")[0]["encoding"]["x"]
    assert x["scale"]["domain"] == [utc(dt.date(2022, 3, 1)), utc(dt.date(2023, 1, 1))]


def test_gantt_as_of_outside_the_domain_keeps_the_rule_but_no_caption() -> None:
    spec = charts.gantt(activities_frame(), None, dt.date(2023, 2, 1), DOMAIN).to_dict()
    assert layers_of(spec, "rule")
    captions = [r for layer in layers_of(spec, "text") for r in layer_data(spec, layer) if r.get("label")]
    assert captions == []


def test_gantt_big_scales_fonts_up() -> None:
    small = charts.gantt(activities_frame(), None, AS_OF, DOMAIN).to_dict()
    big = charts.gantt(activities_frame(), None, AS_OF, DOMAIN, big=True).to_dict()
    ratio = big["config"]["axis"]["labelFontSize"] / small["config"]["axis"]["labelFontSize"]
    assert 1.6 <= ratio <= 2.0
    assert big["height"] > small["height"]


def test_chinese_font_and_locale_in_config(gantt_spec: dict[str, Any]) -> None:
    config = gantt_spec["config"]
    assert "Noto Sans CJK SC" in config["font"] and "Microsoft YaHei" in config["font"]
    assert config["locale"]["time"]["months"][2] == "3月"


# -- overview -------------------------------------------------------------------------------------

def test_status_bar_counts_every_status_in_its_colour() -> None:
    spec = charts.status_bar(activities_frame()).to_dict()
    bar = layers_of(spec, "bar")[0]
    rows = {r["status"]: r["count"] for r in layer_data(spec, bar)}
    assert rows == {"overdue": 1, "at_risk": 1, "on_track": 3, "not_started": 1, "done": 1}
    assert bar["encoding"]["color"]["scale"]["range"] == [L.STATUS_COLORS[s] for s in L.STATUS_LEGEND_ORDER]
    assert bar["encoding"]["y"]["sort"] == [L.STATUS_LABELS[s] for s in L.STATUS_ORDER]
    assert layers_of(spec, "text")


def test_targets_bars_show_achieved_over_planned() -> None:
    targets = pd.DataFrame([
        {"plan_id": "qh2022", "seq": 1, "stream": "s1", "key": "t1", "label": "奖章", "unit": "个",
         "planned": 20, "achieved": 12},
        {"plan_id": "qh2022", "seq": 1, "stream": "s1", "key": "t2", "label": "奖状", "unit": "个",
         "planned": 10, "achieved": 0},
    ])
    spec = charts.targets_bars(targets).to_dict()
    bars = layers_of(spec, "bar")
    assert [b["encoding"]["x"]["field"] for b in bars] == ["planned", "achieved"]
    color = bars[0]["encoding"]["color"]["scale"]
    assert color["domain"] == ["计划", "完成"] and color["range"][0] != color["range"][1]
    rows = layer_data(spec, layers_of(spec, "text")[0])
    assert [(r["row"], r["text"]) for r in rows] == [("奖章（个）", "12 / 20"), ("奖状（个）", "0 / 10")]


# -- timeline -------------------------------------------------------------------------------------

def make_log(n: int, days: int = 300, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    types = ["ProgressReported", "ParticipationRecorded", "TargetAdvanced", "RiskFlagged", "ActivityCompleted"]
    return pd.DataFrame({
        "position": np.arange(1, n + 1), "event_id": [f"e{i}" for i in range(n)],
        "stream": "activity/qh2022/1", "type": rng.choice(types, n),
        "occurred_on": T("2022-03-01") + pd.to_timedelta(rng.integers(0, days, n), unit="D"),
        "recorded_at": T("2022-05-01 08:00", tz="UTC"), "actor": "张三", "unit": "西宁市总工会",
        "note": "", "demo": False, "seq": 1, "retracted": False,
    })


def test_timeline_one_point_per_event_while_few() -> None:
    log = make_log(200)
    data, grain = charts.timeline_data(log, max_marks=1000)
    assert grain == "event" and len(data) == 200
    spec = charts.timeline(log).to_dict()
    assert mark_type(spec) == "point"
    assert spec["encoding"]["color"]["field"] == "type_label"
    assert set(r["type_label"] for r in layer_data(spec, spec)) <= set(L.EVENT_TYPE_LABELS.values())
    assert spec["encoding"]["x"]["scale"]["type"] == "utc"
    assert {t["title"] for t in spec["encoding"]["tooltip"]} >= {"事件类型", "日期", "备注"}


def test_timeline_switches_to_aggregates_above_max_marks() -> None:
    log = make_log(1001, days=100)
    data, grain = charts.timeline_data(log, max_marks=1000)
    assert grain == "day" and len(data) <= 1000
    assert data["events"].sum() == 1001
    first = data[data["date"] == data["date"].iloc[0]]
    assert list(first["y0"])[0] == 0 and list(first["y1"])[-1] == first["events"].sum()  # stacked
    at_limit, grain_at_limit = charts.timeline_data(make_log(1000), max_marks=1000)
    assert grain_at_limit == "event" and len(at_limit) == 1000


def test_timeline_50000_events_send_at_most_max_marks_rows() -> None:
    log = make_log(50_000, days=300)
    data, grain = charts.timeline_data(log, max_marks=1000)
    assert grain in ("week", "month") and len(data) <= 1000  # 300 days: not per day
    assert data["events"].sum() == 50_000
    spec = charts.timeline(log, max_marks=1000).to_dict()
    assert mark_type(spec) == "bar"
    assert spec["encoding"]["x2"]["field"] == "date_end"
    assert all_data_rows(spec) <= 1000
    small, _ = charts.timeline_data(log, max_marks=40)
    assert len(small) <= 40


def test_timeline_by_recorded_at_uses_the_shanghai_day() -> None:
    log = make_log(3)
    log["recorded_at"] = [T("2022-05-01 17:00", tz="UTC")] * 3  # 2 May 01:00 in Shanghai
    data, _ = charts.timeline_data(log, by="recorded_at")
    assert set(data["date"]) == {"2022-05-02"}


# -- workload -------------------------------------------------------------------------------------

def workload_frame() -> pd.DataFrame:
    rows = []
    for month in ("2022-03-01", "2022-04-01", "2022-05-01"):
        rows.append({"unit": "省总宣传部", "month": T(month), "role": "lead", "activities": 2, "weight": 2.0})
        rows.append({"unit": "省总宣传部", "month": T(month), "role": "partner", "activities": 1, "weight": 0.5})
    rows.append({"unit": "西宁市总工会", "month": T("2022-04-01"), "role": "partner", "activities": 3, "weight": 1.5})
    return pd.DataFrame(rows)


def test_workload_heatmap_is_unit_by_month_rects_with_values() -> None:
    spec = charts.workload_heatmap(workload_frame(), "lead").to_dict()
    rect = layers_of(spec, "rect")[0]
    assert rect["encoding"]["x"]["field"] == "month_label" and rect["encoding"]["y"]["field"] == "unit"
    assert rect["encoding"]["x"]["sort"] == ["3月", "4月", "5月"]
    values = {(r["unit"], r["month_label"]): r["value"] for r in layer_data(spec, rect)}
    assert values == {("省总宣传部", "3月"): 2, ("省总宣传部", "4月"): 2, ("省总宣传部", "5月"): 2}
    assert layers_of(spec, "text")[0]["encoding"]["text"]["field"] == "value"


def test_workload_heatmap_partner_and_both() -> None:
    partner = charts.heatmap_data(workload_frame(), "partner")
    assert partner.set_index(["unit", "month_label"])["value"][("西宁市总工会", "4月")] == 3
    both = charts.heatmap_data(workload_frame(), "both").set_index(["unit", "month_label"])["value"]
    assert both[("省总宣传部", "4月")] == 2.5
    spec = charts.workload_heatmap(workload_frame(), "both",
                                   months=[dt.date(2022, m, 1) for m in range(3, 13)]).to_dict()
    assert layers_of(spec, "rect")[0]["encoding"]["x"]["sort"] == [f"{m}月" for m in range(3, 13)]


def test_unit_role_counts_counts_distinct_activities_over_the_whole_plan() -> None:
    frame = activities_frame()
    counts = charts.unit_role_counts(frame).set_index(["unit", "role"])["activities"]
    assert counts[("省总经济技术部", "lead")] == 2
    assert counts[("各市（州）总工会", "partner")] == 7
    grouped = charts.unit_role_counts(frame, {"各市（州）总工会": ["西宁市总工会", "海东市总工会"]})
    grouped = grouped.set_index(["unit", "role"])["activities"]
    assert grouped[("西宁市总工会", "partner")] == 7 and ("各市（州）总工会", "partner") not in grouped


def test_unit_bars_stack_lead_and_partner() -> None:
    spec = charts.unit_bars(charts.unit_role_counts(activities_frame())).to_dict()
    bar = layers_of(spec, "bar")[0]
    assert bar["encoding"]["color"]["scale"]["domain"] == ["牵头", "配合"]
    assert bar["encoding"]["x"]["stack"] == "zero"
    assert bar["encoding"]["y"]["sort"][0] == "各市（州）总工会"


def test_participation_lines_are_monthly_sums_per_unit() -> None:
    part = pd.DataFrame([
        {"plan_id": "qh2022", "seq": 4, "stream": "s", "event_id": f"p{i}", "unit": unit, "date": T(day),
         "participants": n, "sessions": 1, "place": "", "note": "", "actor": "", "occurred_on": T(day)}
        for i, (unit, day, n) in enumerate([("西宁市总工会", "2022-04-03", 100), ("西宁市总工会", "2022-04-20", 50),
                                            ("西宁市总工会", "2022-06-01", 30), ("海东市总工会", "2022-05-01", 80),
                                            ("省总宣传部", "2022-05-01", 999)])
    ])
    cities = ["西宁市总工会", "海东市总工会", "海北州总工会"]
    data = charts.participation_monthly(part, cities)
    sums = data.set_index(["unit", "month_label"])["participants"]
    assert sums[("西宁市总工会", "4月")] == 150 and sums[("西宁市总工会", "5月")] == 0
    assert "省总宣传部" not in set(data["unit"])
    spec = charts.participation_lines(part, cities).to_dict()
    assert mark_type(spec) == "line" and spec["mark"]["point"]
    assert spec["encoding"]["y"]["title"] == "参与人数"
    assert spec["encoding"]["x"]["scale"]["type"] == "utc"


# -- every chart, empty -----------------------------------------------------------------------------

@pytest.mark.parametrize("build", [
    lambda: charts.gantt(activities_frame().iloc[0:0], milestones_frame().iloc[0:0], AS_OF, DOMAIN),
    lambda: charts.gantt(activities_frame()[activities_frame()["start"].isna()], milestones_frame(), AS_OF),
    lambda: charts.status_bar(pd.DataFrame(columns=["status"])),
    lambda: charts.targets_bars(pd.DataFrame(columns=["plan_id", "seq", "stream", "key", "label", "unit",
                                                      "planned", "achieved"])),
    lambda: charts.timeline(pd.DataFrame(columns=["position", "event_id", "stream", "type", "occurred_on",
                                                  "recorded_at", "actor", "unit", "note", "demo", "seq",
                                                  "retracted"])),
    lambda: charts.workload_heatmap(pd.DataFrame(columns=["unit", "month", "role", "activities", "weight"])),
    lambda: charts.unit_bars(charts.unit_role_counts(pd.DataFrame(columns=activities_frame().columns))),
    lambda: charts.participation_lines(pd.DataFrame(columns=["unit", "date", "participants", "sessions"])),
], ids=["gantt", "gantt-no-dates", "status", "targets", "timeline", "heatmap", "unit-bars", "participation"])
def test_empty_frames_give_a_chart(build: Any) -> None:
    from dashboard.render.export import png_bytes

    chart = build()
    spec = chart.to_dict()
    assert "$schema" in spec
    assert png_bytes(chart, scale=1).startswith(b"\x89PNG")  # Vega itself accepts the empty spec


def test_charts_module_does_not_import_streamlit() -> None:
    code = "import sys, dashboard.render.charts, dashboard.render.export, dashboard.render.labels; print('streamlit' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# -- labels ---------------------------------------------------------------------------------------

def test_labels_cover_every_status_and_event_type() -> None:
    from store.domain.status import STATUSES

    assert set(STATUSES) == set(L.STATUS_LABELS) == set(L.STATUS_COLORS) == set(L.STATUS_ORDER)
    assert L.STATUS_ORDER[0] == "overdue" and L.STATUS_ORDER[-1] == "done"
    assert len(set(L.STATUS_COLORS.values())) == 5
    assert L.EVENT_TYPE_LABELS["EventRetracted"] == "撤回更正" and len(L.EVENT_TYPE_COLORS) == 16
    assert set(L.EVENT_TYPE_COLORS) == set(L.EVENT_TYPE_LABELS) and len(set(L.EVENT_TYPE_COLORS.values())) == 16
    assert [L.MONTH_LABELS[m] for m in (1, 12)] == ["1月", "12月"]
    assert L.label("lead_units") == "牵头部门" and L.label("at_risk") == "预警"
    assert L.label("unknown_key") == "unknown_key"
    assert L.label("overview", "page") == "总览" and L.as_of_label(AS_OF) == "截至 5月20日"
    assert L.date_label(pd.NaT) == ""


def test_every_chart_sets_autosize_so_streamlit_does_not_squeeze_it(gantt_spec: dict[str, Any]) -> None:
    # Without an autosize Streamlit sets "fit", which collapses the Gantt's rows into its height.
    assert gantt_spec["autosize"] == {"type": "fit-x", "contains": "padding"}
    assert "expr" in gantt_spec["config"]["legend"]["layout"]  # the two legends stacked, not overflowing
    for chart in (charts.status_bar(activities_frame()), charts.workload_heatmap(workload_frame()),
                  charts.timeline(make_log(10))):
        assert chart.to_dict()["autosize"]["type"] == "fit-x"


# -- Gantt: an end moved keeps its original end as a thin mark (延期) ------------------------------

def _moved_frame() -> pd.DataFrame:
    frame = activities_frame()
    frame["planned_end"] = frame["end"]
    frame.loc[frame["seq"] == 5, "end"] = T("2022-10-31")   # 5—7月, extended to October
    frame["review_pending"] = frame["seq"] == 3
    return frame


def test_gantt_marks_the_original_end_of_an_extended_activity() -> None:
    spec = charts.gantt(_moved_frame(), None, AS_OF, DOMAIN, "seq").to_dict()
    ticks = layers_of(spec, "tick")
    assert len(ticks) == 1
    tick = ticks[0]
    assert tick["encoding"]["x"]["field"] == "planned_end_x" and tick["mark"]["orient"] == "vertical"
    assert tick["transform"][0]["filter"] == "datum.planned_end_x != ''"
    rows = {r["seq"]: r for r in layer_data(spec, tick)}
    assert rows[5]["planned_end_x"] == "2022-08-01" and rows[5]["end_x"] == "2022-11-01"   # beside the new end
    assert rows[5]["planned_end_label"] == "2022年7月31日"
    assert all(r["planned_end_x"] == "" for seq, r in rows.items() if seq != 5)   # unmoved ends: no mark
    titles = [t["title"] for t in tick["encoding"]["tooltip"]]
    assert titles == ["活动", "原定截止", "截止"]


def test_gantt_tooltip_says_a_completion_awaits_review() -> None:
    rows = charts.gantt_rows(_moved_frame(), AS_OF, DOMAIN)
    assert rows.set_index("seq").loc[3, "status_text"] == "逾期 · 待审核"


def test_gantt_without_planned_ends_draws_no_original_end() -> None:
    rows = charts.gantt_rows(activities_frame(), AS_OF, DOMAIN)
    assert set(rows["planned_end_x"]) == {""}


def test_gantt_original_end_renders_as_a_thin_line_in_svg() -> None:
    import vl_convert as vlc

    with_mark = vlc.vegalite_to_svg(charts.gantt(_moved_frame(), None, AS_OF, DOMAIN).to_dict())
    without = vlc.vegalite_to_svg(charts.gantt(activities_frame(), None, AS_OF, DOMAIN).to_dict())
    ticks = re.findall(r'<path aria-label="([^"]*)" role="graphics-symbol" aria-roledescription="tick" '
                       r'd="M[\d.]+,[\d.]+h([\d.]+)v([\d.]+)', with_mark)
    assert len(ticks) == 1 and "原定截止: 2022年7月31日" in ticks[0][0]
    assert float(ticks[0][1]) <= 3 and float(ticks[0][2]) > 20   # thin and upright, taller than the bar
    assert 'aria-roledescription="tick"' not in without
