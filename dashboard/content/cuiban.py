"""催办: who has reported on what in a cycle (unit × activity), and, for the office, reminding the
units that have not — through the one remind function the cron command uses, so a unit is reminded
at most once per cycle whichever of the two asks first."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard.access import session
from dashboard.board import data
from dashboard.board.context import page
from dashboard.channels import load_channels
from dashboard.remind import issue, missing_by_unit, reminded_units, reminder_id
from dashboard.render import components
from dashboard.render.components import plain
from dashboard.render.labels import ui
from store.domain.events import ReportingCycle
from store.reading.supervision import STATES, Cycle, cycle_of, cycles_due_between
from store.recording.envelope import EventIdConflict

RESULT_KEY = "cuiban_result"


def cycles(rule: ReportingCycle, first: dt.date, as_of: dt.date) -> list[Cycle]:
    """The cycle of the board's date first, then the earlier ones of the plan, newest first."""
    current = cycle_of(rule, as_of)
    earlier = [c for c in cycles_due_between(rule, first, as_of) if c.start < current.start]
    return [current, *reversed(earlier)]


def matrix(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per unit, one column per activity holding the report state, then the totals per state."""
    names = {s: ui(f"report_{s}") for s in STATES}
    cells = rows.assign(state=rows["state"].map(names), activity=rows["seq"].map(lambda s: ui("cuiban_activity").format(seq=s)))
    order = [ui("cuiban_activity").format(seq=s) for s in sorted(rows["seq"].unique())]
    table = cells.pivot_table(index="unit", columns="activity", values="state", aggfunc="first").reindex(columns=order)
    totals = pd.crosstab(rows["unit"], rows["state"]).reindex(columns=list(STATES), fill_value=0)
    totals.columns = [names[s] for s in STATES]
    out = table.fillna("").join(totals).reset_index()
    return out.sort_values([names["missing"], "unit"], ascending=[False, True], ignore_index=True)


v = page("cuiban_title")

as_of, plan = v.filters.as_of, v.plan
rule = data.supervision().settings(plan.plan_id).reporting
options = cycles(rule, plan.start, as_of)
cycle = st.selectbox(ui("cuiban_cycle"), options, key="cuiban_cycle", placeholder=components.choose_hint(options),
                     format_func=lambda c: ui("cuiban_cycle_option").format(start=c.start, due=c.due))
rows = data.report_rows(plan.plan_id, cycle, as_of)
if v.filters.units:
    rows = rows[rows["unit"].isin(v.filters.units)]
if rows.empty:
    st.info(ui("cuiban_none"))
    st.stop()
counts = st.columns(len(STATES))
for column, state in zip(counts, STATES):
    column.metric(ui(f"report_{state}"), int((rows["state"] == state).sum()))
components.table(matrix(rows), f"cuiban-{cycle.start:%Y%m}")

st.subheader(ui("cuiban_remind_title"))
account = session.current()
if account is None or account.role != "admin":
    st.info(ui("cuiban_admin_only"))
    st.stop()

for ok, line in st.session_state.pop(RESULT_KEY, []):
    (st.success if ok else st.error)(plain(line))
missing = missing_by_unit(rows)
units = st.multiselect(ui("cuiban_remind_units"), sorted(set(rows["unit"])), default=sorted(missing),
                       key=f"cuiban_units-{cycle.start}", select_all=False,
                       placeholder=components.choose_hint(rows["unit"]))
message = st.text_area(ui("cuiban_message"), key="cuiban_message", max_chars=500).strip()
if st.button(ui("cuiban_remind_button"), key="cuiban_remind", type="primary"):
    if not units:
        st.error(ui("cuiban_pick_units"))
        st.stop()
    channels, loop = load_channels(), data.supervision()
    done = reminded_units(loop, plan.plan_id, cycle)
    results: list[tuple[bool, str]] = []
    for unit in units:
        if unit in done:
            results.append((True, ui("cuiban_already").format(unit=unit)))
            continue
        if unit not in missing:
            results.append((True, ui("cuiban_nothing_missing").format(unit=unit)))
            continue
        try:
            _, sent = issue(data.store(), plan.plan_id, plan.title, unit, cycle, missing[unit], channels, on=as_of,
                            actor=account.username, message=message or None,
                            event_id=reminder_id(plan.plan_id, unit, cycle))
        except EventIdConflict:  # another session reminded it between our read and our write
            results.append((True, ui("cuiban_already").format(unit=unit)))
            continue
        results.append((True, ui("cuiban_reminded").format(unit=unit, seqs="、".join(map(str, missing[unit])))))
        if not sent:
            results.append((True, ui("cuiban_no_channel").format(unit=unit)))
        for d in sent:
            key = "cuiban_channel_ok" if d["ok"] else "cuiban_channel_failed"
            results.append((bool(d["ok"]), ui(key).format(unit=unit, channel=d["channel"], detail=d.get("detail", ""))))
    data.board()
    st.session_state[RESULT_KEY] = results
    st.rerun()
