"""部门自查: a unit's own activities — overdue first, due soon, not reported this month — and the
forms to record progress, participation, milestones, targets, risks and completion."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard.access import session
from dashboard.board import data
from dashboard.board.context import page
from dashboard.board.views import days_left_text, readable_status, requests_readable, self_check, with_unit_parts
from dashboard.entry.forms import entry_forms
from dashboard.render import components
from dashboard.render.labels import ui

v = page("selfcheck_title")

account = session.current()
plan_activities = data.plan_frame("activities", v.plan.plan_id, v.filters.as_of)
bound = list(account.units) if account is not None and account.role == "editor" else []
choices = bound or sorted({u for units in plan_activities["lead_units"] for u in units}
                          | {u for units in plan_activities["partner_units"] for u in units}
                          | {m for members in data.groups().values() for m in members})
unit = st.selectbox(ui("my_unit"), choices, key="self_unit", bind="query-params",
                    placeholder=components.choose_hint(choices))
if unit is None:
    st.stop()

unit_days = data.board().frame("unit_days", unit, v.filters.as_of)
mine = self_check(with_unit_parts(v.activities, v.unit_progress, unit), unit_days, unit, v.filters.as_of, data.groups())
overdue = mine[mine["status"] == "overdue"]
due = mine[mine["due_soon"]]
silent = mine[mine["not_reported"]]
counts = st.columns(5)
counts[0].metric(ui("as_lead"), int((mine["role"] == "lead").sum()))
counts[1].metric(ui("as_partner"), int((mine["role"] == "partner").sum()))
counts[2].metric(ui("overdue_count"), len(overdue))
counts[3].metric(ui("due_soon_count"), len(due))
counts[4].metric(ui("not_reported_count"), len(silent))

reminders = data.open_reminders(v.plan.plan_id, unit, v.filters.as_of)
if not reminders.empty:
    st.subheader(f"{ui('reminders_title')}（{len(reminders)}）")
    components.table(reminders.assign(
        reminded_on=reminders["occurred_on"], reminded_activities=reminders["activities"].map(lambda s: [str(x) for x in s]),
        channels=reminders["deliveries"].map(lambda ds: [f"{d['channel']}{'成功' if d['ok'] else '失败：' + d['detail']}"
                                                          for d in ds])),
        "my-reminders", columns=["reminded_on", "reminded_activities", "message", "actor", "channels"])

# A request the office returned or refused is said at the top; the requests themselves follow the activities.
requests = v.requests[v.requests["unit"] == unit]
answered_badly = requests[requests["state"].isin(["returned", "refused"])]
if not answered_badly.empty:
    st.warning(ui("request_answered_badly").format(count=len(answered_badly)))

shown = readable_status(mine).assign(role=mine["role"].map({"lead": "牵头", "partner": "配合"}),
                                     days_left=mine["days_left"].map(days_left_text))
columns = ["seq", "title", "role", "status", "percent", "my_percent", "unit_parts", "end", "days_left",
           "my_last_report_on"]
st.subheader(ui("my_activities"))
if mine.empty:
    st.info(ui("no_my_activities"))
else:
    components.table(shown, "my-activities", columns=columns)
for key, frame in (("not_reported_title", silent), ("due_soon_title", due)):
    if not frame.empty:
        st.subheader(f"{ui(key)}（{len(frame)}）")
        components.table(shown.loc[frame.index], key.replace("_", "-"), columns=columns)

if not requests.empty:
    st.subheader(ui("my_requests_title"))
    components.table(requests_readable(requests).iloc[::-1], "my-requests",
                     columns=["seq", "request_kind", "requested_on", "note", "asked_end", "request_state",
                              "answered_on", "answer_note"])

targets = v.targets[v.targets["stream"].isin(mine.loc[mine["role"] == "lead", "stream"])]
if not targets.empty:
    st.subheader(ui("my_targets"))
    components.table(targets.assign(rate=(targets["achieved"] / targets["planned"].where(targets["planned"] > 0))
                                    .mul(100).round(0).astype("Float64").where(lambda s: pd.notna(s))),
                     "my-targets", columns=["seq", "label", "unit", "achieved", "planned", "rate"])

st.divider()
st.subheader(ui("record_title"))
if account is None:
    st.info(ui("login_to_write"))
elif account.role == "viewer":
    st.info(ui("viewer_cannot_write"))
else:
    entry_forms(account, v.plan, plan_activities, unit if unit in account.units or account.role == "admin" else None)
