"""方案设置 (admins): the plan's reporting cycle, whether completion needs review, and the scoring
rule of 考评 — each save a PlanSettingsChanged naming only what changed (dashboard/entry/settings.py)."""

from __future__ import annotations

import streamlit as st
from pydantic import ValidationError

from dashboard.access import auth, session
from dashboard.board import data
from dashboard.board.context import page
from dashboard.entry.settings import settings_change, settings_event
from dashboard.entry.values import explain
from dashboard.render.components import plain
from dashboard.render.labels import ui
from store.domain.events import ReportingCycle, ScoreBands, ScoringRule
from store.log import business_today

FLASH = "settings_flash"
WEEKDAYS = list(range(7))   # 0 = Monday, as store.domain.events.ReportingCycle counts

v = page("settings_title", FLASH)
account = session.current()
if account is None or account.role != "admin":
    st.info(ui("settings_admin_only"))
    st.stop()

current = data.supervision().settings(v.plan.plan_id)
rule, score = current.reporting, current.scoring
with st.form("form-settings"):
    kind = st.radio(ui("settings_cycle_kind"), ["monthly", "weekly"], index=0 if rule.kind == "monthly" else 1,
                    format_func=lambda k: ui(f"settings_{k}"), horizontal=True, key="s_kind")
    left, right = st.columns(2)
    day = left.number_input(ui("settings_day"), min_value=1, max_value=28, value=rule.day or 25, key="s_day")
    weekday = right.selectbox(ui("settings_weekday"), WEEKDAYS, index=rule.weekday if rule.weekday is not None else 4,
                              format_func=lambda d: ui(f"weekday_{d}"), key="s_weekday")
    review = st.checkbox(ui("settings_review"), value=current.review_required, key="s_review")
    st.markdown(f"**{ui('settings_scoring')}**")
    columns = st.columns(7)
    numbers = {}
    for column, name, value in zip(columns, ("start", "missing", "late", "overdue", "floor", "red_below",
                                             "yellow_below"),
                                   (score.start, score.missing, score.late, score.overdue, score.floor,
                                    score.bands.red_below, score.bands.yellow_below)):
        numbers[name] = column.number_input(ui(f"settings_{name}"), min_value=0, max_value=10_000, value=value,
                                            step=1, key=f"s_{name}")
    note = st.text_input(ui("settings_note"), key="s_note")
    if st.form_submit_button(ui("settings_save"), type="primary"):
        try:
            reporting = (ReportingCycle(kind="monthly", day=int(day)) if kind == "monthly"
                         else ReportingCycle(kind="weekly", weekday=int(weekday)))
            scoring = ScoringRule(start=numbers["start"], missing=numbers["missing"], late=numbers["late"],
                                  overdue=numbers["overdue"], floor=numbers["floor"],
                                  bands=ScoreBands(red_below=numbers["red_below"],
                                                   yellow_below=numbers["yellow_below"]))
        except ValidationError:
            st.error(ui("settings_bands_order"))
            st.stop()
        payload = settings_change(current, reporting, review, scoring, note)
        if payload is None:
            st.info(ui("settings_unchanged"))
            st.stop()
        try:
            stored = data.append(settings_event(v.plan.plan_id, payload, head=data.board().projector.position,
                                                actor=auth.actor_of(account), on=business_today()))
        except Exception as exc:  # noqa: BLE001 - every refusal becomes a message under the form
            st.error(f"{ui('not_saved')}{plain(explain(exc).message)}")
            st.stop()
        st.session_state[FLASH] = ui("settings_saved").format(position=stored.position)
        st.rerun()
