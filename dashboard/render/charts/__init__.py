"""Chart builders: pure functions from the projections' DataFrames to Altair charts, one module per
kind of page (schedule: the Gantt; overview; history: the timeline and participation over time;
workload) over what they share (style).

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

from dashboard.render.charts.history import (
    TIMELINE_MARKS, participation_lines, participation_monthly, timeline, timeline_data)
from dashboard.render.charts.overview import status_bar, status_counts, target_rows, targets_bars
from dashboard.render.charts.schedule import MILESTONES_NAMED, default_domain, gantt, gantt_milestones, gantt_rows
from dashboard.render.charts.style import (
    DEFAULT_WIDTH, FONT_FAMILY, INK, LOCALE, Grain, Role, Sizes, SortKey, iso, month_axis, month_starts,
    short_title, utc_datetime)
from dashboard.render.charts.workload import heatmap_data, unit_bars, unit_role_counts, workload_heatmap

__all__ = [
    "DEFAULT_WIDTH", "FONT_FAMILY", "INK", "LOCALE", "MILESTONES_NAMED", "TIMELINE_MARKS", "Grain", "Role", "Sizes",
    "SortKey", "default_domain", "gantt", "gantt_milestones", "gantt_rows", "heatmap_data", "iso", "month_axis",
    "month_starts", "participation_lines", "participation_monthly", "short_title", "status_bar", "status_counts",
    "target_rows", "targets_bars", "timeline", "timeline_data", "unit_bars", "unit_role_counts", "utc_datetime",
    "workload_heatmap",
]
