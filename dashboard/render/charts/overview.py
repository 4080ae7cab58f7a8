"""The overview's charts: activities by status, and each numeric target planned against achieved."""

from __future__ import annotations

import altair as alt
import pandas as pd

from dashboard.render import labels as L
from dashboard.render.charts.style import (
    DEFAULT_WIDTH, INK, Sizes, TARGET_ACHIEVED_COLOR, TARGET_PLANNED_COLOR, _configure, _status_color, _title)


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
