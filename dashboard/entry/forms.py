"""The entry forms of 部门自查: one form per kind of fact a department records.

Each form checks its fields, asks the role rules whether this account may write for this unit
and activity, and appends one event whose id is derived from the form's nonce and its content —
so a double click, a rerun or a browser retry records it once, and another session's identical
report is recorded too. Refusals are shown in Chinese under the form;
nothing is written then.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from dashboard.access import auth
from dashboard.access.accounts import Account
from dashboard.board import data, filters
from dashboard.entry import bulk
from dashboard.entry.values import (
    Bounds,
    EntryError,
    explain,
    form_event_id,
    whole_number,
)
from dashboard.render import components, export
from dashboard.render.labels import ui
from store.config import MAX_NOTE_CHARS
from store.domain import rules
from store.log import NewEvent, business_today

FLASH_KEY = "duban_flash"
NUMBER_CHARS = 12   # a whole number of people or sessions; longer is a typing slip
PLACE_CHARS = 200   # the store's limit for a place or a milestone name
_NONCE_KEY = "duban_form_nonce/{}"
_SAVED_KEY = "duban_form_saved/{}"


def _nonce(event_type: str) -> str:
    """This session's instance of the form for ``event_type``: made once, kept across reruns."""
    return st.session_state.setdefault(_NONCE_KEY.format(event_type), uuid.uuid4().hex)


def saved(message: str) -> None:
    """Rerun so every table above the form shows the new state, and say so after the rerun."""
    st.session_state[FLASH_KEY] = message
    st.rerun()


def entry_forms(account: Account, plan: data.PlanInfo, activities: pd.DataFrame, preferred_unit: str | None) -> None:
    if FLASH_KEY in st.session_state:
        st.success(st.session_state.pop(FLASH_KEY))
    groups = data.groups()
    writable = {row.stream: auth.writable_units(account, row._asdict(), groups) for row in activities.itertuples()}
    rows = activities[activities["stream"].map(lambda s: bool(writable.get(s)))]
    if rows.empty:
        st.info(ui("no_writable_activities"))
        return
    labels = {r.stream: f"{r.seq}. {r.title}" for r in rows.itertuples()}
    stream = st.selectbox(ui("entry_activity"), list(labels), format_func=labels.__getitem__, key="entry_activity",
                          placeholder=components.choose_hint(labels))
    row = rows[rows["stream"] == stream].iloc[0].to_dict()
    units = writable[stream]
    default = units.index(preferred_unit) if preferred_unit in units else 0
    unit = st.selectbox(ui("on_behalf_of"), units, index=default, key="entry_unit",
                        format_func=lambda u: u or ui("office_unit"), placeholder=components.choose_hint(units))
    bounds = Bounds.of_plan(plan.year, business_today())
    form = _Form(account, row, unit, bounds)
    tabs = st.tabs([ui(k) for k in ("tab_progress", "tab_participation", "tab_milestone", "tab_target",
                                    "tab_risk", "tab_complete", "tab_extension", "tab_bulk")],
                   key="entry_tab", on_change="rerun")   # tracked: a save's rerun stays on the tab it came from
    for tab, draw in zip(tabs, (_progress, _participation, _milestones, _targets, _risk, _complete, _extension)):
        with tab:
            draw(form)
    with tabs[-1]:
        _bulk(form, plan, activities)


class _Form:
    """What every form needs: who writes, for which activity and unit, within which dates."""

    def __init__(self, account: Account, row: dict[str, Any], unit: str, bounds: Bounds) -> None:
        self.account, self.row, self.unit, self.bounds = account, row, unit, bounds
        self.stream = row["stream"]

    def day(self, key: str, label: str | None = None) -> dt.date:
        """A date field that defaults to the date the board is showing (never the plan's end)."""
        default = min(max(filters.current().as_of, self.bounds.first), self.bounds.last)
        return st.date_input(label or ui("occurred_on"), value=default, key=key, format="YYYY-MM-DD",
                             min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))

    def submit(self, event_type: str, build: Callable[[], tuple[dict[str, Any], dt.date]]) -> None:
        """Build, check and append; show the outcome under the form."""
        try:
            payload, occurred = build()
            self.bounds.check("occurred_on", occurred)
            decision = auth.can_write(self.account, self.row, self.unit, data.groups())
            if not decision:
                raise EntryError("unit", decision.reason)
            actor = auth.actor_of(self.account)
            new_id = form_event_id(_nonce(event_type), actor, event_type, self.stream, occurred, payload)
            again = st.session_state.get(_SAVED_KEY.format(event_type))
            # The same content as this form's last save is that save sent again (a click after the
            # rerun that renewed the nonce): its id, so it is recorded once.
            same = form_event_id("", actor, event_type, self.stream, occurred, payload)
            event_id = again[1] if again and again[0] == same else new_id
            stored = data.append(NewEvent(event_type, self.stream, payload, occurred_on=occurred, actor=actor,
                                          unit=self.unit, event_id=event_id))
        except Exception as exc:  # every refusal becomes a message; the details go to the log
            error = explain(exc)
            st.error(f"{ui('not_saved')}{components.plain(error.message)}")
            return
        st.session_state[_SAVED_KEY.format(event_type)] = (same, event_id)
        st.session_state[_NONCE_KEY.format(event_type)] = uuid.uuid4().hex   # the next report is another event
        saved(ui("saved").format(position=stored.position))


def _note(key: str, required: bool = False) -> str:
    # The limit shows while typing (a 2,000-character note is refused before 20,000 are typed).
    return st.text_area(ui("note_required") if required else ui("note"), key=key, height=80, max_chars=MAX_NOTE_CHARS)


def _current_percent(form: _Form) -> int:
    """What the 进度 field starts at: the activity's percent for a lead or the office, the unit's own
    last report for a partner (store/domain/rules.py decides which is which)."""
    parts = data.board().frame("unit_progress", filters.current().as_of)
    mine = parts[(parts["stream"] == form.stream) & (parts["unit"] == form.unit)]
    if not mine.empty and mine.iloc[0]["role"] not in ("lead", "office"):
        return int(mine.iloc[0]["percent"])
    if mine.empty and rules.unit_role(form.unit, form.row["lead_units"], form.row["partner_units"],
                                      data.groups()) not in ("lead", "office"):
        return 0
    return int(form.row.get("percent") or 0)


def _progress(form: _Form) -> None:
    chosen = (form.stream, form.unit)
    if st.session_state.get("p_percent_for") != chosen:   # another activity or unit: show its value, not the last one's
        st.session_state["p_percent_for"] = chosen
        st.session_state["p_percent"] = _current_percent(form)
    with st.form("form-progress"):
        percent = st.number_input(ui("percent"), step=5, key="p_percent")
        occurred = form.day("p_day")
        note = _note("p_note")
        if st.form_submit_button(ui("submit")):
            form.submit("ProgressReported", lambda: (
                {"percent": whole_number("percent", percent, low=0, high=100), "note": note}, occurred))


def _participation(form: _Form) -> None:
    with st.form("form-participation"):
        day = form.day("pa_day", ui("activity_date"))
        left, right = st.columns(2)
        participants = left.text_input(ui("participants"), key="pa_people", max_chars=NUMBER_CHARS)
        sessions = right.text_input(ui("sessions"), value="1", key="pa_sessions", max_chars=NUMBER_CHARS)
        place = st.text_input(ui("place"), key="pa_place", max_chars=PLACE_CHARS)
        note = _note("pa_note")
        if st.form_submit_button(ui("submit")):
            def build() -> tuple[dict[str, Any], dt.date]:
                checked = form.bounds.check("date", day)
                return ({"unit": form.unit, "date": checked.isoformat(),
                         "participants": whole_number("participants", participants),
                         "sessions": whole_number("sessions", sessions, high=100_000),
                         "place": place, "note": note}, checked)
            form.submit("ParticipationRecorded", build)


def _milestones(form: _Form) -> None:
    planned = data.board().frame("milestones", data.business_today())
    planned = planned[planned["stream"] == form.stream]
    left, right = st.columns(2)
    with left, st.form("form-milestone-plan"):
        st.markdown(f"**{ui('milestone_plan')}**")
        title = st.text_input(ui("milestone_title"), key="m_title", max_chars=PLACE_CHARS)
        due = st.date_input(ui("milestone_due"), value=None, key="m_due", format="YYYY-MM-DD",
                            min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
        occurred = form.day("m_day")
        if st.form_submit_button(ui("submit")):
            def build() -> tuple[dict[str, Any], dt.date]:
                if not title.strip():
                    raise EntryError("title", ui("milestone_title_required"))
                if due is not None:
                    first = form.bounds.first
                    Bounds(first, dt.date(first.year, 12, 31)).check("due", due)
                return {"key": title.strip(), "title": title.strip(),
                        "due": due.isoformat() if due else None, "note": ""}, occurred
            form.submit("MilestonePlanned", build)
    with right, st.form("form-milestone-reached"):
        st.markdown(f"**{ui('milestone_reached')}**")
        open_ = planned[planned["reached_on"].isna()]
        key = st.selectbox(ui("milestone"), list(open_["key"]), key="m_key",
                           placeholder=components.choose_hint(open_["key"]))
        occurred = form.day("mr_day", ui("reached_on"))
        note = _note("mr_note")
        if st.form_submit_button(ui("submit")):
            def build() -> tuple[dict[str, Any], dt.date]:
                if not key:
                    raise EntryError("key", ui("no_open_milestone"))
                return {"key": key, "note": note}, occurred
            form.submit("MilestoneReached", build)


def _targets(form: _Form) -> None:
    targets = _targets_of(form.stream)
    if not targets:
        st.caption(ui("no_targets_for_activity"))
        return
    with st.form("form-target"):
        names = {t["key"]: f"{t['label']}（{t['planned']}{t.get('unit', '')}）" for t in targets}
        key = st.selectbox(ui("target"), list(names), format_func=names.get, key="t_key",
                           placeholder=components.choose_hint(names))
        amount = st.text_input(ui("amount"), key="t_amount", max_chars=NUMBER_CHARS)
        occurred = form.day("t_day")
        note = _note("t_note")
        if st.form_submit_button(ui("submit")):
            form.submit("TargetAdvanced", lambda: (
                {"target": key, "amount": whole_number("amount", amount, low=1), "note": note}, occurred))


def _targets_of(stream: str) -> list[dict[str, Any]]:
    frame = data.board().frame("targets", data.business_today())
    return frame[frame["stream"] == stream].to_dict("records")


def _risk(form: _Form) -> None:
    left, right = st.columns(2)
    with left, st.form("form-risk-flag"):
        st.markdown(f"**{ui('risk_flag')}**")
        note = _note("r_note", required=True)
        occurred = form.day("r_day")
        if st.form_submit_button(ui("submit")):
            def build() -> tuple[dict[str, Any], dt.date]:
                if not note.strip():
                    raise EntryError("note", ui("risk_note_required"))
                return {"note": note}, occurred
            form.submit("RiskFlagged", build)
    with right, st.form("form-risk-resolve"):
        st.markdown(f"**{ui('risk_resolve')}**")
        note2 = _note("rr_note")
        occurred2 = form.day("rr_day")
        if st.form_submit_button(ui("submit")):
            form.submit("RiskResolved", lambda: ({"note": note2}, occurred2))


def _role(form: _Form) -> rules.Role:
    return rules.unit_role(form.unit, form.row["lead_units"], form.row["partner_units"], data.groups())


def _complete(form: _Form) -> None:
    """The office (or a lead where the plan asks no review) closes; a lead asks, with its evidence."""
    asks = _role(form) == "lead" and data.supervision().settings(form.row["plan_id"]).review_required
    if asks and form.row.get("review_pending"):
        st.info(ui("request_waiting"))
        return
    with st.form("form-complete"):
        if asks:
            st.caption(ui("request_complete"))
        occurred = form.day("c_day", ui("completed_on"))
        note = st.text_area(ui("evidence_note"), key="c_note", height=80) if asks else _note("c_note")
        sure = st.checkbox(ui("confirm_complete"), key="c_sure")
        if st.form_submit_button(ui("submit")):
            def build() -> tuple[dict[str, Any], dt.date]:
                if not sure:
                    raise EntryError("confirm", ui("confirm_complete_required"))
                if asks and not note.strip():
                    raise EntryError("note", ui("evidence_required"))
                return {"note": note}, occurred
            form.submit("CompletionRequested" if asks else "ActivityCompleted", build)


def _extension(form: _Form) -> None:
    """延期申请: a lead asks for a new end with its reason; the office rules on the 审核 page."""
    if _role(form) != "lead":
        st.caption(ui("extension_leads_only"))
        return
    asked = form.row.get("extension_asked")
    if asked is not None and not pd.isna(asked):
        st.info(ui("extension_waiting").format(end=pd.Timestamp(asked).date()))
        return
    end = form.row.get("end")
    current = None if end is None or pd.isna(end) else pd.Timestamp(end).date()
    if st.session_state.get("x_end_for") != form.stream:   # another activity: a month past its own end
        st.session_state["x_end_for"] = form.stream
        st.session_state["x_end"] = (current or form.bounds.last) + dt.timedelta(days=30)
    with st.form("form-extension"):
        new_end = st.date_input(ui("extension_end"), key="x_end", format="YYYY-MM-DD", min_value=dt.date(1900, 1, 1),
                                max_value=dt.date(2100, 12, 31))
        reason = st.text_area(ui("extension_reason"), key="x_reason", height=80)
        occurred = form.day("x_day")
        if st.form_submit_button(ui("submit")):
            def build() -> tuple[dict[str, Any], dt.date]:
                if current is not None and new_end <= current:
                    raise EntryError("end", ui("extension_not_later").format(end=current))
                if not reason.strip():
                    raise EntryError("reason", ui("extension_reason_required"))
                return {"end": new_end.isoformat(), "reason": reason}, occurred
            form.submit("ExtensionRequested", build)


def _bulk(form: _Form, plan: data.PlanInfo, activities: pd.DataFrame) -> None:
    st.caption(ui("bulk_hint"))
    template = bulk.template_frame()
    left, right, _ = st.columns([1, 1, 4])
    left.download_button(ui("template_csv"), lambda: export.csv_bytes(template, translate=False),
                         file_name="参与情况模板.csv", mime="text/csv", key="tpl-csv", on_click="ignore")
    right.download_button(ui("template_xlsx"), lambda: export.xlsx_bytes(template, "参与情况", translate=False),
                          file_name="参与情况模板.xlsx", key="tpl-xlsx", on_click="ignore",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    upload = components.file_uploader(ui("bulk_file"), ["csv", "xlsx"], "bulk_file", bulk.MAX_BYTES // 1024 // 1024)
    if upload is None:
        return
    raw = upload.getvalue()
    groups = data.groups()
    by_seq = {int(r["seq"]): r for r in activities.to_dict("records")}

    def may_write(seq: int, unit: str) -> str | None:
        decision = auth.can_write(form.account, by_seq[seq], unit, groups)
        return None if decision else decision.reason

    from seed.units import load_registry

    registry = load_registry()
    try:
        frame = bulk.read_sheet(raw, upload.name)
        events, errors = bulk.participation_events(
            frame, plan_id=plan.plan_id, seqs=set(by_seq), bounds=form.bounds, canonical_unit=registry.canonical,
            may_write=may_write, actor=auth.actor_of(form.account), file_digest=bulk.digest(raw))
    except EntryError as exc:
        st.error(components.plain(exc.message))
        return
    if errors:
        st.error(ui("bulk_rejected").format(bad=len(errors), total=len(frame)))
        components.table(pd.DataFrame([{"row": e.row, "reason": e.reason} for e in errors]), "bulk-errors")
        return
    st.info(ui("bulk_ready").format(total=len(events), people=sum(e.payload["participants"] for e in events)))
    components.table(bulk.preview_frame(events), "bulk-preview")
    if st.button(ui("bulk_submit"), key="bulk_submit"):
        before = data.head_position()
        try:
            stored = data.append_many(events)
        except Exception as exc:
            st.error(f"{ui('not_saved')}{components.plain(explain(exc).message)}")
            return
        added = sum(1 for s in stored if s.position > before)   # the same file again stores nothing new
        if added == 0:
            st.info(ui("bulk_nothing_new").format(total=len(stored)))
            return
        saved(ui("bulk_saved").format(total=added) + (ui("bulk_some_known").format(known=len(stored) - added)
                                                      if added < len(stored) else ""))
