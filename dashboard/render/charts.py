"""Chart builders: pure functions from the projections' DataFrames to Altair charts.

No Streamlit here, so every chart can be tested by inspecting ``chart.to_dict()`` and rendered to
PNG by :mod:`dashboard.render.export`. Conventions shared by all builders:

* Dates go into the chart data as ISO date strings (``"2022-04-01"``), which JavaScript reads as
  UTC midnight, and every time scale is ``type="utc"``: a date never shifts a day through the
  viewer's time zone.
* Month axes get explicit ticks on the 1st of each month and a ``labelExpr`` that prints
  ``3月`` … ``12月`` (Vega-Lite's own tick choice repeats labels); the zh-CN locale is also put in
  the spec's config (Streamlit ignores Altair's renderer embed options).
* Every builder returns a *configured* top-level chart (font, locale, font sizes): it can be shown
  or exported, but not layered or concatenated further.
* ``big=True`` scales type and marks up about 1.8x for the projector in the meeting room.
* Empty frames give an empty chart, never an exception.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import altair as alt
import pandas as pd

from dashboard.render import labels as L

FONT_FAMILY = '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "Source Han Sans SC", sans-serif'
DEFAULT_WIDTH = 900

LOCALE = alt.Locale(
    number={"decimal": ".", "thousands": ",", "grouping": [3], "currency": ["¥", ""]},
    time={
        "dateTime": "%Y年%-m月%-d日 %A %X",
        "date": "%Y年%-m月%-d日",
        "time": "%H:%M:%S",
        "periods": ["上午", "下午"],
        "days": ["星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"],
        "shortDays": ["周日", "周一", "周二", "周三", "周四", "周五", "周六"],
        "months": [L.MONTH_LABELS[m] for m in range(1, 13)],
        "shortMonths": [L.MONTH_LABELS[m] for m in range(1, 13)],
    },
)

# Vega expression: "3月" for a tick on 1 March (UTC), "2023年1月" for January when asked to.
MONTH_LABEL_EXPR = "(utcmonth(datum.value) + 1) + '月'"
MONTH_LABEL_EXPR_WITH_YEAR = (
    "(utcmonth(datum.value) == 0 ? utcyear(datum.value) + '年' : '') + (utcmonth(datum.value) + 1) + '月'"
)

SortKey = Literal["seq", "end", "status"]
Role = Literal["lead", "partner", "both"]
Grain = Literal["event", "day", "week", "month"]

INK = "#1a1a1a"
TARGET_PLANNED_COLOR = "#c6dbef"
TARGET_ACHIEVED_COLOR = "#08519c"


# -- sizes, config --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Sizes:
    """Font and mark sizes for the desk (``big=False``) or the projector (``big=True``)."""

    big: bool = False

    def _k(self, value: float) -> float:
        return round(value * (1.8 if self.big else 1.0), 1)

    @property
    def label(self) -> float:
        return self._k(12)

    @property
    def title(self) -> float:
        return self._k(13)

    @property
    def chart_title(self) -> float:
        return self._k(16)

    @property
    def text(self) -> float:
        return self._k(12)

    @property
    def row(self) -> int:
        return int(self._k(30))

    @property
    def bar(self) -> float:
        return self._k(20)

    @property
    def fill(self) -> float:
        return self._k(8)

    @property
    def point(self) -> float:
        return self._k(self._k(60))  # an area: scale twice

    @property
    def diamond(self) -> float:
        return self._k(self._k(150))

    @property
    def stroke(self) -> float:
        return self._k(2)


# Several legends on top go one above the other from the plot's left edge: side by side they
# overflow a narrow (centred-layout) Streamlit column. Vega-Lite types ``legend.layout`` as an
# expression, so the Vega layout object is written as an expression literal.
STACKED_TOP_LEGENDS = {"expr": "{top: {direction: 'vertical', anchor: 'start', margin: 4}}"}


def _configure(chart: alt.TopLevelMixin, s: Sizes, stacked_legends: bool = False) -> alt.TopLevelMixin:
    # An explicit autosize: without one Streamlit sets "fit", which squeezes a tall Gantt (legend,
    # axis and as-of caption included) into its height and collapses the rows. "fit-x" lets the
    # width follow the container (st.altair_chart(width="stretch")) and keeps the computed height.
    chart = chart.properties(autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
    return (
        chart.configure(font=FONT_FAMILY, locale=LOCALE)
        .configure_axis(labelFont=FONT_FAMILY, titleFont=FONT_FAMILY, labelFontSize=s.label,
                        titleFontSize=s.title, labelColor=INK, titleColor=INK, labelLimit=0)
        .configure_legend(labelFont=FONT_FAMILY, titleFont=FONT_FAMILY, labelFontSize=s.label,
                          titleFontSize=s.title, labelColor=INK, titleColor=INK, symbolSize=s.point * 1.5,
                          labelLimit=0, **({"layout": STACKED_TOP_LEGENDS} if stacked_legends else {}))
        .configure_title(font=FONT_FAMILY, fontSize=s.chart_title, color=INK, anchor="start")
        .configure_text(font=FONT_FAMILY)
        .configure_view(stroke=None)
    )


# -- small helpers --------------------------------------------------------------------------------

def _as_date(value: Any) -> dt.date | None:
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return pd.Timestamp(value).date()


def iso(value: Any) -> str | None:
    """``"2022-04-01"`` for a date, Timestamp or ISO string; None for missing values."""
    day = _as_date(value)
    return day.isoformat() if day is not None else None


def utc_datetime(day: dt.date) -> alt.DateTime:
    """A Vega-Lite DateTime at UTC midnight of ``day`` (for scale domains and tick values)."""
    return alt.DateTime(year=day.year, month=day.month, date=day.day, utc=True)


def month_starts(start: dt.date, end: dt.date) -> list[dt.date]:
    """The 1st of every month from the month of ``start`` that lies in [start, end]."""
    first = dt.date(start.year, start.month, 1)
    if first < start:
        first = _next_month(first)
    days = []
    while first <= end:
        days.append(first)
        first = _next_month(first)
    return days


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)


def month_axis(start: dt.date, end: dt.date, title: str | None = None, **kw: Any) -> alt.Axis:
    """Ticks on the 1st of each month in [start, end], labelled ``3月`` … ``12月`` (UTC)."""
    ticks = month_starts(start, end)
    expr = MONTH_LABEL_EXPR_WITH_YEAR if start.year != end.year else MONTH_LABEL_EXPR
    return alt.Axis(values=[utc_datetime(d) for d in ticks], labelExpr=expr, title=title,
                    grid=True, tickCount=len(ticks), labelOverlap=False, **kw)


def _joined(values: Any) -> str:
    if values is None:
        return ""
    if isinstance(values, str):
        return values
    try:
        return "、".join(str(v) for v in values)
    except TypeError:
        return str(values)


_LEADING_VERBS = ("组织开展", "开展", "举办", "组织")


def short_title(title: str, limit: int = 12) -> str:
    """At most ``limit`` characters, ``…`` when cut; a leading 开展/举办 is dropped from long titles."""
    title = " ".join(str(title or "").split())
    if len(title) > limit:
        for verb in _LEADING_VERBS:
            if title.startswith(verb) and len(title) > len(verb) + 2:
                title = title[len(verb):]
                break
    return title if len(title) <= limit else title[: limit - 1] + "…"


def _lead_label(units: Any) -> str:
    units = [u for u in (units if isinstance(units, (list, tuple)) else [units]) if u] if units is not None else []
    if not units:
        return ""
    return units[0] + ("等" if len(units) > 1 else "")


def _status_color(title: str | None = None, legend: bool = True, orient: str = "top") -> alt.Color:
    domain = [L.STATUS_LABELS[s] for s in L.STATUS_LEGEND_ORDER]
    colors = [L.STATUS_COLORS[s] for s in L.STATUS_LEGEND_ORDER]
    return alt.Color(
        "status_label:N",
        scale=alt.Scale(domain=domain, range=colors),
        legend=alt.Legend(title=title or L.TEXT["status"], orient=orient, direction="horizontal",
                          titleOrient="left", titleAnchor="middle", offset=10)
        if legend else None,
    )


def _title(title: str | None) -> dict[str, str]:
    return {"title": title} if title else {}


def _percent_text(value: float) -> str:
    return f"{value:.0f}%"


# -- Gantt ----------------------------------------------------------------------------------------

def default_domain(year: int) -> tuple[dt.date, dt.date]:
    """1 March – 31 December: the working year of a May Day style plan."""
    return dt.date(year, 3, 1), dt.date(year, 12, 31)


def _early_label(start: pd.Timestamp, axis_start: dt.date) -> str:
    """``◀ 1月起`` for a start before the axis (with the year when it is another year), else empty."""
    if start.date() >= axis_start:
        return ""
    month = L.month_label(start.month, start.year if start.year != axis_start.year else None)
    return f"◀ {month}{L.TEXT['from_month']}"


def gantt_rows(activities: pd.DataFrame, as_of: dt.date | None = None, domain: tuple[dt.date, dt.date] | None = None,
               sort: SortKey = "seq") -> pd.DataFrame:
    """The Gantt's data, one row per activity that has both a start and an end, in display order.

    ``end_x`` is the day after ``end`` (bars cover the last day); ``progress_x`` is
    ``start + percent x (end_x - start)``; ``row`` is the y label ``"1. 短标题（牵头部门）"``.
    """
    as_of = _as_date(as_of) or dt.date.today()
    d0, d1 = domain or default_domain(as_of.year)
    columns = ["row", "plan_id", "seq", "stream", "title", "status", "status_label", "status_text", "start", "end",
               "end_x", "progress_x", "percent", "percent_text", "text_inside", "text_x", "window_text", "leads",
               "partners", "unit_parts", "last_report", "start_label", "end_label", "early_label", "planned_end_x",
               "planned_end_label"]
    if activities is None or activities.empty:
        return pd.DataFrame(columns=columns)
    frame = activities[activities["start"].notna() & activities["end"].notna()].copy()
    if frame.empty:
        return pd.DataFrame(columns=columns)
    frame["start"] = pd.to_datetime(frame["start"]).dt.normalize()
    frame["end"] = pd.to_datetime(frame["end"]).dt.normalize()
    attention = {s: i for i, s in enumerate(L.STATUS_ORDER)}
    frame["_attention"] = frame["status"].map(attention).fillna(len(attention))
    keys = {"seq": ["plan_id", "seq"], "end": ["end", "plan_id", "seq"],
            "status": ["_attention", "end", "plan_id", "seq"]}[sort]
    frame = frame.sort_values(keys, kind="stable")

    end_x = frame["end"] + pd.Timedelta(days=1)
    span = end_x - frame["start"]
    percent = pd.to_numeric(frame["percent"], errors="coerce").fillna(0).clip(0, 100)
    progress = (frame["start"] + span * (percent / 100.0)).dt.round("D")
    domain_end_x = pd.Timestamp(d1) + pd.Timedelta(days=1)
    inside = end_x > domain_end_x - pd.Timedelta(days=20)
    rows = pd.DataFrame({
        "plan_id": frame["plan_id"].to_numpy(),
        "seq": frame["seq"].to_numpy(),
        "stream": frame["stream"].to_numpy(),
        "title": frame["title"].fillna("").astype(str).to_numpy(),
        "status": frame["status"].to_numpy(),
        "status_label": frame["status"].map(L.STATUS_LABELS).fillna(frame["status"]).to_numpy(),
        "status_text": [L.status_text(s, r, pending=bool(p)) for s, r, p in zip(
            frame["status"], frame["reason"] if "reason" in frame.columns else [""] * len(frame),
            frame["review_pending"] if "review_pending" in frame.columns else [False] * len(frame))],
        "start": [iso(v) for v in frame["start"]],
        "end": [iso(v) for v in frame["end"]],
        "end_x": [iso(v) for v in end_x],
        "progress_x": [iso(v) for v in progress],
        "percent": percent.to_numpy(),
        "percent_text": [_percent_text(v) for v in percent],
        # Partners' own parts beside the lead's percent (views.with_unit_parts), when the page gives them.
        "unit_parts": (frame["unit_parts"].fillna("").astype(str).to_numpy() if "unit_parts" in frame.columns
                       else [""] * len(frame)),
        "text_inside": inside.to_numpy(),
        "text_x": [iso(min(v, domain_end_x)) for v in end_x],
        "window_text": frame["window_text"].fillna("").astype(str).to_numpy(),
        "leads": [_joined(v) for v in frame["lead_units"]],
        "partners": [_joined(v) for v in frame["partner_units"]],
        "last_report": [L.date_label(v, with_year=True) or L.TEXT["not_reported"] for v in frame["last_report_on"]],
        "start_label": [L.date_label(v, with_year=True) for v in frame["start"]],
        "end_label": [L.date_label(v, with_year=True) for v in frame["end"]],
        # A bar that begins before the axis says when it begins: a whole-year activity must not look
        # as if it started in March with the axis.
        "early_label": [_early_label(v, d0) for v in frame["start"]],
    })
    # An end moved (延期 approved, a revision): the original end stays on the row as a thin mark.
    planned = (pd.to_datetime(frame["planned_end"]).dt.normalize() if "planned_end" in frame.columns
               else frame["end"])
    moved = planned.notna() & (planned != frame["end"])
    rows["planned_end_x"] = [iso(p + pd.Timedelta(days=1)) if m else "" for p, m in zip(planned, moved)]
    rows["planned_end_label"] = [L.date_label(p, with_year=True) if m else "" for p, m in zip(planned, moved)]
    labels = [f"{seq}. {short_title(t)}（{_lead_label(u)}）" if _lead_label(u) else f"{seq}. {short_title(t)}"
              for seq, t, u in zip(frame["seq"], frame["title"], frame["lead_units"])]
    seen: dict[str, int] = {}
    unique = []
    for text, plan in zip(labels, rows["plan_id"]):
        if text in seen:
            text = f"{text} [{plan}]"
        seen[text] = 1
        unique.append(text)
    rows.insert(0, "row", unique)
    return rows[columns].reset_index(drop=True)


MILESTONES_NAMED = 3   # names a diamond's tooltip gives before it counts the rest


def gantt_milestones(milestones: pd.DataFrame | None, rows: pd.DataFrame) -> pd.DataFrame:
    """Milestones placed on the Gantt's rows: at ``due``, or at ``reached_on`` when there is no due.

    The milestones of one row on one day, in one state, are one diamond ("初赛、复赛、决赛", or
    "1号活动阶段节点 等12个节点" past three names or for names said twice): drawn
    apart they lie exactly on each other, so the tooltip could name only the top one, and a busy
    log's thousands of stage milestones would all be serialised and sent to every browser."""
    columns = ["row", "x", "reached", "state", "title", "count", "due_label", "reached_label"]
    if milestones is None or milestones.empty or rows.empty:
        return pd.DataFrame(columns=columns)
    due = pd.to_datetime(milestones["due"]).dt.normalize()
    reached_on = pd.to_datetime(milestones["reached_on"]).dt.normalize()
    frame = pd.DataFrame({"row": milestones["stream"].map(dict(zip(rows["stream"], rows["row"]))),
                          "at": due.where(due.notna(), reached_on), "dated": due.notna(),
                          "reached": reached_on.notna(), "reached_on": reached_on,
                          "title": milestones["title"].fillna("").astype(str)})
    frame = frame[frame["row"].notna() & frame["at"].notna()]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    marks = frame.groupby(["row", "at", "dated", "reached"], sort=False).agg(
        titles=("title", lambda t: list(dict.fromkeys(t))[:MILESTONES_NAMED]), count=("title", "size"),
        first_reached=("reached_on", "min"), last_reached=("reached_on", "max")).reset_index()
    none, open_ = L.TEXT["none"], L.TEXT["milestone_open"]
    return pd.DataFrame({
        "row": marks["row"], "x": [iso(v) for v in marks["at"]], "reached": marks["reached"].astype(bool),
        "state": [L.TEXT["reached"] if r else open_ for r in marks["reached"]],
        "title": ["、".join(t) if len(t) == n else L.TEXT["milestone_group"].format(title="、".join(t), count=n)
                  for t, n in zip(marks["titles"], marks["count"])],
        "count": marks["count"].astype(int),
        "due_label": [L.date_label(at, with_year=True) if dated else none
                      for at, dated in zip(marks["at"], marks["dated"])],
        "reached_label": [_span_label(a, b) if r else open_
                          for a, b, r in zip(marks["first_reached"], marks["last_reached"], marks["reached"])],
    }, columns=columns)


def _span_label(first: pd.Timestamp, last: pd.Timestamp) -> str:
    """``2022年4月20日``, or ``2022年4月20日—2022年5月3日`` for a diamond of milestones reached on several days."""
    a, b = L.date_label(first, with_year=True), L.date_label(last, with_year=True)
    return a if a == b else f"{a}—{b}"


def gantt(activities: pd.DataFrame, milestones: pd.DataFrame | None = None, as_of: dt.date | None = None,
          domain: tuple[dt.date, dt.date] | None = None, sort: SortKey = "seq", *, big: bool = False,
          width: int = DEFAULT_WIDTH, title: str | None = None) -> alt.LayerChart:
    """Activities as bars from start to end coloured by status, with progress, milestones and the as-of rule.

    ``domain`` (inclusive dates) limits the x axis, 1 March – 31 December of ``as_of``'s year by
    default; bars are clipped at its edges so whole-year activities run on past the left edge.
    Activities without a start or an end are left out (``gantt_rows`` says which are drawn).
    """
    s = Sizes(big)
    as_of = _as_date(as_of) or dt.date.today()
    d0, d1 = domain or default_domain(as_of.year)
    d0, d1 = _as_date(d0), _as_date(d1)
    d1x = d1 + dt.timedelta(days=1)
    rows = gantt_rows(activities, as_of, (d0, d1), sort)
    marks = gantt_milestones(milestones, rows)
    order = list(rows["row"])

    x_scale = alt.Scale(type="utc", domain=[utc_datetime(d0), utc_datetime(d1x)], nice=False)
    x_axis = month_axis(d0, d1, title=None, orient="top", labelPadding=4)
    y = alt.Y("row:N", sort=order, title=None,
              axis=alt.Axis(labelLimit=0, labelFontSize=s.label, ticks=False, domain=False,
                            labelPadding=8, grid=False))
    tooltip = [
        alt.Tooltip("title:N", title=L.TEXT["activity"]),
        alt.Tooltip("status_text:N", title=L.TEXT["status"]),
        alt.Tooltip("window_text:N", title=L.COLUMN_LABELS["window_text"]),
        alt.Tooltip("start_label:N", title=L.COLUMN_LABELS["start"]),
        alt.Tooltip("end_label:N", title=L.COLUMN_LABELS["end"]),
        alt.Tooltip("leads:N", title=L.COLUMN_LABELS["lead_units"]),
        alt.Tooltip("partners:N", title=L.COLUMN_LABELS["partner_units"]),
        alt.Tooltip("percent_text:N", title=L.TEXT["progress"]),
        alt.Tooltip("unit_parts:N", title=L.COLUMN_LABELS["unit_parts"]),
        alt.Tooltip("last_report:N", title=L.COLUMN_LABELS["last_report_on"]),
    ]
    base = alt.Chart(rows)
    bars = base.mark_bar(size=s.bar, clip=True, cornerRadius=2).encode(
        y=y,
        x=alt.X("start:T", scale=x_scale, axis=x_axis),
        x2="end_x:T",
        color=_status_color(),
        tooltip=tooltip,
    )
    fill = base.transform_filter("datum.percent > 0").mark_bar(
        size=s.fill, clip=True, color=INK, opacity=0.45).encode(
        y=y, x="start:T", x2="progress_x:T", tooltip=tooltip)
    text_out = base.transform_filter("!datum.text_inside").mark_text(
        align="left", baseline="middle", dx=4, fontSize=s.text, color=INK, clip=True).encode(
        y=y, x="end_x:T", text="percent_text:N", tooltip=tooltip)
    text_in = base.transform_filter("datum.text_inside").mark_text(
        align="right", baseline="middle", dx=-4, fontSize=s.text, fontWeight="bold", clip=True).encode(
        y=y, x="text_x:T", text="percent_text:N", tooltip=tooltip,
        color=alt.when("datum.status == 'at_risk' || datum.status == 'not_started'")
        .then(alt.value(INK)).otherwise(alt.value("#ffffff")))
    early = base.transform_filter("datum.early_label != ''").mark_text(
        align="left", baseline="middle", dx=4, fontSize=s.text, fontWeight="bold").encode(
        y=y, x=alt.value(0), text="early_label:N", tooltip=tooltip,
        color=alt.when("datum.status == 'at_risk' || datum.status == 'not_started'")
        .then(alt.value(INK)).otherwise(alt.value("#ffffff")))
    diamonds = alt.Chart(marks).mark_point(
        shape="diamond", filled=True, size=s.diamond, stroke=INK, strokeWidth=s.stroke / 1.3,
        clip=True, opacity=1).encode(
        y=y, x="x:T",
        fill=alt.Fill("state:N", scale=alt.Scale(domain=[L.TEXT["reached"], L.TEXT["milestone_open"]],
                                                 range=[INK, "#ffffff"]),
                      legend=alt.Legend(title=L.TEXT["milestone"], orient="top", direction="horizontal",
                                        titleOrient="left", titleAnchor="middle", offset=10,
                                        symbolType="diamond", symbolStrokeColor=INK)),
        tooltip=[alt.Tooltip("title:N", title=L.TEXT["milestone"]),
                 alt.Tooltip("due_label:N", title=L.TEXT["milestone_due"]),
                 alt.Tooltip("reached_label:N", title=L.TEXT["milestone_reached"])],
    )
    planned_end = base.transform_filter("datum.planned_end_x != ''").mark_tick(
        orient="vertical", thickness=max(2, s.stroke), size=s.bar + 8, color=INK, clip=True).encode(
        y=y, x="planned_end_x:T",
        tooltip=[alt.Tooltip("title:N", title=L.TEXT["activity"]),
                 alt.Tooltip("planned_end_label:N", title=L.COLUMN_LABELS["planned_end"]),
                 alt.Tooltip("end_label:N", title=L.COLUMN_LABELS["end"])])
    in_domain = d0 <= as_of <= d1x
    today = pd.DataFrame({"x": [iso(as_of)], "label": [L.as_of_label(as_of)]})
    rule = alt.Chart(today).mark_rule(color=INK, strokeDash=[6, 4], strokeWidth=s.stroke, clip=True).encode(
        x="x:T", tooltip=[alt.Tooltip("label:N", title=L.TEXT["date"])])
    height = max(s.row * 2, s.row * len(rows))
    caption = alt.Chart(today if in_domain else today.iloc[0:0]).mark_text(
        align="center", baseline="top", dy=4, fontSize=s.text, fontWeight="bold", color=INK).encode(
        x="x:T", y=alt.value(height), text="label:N")

    chart = alt.layer(bars, fill, planned_end, rule, text_out, text_in, early, diamonds, caption).properties(
        width=width, height=height, **_title(title))
    return _configure(chart, s, stacked_legends=True)


# -- overview -------------------------------------------------------------------------------------

def status_counts(activities: pd.DataFrame) -> pd.DataFrame:
    """Count of activities per status, all five statuses, worst first."""
    counts = (activities["status"].value_counts() if activities is not None and not activities.empty
              else pd.Series(dtype="int64"))
    return pd.DataFrame({
        "status": list(L.STATUS_ORDER),
        "status_label": [L.STATUS_LABELS[s] for s in L.STATUS_ORDER],
        "count": [int(counts.get(s, 0)) for s in L.STATUS_ORDER],
    })


def status_bar(activities: pd.DataFrame, *, big: bool = False, width: int = DEFAULT_WIDTH,
               title: str | None = None) -> alt.LayerChart:
    """Horizontal bars: how many activities are overdue, at risk, on track, not started, done."""
    s = Sizes(big)
    data = status_counts(activities)
    order = list(data["status_label"])
    top = max(1, int(data["count"].max()))
    y = alt.Y("status_label:N", sort=order, title=None, axis=alt.Axis(ticks=False, domain=False))
    x = alt.X("count:Q", title=L.TEXT["activities_count"],
              scale=alt.Scale(domain=[0, top * 1.15], nice=False),
              axis=alt.Axis(tickMinStep=1, format="d"))
    tooltip = [alt.Tooltip("status_label:N", title=L.TEXT["status"]),
               alt.Tooltip("count:Q", title=L.TEXT["activities_count"])]
    base = alt.Chart(data)
    bars = base.mark_bar(size=s.bar * 1.2, cornerRadiusEnd=3).encode(
        y=y, x=x, color=_status_color(legend=False), tooltip=tooltip)
    text = base.mark_text(align="left", dx=6, fontSize=s.text * 1.3, fontWeight="bold", color=INK).encode(
        y=y, x=x, text="count:Q")
    chart = alt.layer(bars, text).properties(width=width, height=s.row * 1.4 * len(order),
                                             **_title(title))
    return _configure(chart, s)


def target_rows(targets: pd.DataFrame) -> pd.DataFrame:
    """One row per target: ``奖章（个）``, planned, achieved and the text ``12 / 20``."""
    columns = ["row", "plan_id", "seq", "key", "label", "planned", "achieved", "text", "share", "x_text"]
    if targets is None or targets.empty:
        return pd.DataFrame(columns=columns)
    frame = targets.sort_values(["plan_id", "seq", "key"], kind="stable")
    names = [f"{lab}（{u}）" if u else str(lab) for lab, u in zip(frame["label"], frame["unit"].fillna(""))]
    dup = pd.Series(names).duplicated(keep=False).to_numpy()
    names = [f"{seq}. {n}" if d else n for n, seq, d in zip(names, frame["seq"], dup)]
    planned = frame["planned"].fillna(0).astype(int).to_numpy()
    achieved = frame["achieved"].fillna(0).astype(int).to_numpy()
    return pd.DataFrame({
        "row": names, "plan_id": frame["plan_id"].to_numpy(), "seq": frame["seq"].to_numpy(),
        "key": frame["key"].to_numpy(), "label": frame["label"].to_numpy(),
        "planned": planned, "achieved": achieved,
        "text": [f"{a} / {p}" for a, p in zip(achieved, planned)],
        "share": [f"{(a / p * 100):.0f}%" if p else "" for a, p in zip(achieved, planned)],
        "x_text": [max(a, p) for a, p in zip(achieved, planned)],
    }, columns=columns)


def targets_bars(targets: pd.DataFrame, *, big: bool = False, width: int = DEFAULT_WIDTH,
                 title: str | None = None) -> alt.LayerChart:
    """Each target as a light bar of the planned quantity with the achieved part solid over it."""
    s = Sizes(big)
    data = target_rows(targets)
    order = list(data["row"])
    top = max(1, int(data["x_text"].max())) if len(data) else 1
    y = alt.Y("row:N", sort=order, title=None, axis=alt.Axis(ticks=False, domain=False))
    # Room at the right for the widest "25 / 40" label: on the projector the type is 1.8x wider.
    x_scale = alt.Scale(domain=[0, top * (1.7 if big else 1.25)], nice=False)
    legend_scale = alt.Scale(domain=[L.TEXT["planned"], L.TEXT["achieved"]],
                             range=[TARGET_PLANNED_COLOR, TARGET_ACHIEVED_COLOR])
    legend = alt.Legend(title=None, orient="top", direction="horizontal")
    tooltip = [alt.Tooltip("row:N", title=L.TEXT["target"]),
               alt.Tooltip("planned:Q", title=L.TEXT["planned"]),
               alt.Tooltip("achieved:Q", title=L.TEXT["achieved"]),
               alt.Tooltip("share:N", title=L.TEXT["progress"])]
    base = alt.Chart(data)
    color = alt.Color("kind:N", scale=legend_scale, legend=legend)
    planned = base.transform_calculate(kind=repr(L.TEXT["planned"])).mark_bar(size=s.bar * 1.2).encode(
        y=y, x=alt.X("planned:Q", scale=x_scale, title=L.TEXT["count"], axis=alt.Axis(tickMinStep=1)),
        color=color, tooltip=tooltip)
    achieved = base.transform_calculate(kind=repr(L.TEXT["achieved"])).mark_bar(size=s.bar * 1.2).encode(
        y=y, x=alt.X("achieved:Q", scale=x_scale), color=color, tooltip=tooltip)
    text = base.mark_text(align="left", dx=6, fontSize=s.text * 1.2, fontWeight="bold", color=INK).encode(
        y=y, x=alt.X("x_text:Q", scale=x_scale), text="text:N", tooltip=tooltip)
    chart = alt.layer(planned, achieved, text).properties(
        width=width, height=max(s.row * 2, s.row * (1.0 if big else 1.3) * len(order)), **_title(title))
    return _configure(chart, s)


# -- timeline -------------------------------------------------------------------------------------

def _event_days(log: pd.DataFrame, by: str) -> pd.Series:
    if by == "recorded_at":
        moments = pd.to_datetime(log["recorded_at"], utc=True).dt.tz_convert("Asia/Shanghai").dt.tz_localize(None)
        return moments.dt.normalize()
    return pd.to_datetime(log["occurred_on"]).dt.normalize()


TIMELINE_MARKS = 1000   # up to this many events the timeline marks each one; more, it charts counts


def timeline_data(log: pd.DataFrame, max_marks: int = TIMELINE_MARKS, by: str = "occurred_on") -> tuple[pd.DataFrame, Grain]:
    """The timeline's data and its grain, at most ``max_marks`` rows whatever the log's size.

    Up to ``max_marks`` events: one row per event (grain ``"event"``). More, or a ``log`` that is
    already counts (an ``events`` column: events per row's day and type): counts per day, week
    (Monday) or month and event type — the finest grain whose rows fit in ``max_marks``, day only
    while the span is under half a year — with ``y0``/``y1`` already stacked in type order.
    ``by`` is ``"occurred_on"`` (business date) or ``"recorded_at"`` (its day in Asia/Shanghai).
    """
    type_rank = {t: i for i, t in enumerate(L.EVENT_TYPE_ORDER)}
    if log is None or log.empty:
        return pd.DataFrame(columns=["date", "type", "type_label", "jitter", "position", "stream", "seq",
                                     "actor", "unit", "note", "retracted", "date_label", "retracted_label"]), "event"
    days = _event_days(log, by)
    counted = "events" in log   # rows that are already counts per day and type (Projector.timeline_counts)
    if not counted and len(log) <= max_marks:
        position = pd.to_numeric(log["position"], errors="coerce").fillna(0).to_numpy()
        data = pd.DataFrame({
            "date": [iso(d) for d in days],
            "type": log["type"].to_numpy(),
            "type_label": log["type"].map(L.EVENT_TYPE_LABELS).fillna(log["type"]).to_numpy(),
            "jitter": (position * 0.6180339887) % 1 - 0.5,
            "position": log["position"].to_numpy(),
            "stream": log["stream"].to_numpy(),
            "seq": [None if pd.isna(v) else int(v) for v in log.get("seq", pd.Series([None] * len(log)))],
            "actor": log["actor"].fillna("").to_numpy(),
            "unit": log["unit"].fillna("").to_numpy(),
            "note": log["note"].fillna("").astype(str).str.slice(0, 80).to_numpy(),
            "retracted": log["retracted"].astype(bool).to_numpy() if "retracted" in log else False,
        })
        # Tooltip words, ready-made: Vega formats an ISO string as NaN, and a boolean in English.
        data["date_label"] = [L.date_label(d, with_year=True) for d in days]
        data["retracted_label"] = data["retracted"].map({True: L.TEXT["yes"], False: L.TEXT["no"]})
        return data.reset_index(drop=True), "event"

    span_days = (days.max() - days.min()).days + 1
    frame = pd.DataFrame({"day": days, "type": log["type"].to_numpy(),
                          "n": log["events"].to_numpy() if counted else 1})
    grouped: pd.DataFrame | None = None
    grain: Grain = "month"
    for grain in ("day", "week", "month"):
        if grain == "day" and span_days > 184:
            continue
        if grain == "day":
            start, end = frame["day"], frame["day"] + pd.Timedelta(days=1)
        elif grain == "week":
            start = frame["day"] - pd.to_timedelta(frame["day"].dt.day_of_week, unit="D")
            end = start + pd.Timedelta(days=7)
        else:
            start = frame["day"].dt.to_period("M").dt.start_time
            end = (frame["day"].dt.to_period("M") + 1).dt.start_time
        grouped = (frame.assign(start=start, end=end)
                   .groupby(["start", "end", "type"], as_index=False)["n"].sum()
                   .rename(columns={"n": "events"}))
        if len(grouped) <= max_marks:
            break
    assert grouped is not None
    if len(grouped) > max_marks:  # centuries of months: keep the latest periods
        grouped = grouped.sort_values("start").iloc[-max_marks:]
    grouped["_rank"] = grouped["type"].map(type_rank).fillna(len(type_rank))
    grouped = grouped.sort_values(["start", "_rank"], kind="stable")
    grouped["y1"] = grouped.groupby("start")["events"].cumsum()
    grouped["y0"] = grouped["y1"] - grouped["events"]
    data = pd.DataFrame({
        "date": [iso(d) for d in grouped["start"]],
        "date_end": [iso(d) for d in grouped["end"]],
        "period": [_period_label(d, grain) for d in grouped["start"]],
        "type": grouped["type"].to_numpy(),
        "type_label": grouped["type"].map(L.EVENT_TYPE_LABELS).fillna(grouped["type"]).to_numpy(),
        "events": grouped["events"].astype(int).to_numpy(),
        "y0": grouped["y0"].astype(int).to_numpy(),
        "y1": grouped["y1"].astype(int).to_numpy(),
    })
    return data.reset_index(drop=True), grain


def _period_label(start: pd.Timestamp, grain: str) -> str:
    if grain == "month":
        return f"{start.year}年{start.month}月"
    if grain == "week":
        return f"{L.date_label(start, with_year=True)}起一周"
    return L.date_label(start, with_year=True)


def _type_color(legend: bool, present: Sequence[str] = ()) -> alt.Color:
    """Event types keep one colour everywhere; the legend lists only the types present."""
    domain = [L.EVENT_TYPE_LABELS[t] for t in L.EVENT_TYPE_ORDER]
    shown = [L.EVENT_TYPE_LABELS[t] for t in L.EVENT_TYPE_ORDER if t in set(present)]
    return alt.Color("type_label:N", scale=alt.Scale(domain=domain, range=[L.EVENT_TYPE_COLORS[t]
                                                                           for t in L.EVENT_TYPE_ORDER]),
                     legend=alt.Legend(title=L.TEXT["event_type"], orient="right", values=shown or domain)
                     if legend else None)


def _time_axis(dates: Sequence[str | None], domain: tuple[dt.date, dt.date] | None,
               pad_to_month_end: bool = True) -> tuple[alt.Scale, alt.Axis]:
    """A UTC scale over ``domain`` (inclusive) or the data's months, and a month axis when it spans months."""
    known = [dt.date.fromisoformat(d) for d in dates if d]
    if domain is not None:
        lo, hi = _as_date(domain[0]), _as_date(domain[1])
    elif known:
        lo, hi = min(known), max(known)
    else:
        lo = hi = dt.date.today()
    if domain is None and pad_to_month_end:
        lo = dt.date(lo.year, lo.month, 1)
        hi = _next_month(hi) - dt.timedelta(days=1)
    end = hi + dt.timedelta(days=1) if (domain is not None or pad_to_month_end) else hi
    if end <= lo:
        end = lo + dt.timedelta(days=1)
    scale = alt.Scale(type="utc", domain=[utc_datetime(lo), utc_datetime(end)], nice=False)
    if len(month_starts(lo, hi)) >= 2:
        return scale, month_axis(lo, hi, title=None)
    return scale, alt.Axis(format="%-m月%-d日", title=None, labelOverlap=True)


def timeline(log: pd.DataFrame, max_marks: int = TIMELINE_MARKS, *, by: str = "occurred_on",
             domain: tuple[dt.date, dt.date] | None = None, big: bool = False, width: int = DEFAULT_WIDTH,
             title: str | None = None) -> alt.Chart:
    """Events over time coloured by type: a point per event, or stacked bars of counts when many."""
    s = Sizes(big)
    data, grain = timeline_data(log, max_marks, by)
    scale, axis = _time_axis(list(data["date"]) + list(data.get("date_end", [])), domain)
    x = alt.X("date:T", scale=scale, axis=axis)
    if grain == "event":
        order = [L.EVENT_TYPE_LABELS[t] for t in L.EVENT_TYPE_ORDER
                 if t in set(data["type"])] + sorted(set(data["type_label"]) - set(L.EVENT_TYPE_LABELS.values()))
        chart = alt.Chart(data).mark_point(filled=True, size=s.point, clip=True).encode(
            x=x,
            y=alt.Y("type_label:N", sort=order, title=None, axis=alt.Axis(ticks=False, domain=False)),
            yOffset=alt.YOffset("jitter:Q", scale=alt.Scale(domain=[-0.5, 0.5])),
            color=_type_color(legend=False),
            opacity=alt.when("datum.retracted").then(alt.value(0.3)).otherwise(alt.value(0.85)),
            tooltip=[alt.Tooltip("type_label:N", title=L.TEXT["event_type"]),
                     alt.Tooltip("date_label:N", title=L.TEXT["date"]),
                     alt.Tooltip("seq:N", title=L.COLUMN_LABELS["seq"]),
                     alt.Tooltip("unit:N", title=L.TEXT["unit"]),
                     alt.Tooltip("actor:N", title=L.TEXT["actor"]),
                     alt.Tooltip("note:N", title=L.TEXT["note"]),
                     alt.Tooltip("retracted_label:N", title=L.TEXT["retracted"])],
        ).properties(width=width, height=max(s.row * 2, s.row * 1.2 * max(1, len(order))),
                     **_title(title))
    else:
        chart = alt.Chart(data).mark_bar(clip=True).encode(
            x=x, x2="date_end:T",
            y=alt.Y("y0:Q", title=L.TEXT["events"]), y2="y1:Q",
            color=_type_color(legend=True, present=list(data["type"])),
            tooltip=[alt.Tooltip("period:N", title=L.TEXT["date"]),
                     alt.Tooltip("type_label:N", title=L.TEXT["event_type"]),
                     alt.Tooltip("events:Q", title=L.TEXT["events"])],
        ).properties(width=width, height=int(s._k(320)), **_title(title))
    return _configure(chart, s)


# -- workload -------------------------------------------------------------------------------------

def heatmap_data(workload: pd.DataFrame, role: Role = "lead",
                 months: Sequence[dt.date] | None = None) -> pd.DataFrame:
    """unit x month values: active activities for ``lead``/``partner``, summed weight for ``both``."""
    columns = ["unit", "month", "month_label", "value"]
    if workload is None or workload.empty:
        return pd.DataFrame(columns=columns)
    frame = workload.copy()
    frame["month"] = pd.to_datetime(frame["month"]).dt.to_period("M").dt.start_time
    if role == "both":
        data = frame.groupby(["unit", "month"], as_index=False)["weight"].sum().rename(columns={"weight": "value"})
    else:
        data = (frame[frame["role"] == role].groupby(["unit", "month"], as_index=False)["activities"].sum()
                .rename(columns={"activities": "value"}))
    if months is not None:
        keep = {pd.Timestamp(m).to_period("M").start_time for m in months}
        data = data[data["month"].isin(keep)]
    multi_year = data["month"].dt.year.nunique() > 1 if len(data) else False
    data["month_label"] = [L.month_label(m.month, m.year if multi_year else None) for m in data["month"]]
    data["month"] = [iso(m) for m in data["month"]]
    return data[columns].reset_index(drop=True)


def _month_order(data_months: Sequence[str], months: Sequence[dt.date] | None) -> list[tuple[str, str]]:
    if months is not None:
        stamps = sorted({pd.Timestamp(m).to_period("M").start_time for m in months})
    elif len(data_months):
        known = sorted(pd.Timestamp(m) for m in set(data_months))
        stamps = list(pd.period_range(known[0].to_period("M"), known[-1].to_period("M"), freq="M").start_time)
    else:
        stamps = []
    multi_year = len({s.year for s in stamps}) > 1
    return [(iso(s), L.month_label(s.month, s.year if multi_year else None)) for s in stamps]


def workload_heatmap(workload: pd.DataFrame, role: Role = "lead", *, months: Sequence[dt.date] | None = None,
                     big: bool = False, width: int = DEFAULT_WIDTH, title: str | None = None) -> alt.LayerChart:
    """unit x month rectangles: the number of active activities (or the weight for ``both``), in cells."""
    s = Sizes(big)
    data = heatmap_data(workload, role, months)
    month_order = [label for _, label in _month_order(list(data["month"]), months)]
    totals = data.groupby("unit")["value"].sum().sort_values(ascending=False, kind="stable")
    units = sorted(totals.index, key=lambda u: (-totals[u], u))
    value_title = L.TEXT["weight"] if role == "both" else L.TEXT["activities_count"]
    top = float(data["value"].max()) if len(data) else 1.0
    x = alt.X("month_label:O", sort=month_order, scale=alt.Scale(domain=month_order), title=None,
              axis=alt.Axis(orient="top", labelAngle=0, ticks=False, domain=False))
    y = alt.Y("unit:N", sort=units, title=None, axis=alt.Axis(ticks=False, domain=False))
    tooltip = [alt.Tooltip("unit:N", title=L.TEXT["unit"]),
               alt.Tooltip("month_label:N", title=L.TEXT["month"]),
               alt.Tooltip("value:Q", title=value_title, format=".3~f")]
    base = alt.Chart(data)
    rect = base.mark_rect(stroke="#ffffff", strokeWidth=1).encode(
        x=x, y=y, tooltip=tooltip,
        color=alt.Color("value:Q", scale=alt.Scale(scheme="blues", domainMin=0),
                        legend=alt.Legend(title=value_title, orient="right", gradientLength=s.row * 4)))
    text = base.mark_text(fontSize=s.text, baseline="middle").encode(
        x=x, y=y, text=alt.Text("value:Q", format=".3~f"), tooltip=tooltip,
        color=alt.when(f"datum.value > {top * 0.55!r}").then(alt.value("#ffffff")).otherwise(alt.value(INK)))
    chart = alt.layer(rect, text).properties(
        width=width, height=max(s.row * 2, int(s.row * 0.9) * len(units)),
        title=title or (f"{L.TEXT['workload']}（{L.ROLE_LABELS.get(role, role)}"
                        f"{'，' + L.TEXT['weighted'] if role == 'both' else ''}）"))
    return _configure(chart, s)


def unit_role_counts(activities: pd.DataFrame, groups: Mapping[str, Sequence[str]] | None = None) -> pd.DataFrame:
    """Distinct activities per unit and role over the whole plan: ``unit, role, activities``.

    Counted from the activities frame (the workload frame is per month: summing or taking the max
    over months would count an activity several times or too few). With ``groups`` (group name ->
    member units, from the unit registry), a group named in the plan counts for each member instead.
    """
    columns = ["unit", "role", "activities"]
    if activities is None or activities.empty:
        return pd.DataFrame(columns=columns).astype({"activities": "int64"})
    rows = []
    for a in activities.itertuples(index=False):
        for role, units in (("lead", a.lead_units), ("partner", a.partner_units)):
            for unit in list(units) if units is not None else []:
                members = list(groups.get(unit, [unit])) if groups else [unit]
                for member in members or [unit]:
                    rows.append((member, role, a.stream))
    frame = pd.DataFrame(rows, columns=["unit", "role", "stream"])
    counts = frame.groupby(["unit", "role"], as_index=False)["stream"].nunique().rename(
        columns={"stream": "activities"})
    return counts[columns].astype({"activities": "int64"}).reset_index(drop=True)


def unit_bars(counts: pd.DataFrame, *, big: bool = False, width: int = DEFAULT_WIDTH,
              title: str | None = None) -> alt.LayerChart:
    """Activities per unit, lead and partner stacked, busiest unit first (from ``unit_role_counts``)."""
    s = Sizes(big)
    data = counts.copy() if counts is not None else pd.DataFrame(columns=["unit", "role", "activities"])
    data["role_label"] = data["role"].map(L.ROLE_LABELS).fillna(data["role"])
    data["role_order"] = data["role"].map({"lead": 0, "partner": 1}).fillna(2)
    totals = data.groupby("unit")["activities"].sum()
    units = sorted(totals.index, key=lambda u: (-totals[u], u))
    total_frame = pd.DataFrame({"unit": units, "total": [int(totals[u]) for u in units]})
    top = max(1, int(total_frame["total"].max())) if len(total_frame) else 1
    y = alt.Y("unit:N", sort=units, title=None, axis=alt.Axis(ticks=False, domain=False))
    x_scale = alt.Scale(domain=[0, top * 1.12], nice=False)
    roles = ["lead", "partner"]
    bars = alt.Chart(data).mark_bar(size=s.bar).encode(
        y=y,
        x=alt.X("activities:Q", stack="zero", scale=x_scale, title=L.TEXT["activities_count"],
                axis=alt.Axis(tickMinStep=1, format="d")),
        color=alt.Color("role_label:N", scale=alt.Scale(domain=[L.ROLE_LABELS[r] for r in roles],
                                                        range=[L.ROLE_COLORS[r] for r in roles]),
                        legend=alt.Legend(title=L.TEXT["role"], orient="top", direction="horizontal")),
        order=alt.Order("role_order:Q"),
        tooltip=[alt.Tooltip("unit:N", title=L.TEXT["unit"]),
                 alt.Tooltip("role_label:N", title=L.TEXT["role"]),
                 alt.Tooltip("activities:Q", title=L.TEXT["activities_count"])],
    )
    text = alt.Chart(total_frame).mark_text(align="left", dx=4, fontSize=s.text, color=INK).encode(
        y=y, x=alt.X("total:Q", scale=x_scale), text="total:Q")
    chart = alt.layer(bars, text).properties(
        width=width, height=max(s.row * 2, int(s.row * 0.9) * len(units)), **_title(title))
    return _configure(chart, s)


# -- participation --------------------------------------------------------------------------------

def participation_monthly(participation: pd.DataFrame, units: Sequence[str] | None = None) -> pd.DataFrame:
    """Participants per unit and month (months without a report count 0 between the first and last)."""
    columns = ["unit", "month", "month_label", "participants", "sessions"]
    if participation is None or participation.empty:
        return pd.DataFrame(columns=columns)
    frame = participation.copy()
    day = pd.to_datetime(frame["date"])
    if "occurred_on" in frame:
        day = day.fillna(pd.to_datetime(frame["occurred_on"]))
    frame["month"] = day.dt.to_period("M").dt.start_time
    frame = frame[frame["month"].notna() & frame["unit"].notna()]
    if units is not None:
        frame = frame[frame["unit"].isin(list(units))]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    sums = frame.groupby(["unit", "month"], as_index=False)[["participants", "sessions"]].sum()
    months = pd.period_range(sums["month"].min().to_period("M"), sums["month"].max().to_period("M"),
                             freq="M").start_time
    names = list(units) if units is not None else sorted(sums["unit"].unique())
    grid = pd.MultiIndex.from_product([names, months], names=["unit", "month"]).to_frame(index=False)
    data = grid.merge(sums, on=["unit", "month"], how="left").fillna({"participants": 0, "sessions": 0})
    data = data[data["unit"].isin(set(sums["unit"]))]
    multi_year = len({m.year for m in months}) > 1
    data["month_label"] = [L.month_label(m.month, m.year if multi_year else None) for m in data["month"]]
    data["month"] = [iso(m) for m in data["month"]]
    data["participants"] = data["participants"].astype("int64")
    data["sessions"] = data["sessions"].astype("int64")
    return data[columns].reset_index(drop=True)


def participation_lines(participation: pd.DataFrame, units: Sequence[str] | None = None, *,
                        domain: tuple[dt.date, dt.date] | None = None, big: bool = False,
                        width: int = DEFAULT_WIDTH, title: str | None = None) -> alt.Chart:
    """Participants per unit and month as lines with points (``units`` e.g. the eight 市（州）总工会)."""
    s = Sizes(big)
    data = participation_monthly(participation, units)
    scale, axis = _time_axis(list(data["month"]), domain, pad_to_month_end=False)
    order = [u for u in (units or sorted(set(data["unit"]))) if u in set(data["unit"])]
    chart = alt.Chart(data).mark_line(point=alt.OverlayMarkDef(filled=True, size=s.point), strokeWidth=s.stroke,
                                      clip=True).encode(
        x=alt.X("month:T", scale=scale, axis=axis),
        y=alt.Y("participants:Q", title=L.TEXT["participants"], axis=alt.Axis(format=",d")),
        color=alt.Color("unit:N", sort=order, scale=alt.Scale(domain=order, scheme="tableau10"),
                        legend=alt.Legend(title=L.TEXT["unit"], orient="right")),
        tooltip=[alt.Tooltip("unit:N", title=L.TEXT["unit"]),
                 alt.Tooltip("month_label:N", title=L.TEXT["month"]),
                 alt.Tooltip("participants:Q", title=L.TEXT["participants"], format=",d"),
                 alt.Tooltip("sessions:Q", title=L.COLUMN_LABELS["sessions"], format=",d")],
    ).properties(width=width, height=int(s._k(320)), **_title(title))
    return _configure(chart, s)
