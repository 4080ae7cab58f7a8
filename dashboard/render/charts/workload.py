"""Who carries the plan: the units' lead and partner work per month (heat map), and activities per unit."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import altair as alt
import pandas as pd

from dashboard.render import labels as L
from dashboard.render.charts.style import DEFAULT_WIDTH, INK, Role, Sizes, _configure, _title, iso


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
