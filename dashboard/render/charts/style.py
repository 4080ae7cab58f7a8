"""What every chart shares: fonts and the zh-CN locale, desk and projector sizes, the top-level
configuration, month axes, dates as ISO strings, short titles and the status colours."""

from __future__ import annotations

import datetime as dt
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
