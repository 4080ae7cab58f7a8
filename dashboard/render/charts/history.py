"""Charts over time: the events recorded (each one, or counts per day, week or month) and participation
by month."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import altair as alt
import pandas as pd

from dashboard.render import labels as L
from dashboard.render.charts.style import (
    DEFAULT_WIDTH, Grain, Sizes, _as_date, _configure, _next_month, _title, iso, month_axis, month_starts,
    utc_datetime)


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
