"""Export helpers: CSV for Excel, xlsx round trip, PNG with Chinese glyphs (not boxes)."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import altair as alt
import pandas as pd
import pytest

from dashboard.render import charts, export

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
REQUIRE_FONTS = os.environ.get("DUBAN_REQUIRE_BROWSER") == "1"
ROOT = Path(__file__).resolve().parents[2]


def frame() -> pd.DataFrame:
    return pd.DataFrame({
        "seq": [1, 2],
        "title": ["深化拓展建功立业活动", "开展“春风行动”"],
        "status": ["on_track", "overdue"],
        "lead_units": [["省总经济技术部"], ["省总权益保障部", "省总网络和社会工作部"]],
        "start": pd.to_datetime(["2022-01-01", "2022-03-01"]),
        "percent": [35.0, 80.0],
        "recorded_at": pd.to_datetime(["2022-05-01T16:30:00Z", "2022-05-02T01:00:00Z"], utc=True),
    })


def test_csv_has_a_bom_and_round_trips_chinese() -> None:
    data = export.csv_bytes(frame())
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(back.columns) == ["序号", "活动", "状态", "牵头部门", "开始", "进度(%)", "记录时间"]
    assert back["活动"].tolist() == ["深化拓展建功立业活动", "开展“春风行动”"]
    assert back["状态"].tolist() == ["正常", "逾期"]
    assert back["牵头部门"].tolist() == ["省总经济技术部", "省总权益保障部、省总网络和社会工作部"]
    assert back["开始"].tolist() == ["2022-01-01", "2022-03-01"]
    assert back["记录时间"].tolist() == ["2022-05-02 00:30:00", "2022-05-02 09:00:00"]  # Asia/Shanghai


def test_csv_can_keep_codes_and_english_headers() -> None:
    back = pd.read_csv(io.BytesIO(export.csv_bytes(frame(), headers=False, translate=False)), encoding="utf-8-sig")
    assert back.columns[0] == "seq" and back["status"].tolist() == ["on_track", "overdue"]


def test_xlsx_round_trips_with_zones_converted_to_shanghai() -> None:
    data = export.xlsx_bytes(frame(), "活动进展")
    assert data[:2] == b"PK"
    back = pd.read_excel(io.BytesIO(data), sheet_name="活动进展")
    assert back["活动"].tolist() == ["深化拓展建功立业活动", "开展“春风行动”"]
    assert back["牵头部门"].iloc[1] == "省总权益保障部、省总网络和社会工作部"
    assert back["记录时间"].tolist() == [pd.Timestamp("2022-05-02 00:30"), pd.Timestamp("2022-05-02 09:00")]
    assert back["开始"].iloc[0] == pd.Timestamp("2022-01-01")
    assert back["进度(%)"].tolist() == [35.0, 80.0]


def test_xlsx_sheet_names_are_made_valid() -> None:
    assert export.sheet_title("a/b:c*d?[e]") == "a_b_c_d__e_"
    assert len(export.sheet_title("长" * 40)) == 31
    data = export.xlsx_bytes(frame(), "进展/通报")
    assert "进展_通报" in pd.ExcelFile(io.BytesIO(data)).sheet_names


def test_png_starts_with_the_png_signature() -> None:
    chart = charts.status_bar(pd.DataFrame({"status": ["done", "overdue"]}))
    data = export.png_bytes(chart, scale=1)
    assert data.startswith(PNG_SIGNATURE)


def _cjk_font_present() -> bool:
    if export.find_cjk_font_directory() is not None:
        return True
    fc_list = shutil.which("fc-list")
    if fc_list:
        out = subprocess.run([fc_list, ":lang=zh"], capture_output=True, text=True)
        return bool(out.stdout.strip())
    return False


def _title_png(text: str) -> bytes:
    chart = alt.Chart(pd.DataFrame({"a": [1]})).mark_point().properties(
        title=text, width=80, height=40).configure(font=charts.FONT_FAMILY).configure_title(fontSize=32)
    return export.png_bytes(chart, scale=1)


def test_png_shows_chinese_glyphs_not_boxes() -> None:
    if not _cjk_font_present():
        reason = "no CJK font on this machine (install fonts-noto-cjk); cannot check Chinese glyphs in PNG"
        if REQUIRE_FONTS:
            pytest.fail(f"DUBAN_REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    assert export.register_cjk_font() is not None
    # Control: two unassigned code points render as identical boxes (tofu) in every font; private-use
    # ones do not (LibreOffice's OpenSymbol draws glyphs there) ...
    tofu_a, tofu_b = _title_png("\u0378\u0379"), _title_png("\u0380\u0381")
    assert tofu_a == tofu_b
    # ... so real glyphs are shown when two Chinese strings render differently, and unlike tofu.
    kanban, koukou = _title_png("看板"), _title_png("口口")
    assert kanban != koukou
    assert kanban != tofu_a and koukou != tofu_a


_TZ_SCRIPT = """
import datetime as dt, hashlib, pandas as pd
from dashboard.render import charts, export
acts = pd.DataFrame([{"plan_id": "p", "seq": 1, "stream": "s1", "title": "活动", "body": "", "window_text": "4月",
    "start": pd.Timestamp("2022-04-01"), "end": pd.Timestamp("2022-04-30"), "lead_units": ["省总宣传部"],
    "partner_units": [], "status": "on_track", "percent": 50.0, "last_report_on": pd.NaT, "done_on": pd.NaT,
    "risk_open": False, "reports": 0, "participants": 0, "attention": 2}])
chart = charts.gantt(acts, None, dt.date(2022, 5, 20), (dt.date(2022, 3, 1), dt.date(2022, 12, 31)))
print(hashlib.sha256(export.png_bytes(chart, scale=1)).hexdigest())
"""


@pytest.mark.slow
def test_gantt_png_is_the_same_in_every_time_zone() -> None:
    """Dates are UTC in the data and the scales: no day shift (or month label shift) anywhere."""
    digests = set()
    for zone in ("UTC", "America/Los_Angeles", "Asia/Shanghai"):
        env = {**os.environ, "TZ": zone}
        out = subprocess.run([sys.executable, "-c", _TZ_SCRIPT], cwd=ROOT, env=env, capture_output=True,
                             text=True, check=True)
        digests.add(out.stdout.strip().splitlines()[-1])
    assert len(digests) == 1


def test_font_directory_search_finds_nothing_in_an_empty_place(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DUBAN_CJK_FONT_DIR", raising=False)
    assert export.find_cjk_font_directory([str(tmp_path)]) is None
    (tmp_path / "NotoSansCJK-Regular.ttc").write_bytes(b"")
    assert export.find_cjk_font_directory([str(tmp_path)]) == str(tmp_path)


@pytest.mark.parametrize("name", ["targets", "workload-heatmap", "activities-per-unit", "participation"])
def test_every_chart_png_is_headed_by_what_it_shows_the_plan_and_the_date(monkeypatch, store_files, name) -> None:
    """The pages pass no title for these charts: the PNG's default heading still says what and when."""
    import datetime as dt

    import streamlit as st

    from dashboard.board import data
    from dashboard.board.views import Filters
    from dashboard.render import components
    from dashboard.render.labels import export_name

    monkeypatch.setenv("DUBAN_DB", f"sqlite:///{store_files['demo']}")
    plan = data.plans()[0]
    st.session_state["duban_filters"] = Filters(plan_id=plan.plan_id, as_of=dt.date(2022, 9, 28))
    try:
        spec = charts.targets_bars(data.plan_frame("targets", plan.plan_id, dt.date(2022, 9, 28)))
        title = components.export_spec(spec, name).to_dict()["title"]
    finally:
        del st.session_state["duban_filters"]
    assert title[0] == export_name(name) and "/" not in title[0] and not title[0].isascii()
    assert plan.title in title[1] and "2022年9月28日" in title[1]
    from PIL import Image

    plain_png = Image.open(io.BytesIO(export.png_bytes(spec, scale=1)))
    titled_png = Image.open(io.BytesIO(export.png_bytes(components.export_spec(spec, name, title), scale=1)))
    assert titled_png.height > plain_png.height + 20   # two lines of title drawn above the chart
