"""The Gantt of the plan: one bar per activity over its window, progress inside it, milestones as
diamonds, the as-of day as a rule."""

from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

from dashboard.render import labels as L
from dashboard.render.charts.style import (
    DEFAULT_WIDTH, INK, Sizes, SortKey, _as_date, _configure, _joined, _lead_label, _percent_text, _status_color,
    _title, iso, month_axis, short_title, utc_datetime)


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
