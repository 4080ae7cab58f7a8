"""事件日志: every fact of the log, filterable, exportable, verifiable — and retractable by whoever may.

The filters, the total and the page of newest rows are queries the store runs (``store.reading.log_query``
through ``data.log_query``), so the page never holds the whole log (it may hold a million events);
it writes only through ``data.retract``. The downloads read every matching row when clicked.
"""

from __future__ import annotations

import dataclasses
import itertools

import pandas as pd
import streamlit as st

from dashboard.access import accounts, auth, session
from dashboard.board import data, filters, views
from dashboard.entry import values as entry
from dashboard.render import charts, components, export
from dashboard.render.labels import (
    EVENT_TYPE_ORDER,
    date_label,
    event_type_label,
    export_name,
    ui,
)
from store.reading import log_query

ROWS_PER_PAGE = 500   # a page of the table: the same few hundred rows to read and draw at any size of log
PAGE_KEY = "log_page"
FILTERS_KEY = "log_page_filters"   # the filters the page number was chosen under
MAX_REASON = 2_000
FLASH_KEY = "duban_log_flash"
CLEAR_KEY = "duban_log_clear_form"
COLUMNS = ["position", "recorded_at", "occurred_on", "type", "seq", "unit", "actor", *views.DETAIL_COLUMNS, "note",
           "retracted"]


def _ranged(value: object) -> tuple:
    """A date_input range as (from, to); an empty or half-chosen range leaves its ends open."""
    days = tuple(value or ())
    return (days[0] if days else None, days[1] if len(days) > 1 else None)


def _names() -> dict[str, str]:
    """Each login's display name (its login where it has none): who 填报人 is, as people know them."""
    try:
        return {username: account.label for username, account in accounts.load_accounts().items()}
    except Exception:  # noqa: BLE001 - an unreadable accounts file: the log still shows the logins
        return {}


def _readable(rows: pd.DataFrame, retracted: pd.DataFrame) -> pd.DataFrame:
    """Rows as the table and the exports show them: Chinese types, display names, the facts' details,
    the retraction mark and reason."""
    marked = views.log_details(views.mark_retractions(rows, retracted, ui("log_retracted_mark")), milestones)
    return marked.assign(type=marked["type"].map(event_type_label), retracted=marked["retracted_mark"],
                         actor=marked["actor"].map(lambda a: names.get(a, a)),
                         seq=marked["seq"].astype("Int64"),
                         retracts=marked["retracts"].map(lambda p: "" if pd.isna(p) else str(int(p)))).rename(
        columns={"retract_reason": ui("log_col_reason"), "retracts": ui("log_col_retracts")})


st.title(ui("log_title"))
board = data.board()
store = board.store
plan = filters.current_plan()
plan_id = plan.plan_id if plan else None
sidebar = filters.current()
names = _names()
milestones = board.frame("milestones", sidebar.as_of)
scope = data.log_query(board, plan_id)
total, unit_choices, actor_choices = board.frame("log_choices", scope.keeps_stream)
if plan is not None:
    st.caption(ui("log_scope_plan").format(title=components.plain(plan.title)))
else:
    st.caption(ui("log_scope_all"))
st.caption(ui("log_sidebar_scope"))

# ── filters ──────────────────────────────────────────────────────────
if plan is not None:
    activities = board.frame("activities", filters.current().as_of)
    titles = dict(zip(activities.loc[activities["plan_id"] == plan.plan_id, "seq"],
                      activities.loc[activities["plan_id"] == plan.plan_id, "title"]))
else:
    titles = {}
seq_options = [views.PLAN_LEVEL, *sorted({int(seq) for stream, seq in board.projector.seqs().items()
                                          if plan_id is None or stream.startswith(f"activity/{plan_id}/")})]


def _seq_label(seq: int) -> str:
    if seq == views.PLAN_LEVEL:
        return ui("log_plan_level")
    return ui("log_activity_choice").format(seq=seq, title=charts.short_title(str(titles.get(seq, "")), 18))


with st.container(border=True):
    st.markdown(f"**{ui('log_filters')}**")
    left, middle, right, last = st.columns(4)
    types = left.multiselect(ui("log_filter_type"), list(EVENT_TYPE_ORDER), format_func=event_type_label,
                             key="log_types", placeholder=ui("log_any"), select_all=False)
    units = middle.multiselect(ui("log_filter_unit"), [u for u in unit_choices if u and (
                                   not sidebar.units or u in sidebar.units)],
                               key="log_units", placeholder=ui("log_any"), select_all=False)
    actors = right.multiselect(ui("log_filter_actor"), actor_choices,
                               format_func=lambda a: names.get(a, a) or ui("log_no_actor"), key="log_actors",
                               placeholder=ui("log_any"), select_all=False)
    seqs = last.multiselect(ui("log_filter_activity"), seq_options, format_func=_seq_label, key="log_seqs",
                            placeholder=ui("log_any"), select_all=False)
    left, middle, _ = st.columns([1, 1, 2])
    occurred = left.date_input(ui("log_filter_occurred"), value=[], key="log_occurred", format="YYYY-MM-DD",
                               min_value=pd.Timestamp(2000, 1, 1).date(), max_value=pd.Timestamp(2099, 12, 31).date())
    recorded = middle.date_input(ui("log_filter_recorded"), value=[], key="log_recorded", format="YYYY-MM-DD",
                                 min_value=pd.Timestamp(2000, 1, 1).date(),
                                 max_value=pd.Timestamp(2099, 12, 31).date())

plan_activities = data.plan_frame("activities", plan_id, sidebar.as_of)
query = data.log_query(board, plan_id, types=types, units=units or sidebar.units, actors=actors, seqs=seqs,
                       occurred=_ranged(occurred), recorded=_ranged(recorded), months=sidebar.months,
                       keyword=sidebar.keyword, activities=plan_activities, statuses=sidebar.statuses)
matched = total if query.is_scope_only() else log_query.count(store, query)
pages = max(1, -(-matched // ROWS_PER_PAGE))
filtered_by = repr(dataclasses.replace(query, upto=None))   # new events move the board, not the filters
if st.session_state.get(FILTERS_KEY) != filtered_by:   # other filters, another list: its newest rows first
    st.session_state[FILTERS_KEY] = filtered_by
    st.session_state[PAGE_KEY] = 1
if st.session_state.get(PAGE_KEY, 1) > pages:   # fewer pages than before (rows retracted meanwhile): its last page
    st.session_state[PAGE_KEY] = pages
page_no = int(st.session_state.get(PAGE_KEY, 1)) if pages > 1 else 1
first = (page_no - 1) * ROWS_PER_PAGE
shown = board.projector.mark(log_query.newest(store, query, ROWS_PER_PAGE, first, payload=True))
retracted = board.frame("retraction_frame")

# ── the table ────────────────────────────────────────────────────────
if not matched:
    st.info(ui("log_nothing"))
else:
    st.caption(ui("log_matched").format(matched=matched, total=total))
    if pages > 1:
        left, right = st.columns([1, 5], vertical_alignment="bottom")
        left.number_input(ui("log_page"), min_value=1, max_value=pages, step=1, key=PAGE_KEY)
        right.caption(ui("log_page_line").format(page=page_no, pages=pages, first=first + 1,
                                                 last=first + len(shown), per=ROWS_PER_PAGE, matched=matched))
    columns = [*COLUMNS, ui("log_col_reason"), ui("log_col_retracts"), "event_id"]
    components.table(_readable(shown, retracted), "event-log", columns=columns)
    if pages > 1:

        def _all_csv() -> bytes:   # read when clicked, not on every run
            every_row = board.projector.mark(log_query.newest(store, query, None, payload=True))
            return export.csv_bytes(_readable(every_row, retracted)[columns])

        st.download_button(ui("log_download_all_csv").format(count=matched), _all_csv,
                           file_name=f"{export_name('event-log')}-{ui('log_all_rows')}-{sidebar.as_of.isoformat()}.csv",
                           mime="text/csv", key="csv-event-log-all",
                           on_click="ignore")

# ── events the board set aside ───────────────────────────────────────
set_aside = board.frame("set_aside")
if not set_aside.empty:
    positions = "、".join(str(p) for p in set_aside["position"].head(20))
    st.warning(ui("log_set_aside").format(count=len(set_aside), positions=positions))
    components.table(set_aside, "set-aside")

# ── export and integrity ─────────────────────────────────────────────
head_position, head_hash = store.head()
exports, integrity = st.columns(2)
with exports:
    st.subheader(ui("log_export_title"))
    st.download_button(ui("log_export_jsonl_all").format(position=head_position),
                       lambda: views.jsonl(itertools.islice(store.export(), head_position)),
                       file_name=f"duban-log-{head_position}.jsonl", mime="application/jsonl",
                       key="jsonl-all", on_click="ignore")
    if matched < total or plan is not None:
        st.download_button(ui("log_export_jsonl_filtered").format(count=matched),
                           lambda: views.jsonl(store.export(), frozenset(
                               e.position for e in log_query.events(store, query))),
                           file_name=f"duban-log-filtered-{head_position}.jsonl", mime="application/jsonl",
                           key="jsonl-filtered", on_click="ignore", disabled=not matched)
    st.caption(ui("log_export_note"))
with integrity:
    st.subheader(ui("log_integrity_title"))
    st.markdown(f"{ui('log_head_position')}：**{head_position}**")
    st.markdown(f"{ui('log_head_hash')}：")
    st.code(head_hash, language=None)
    st.caption(ui("log_head_note"))
    if st.button(ui("log_verify"), key="log_verify"):
        result = store.verify()
        if result.ok:
            st.success(ui("log_verify_ok").format(count=result.count, head_hash=result.head_hash))
        elif result.set_aside:
            st.error(ui("log_verify_set_aside").format(
                count=len(result.set_aside), positions="、".join(str(p) for p, _ in result.set_aside[:20])))
        else:
            st.error(ui("log_verify_bad").format(position=result.bad_position))

# ── retraction ───────────────────────────────────────────────────────
st.subheader(ui("log_retract_title"))
st.caption(ui("log_retract_help"))
account = session.current()
may = auth.can_retract(account, "")
if account is None or account.role not in ("editor", "admin"):
    st.info(components.plain(may.reason))
    st.stop()

rows = {int(r.position): r for r in shown.itertuples(index=False)}


def _choice(position: int) -> str:
    row = rows[position]
    return ui("log_retract_choice").format(
        position=position, type=event_type_label(row.type), unit=row.unit or ui("log_no_unit"),
        date=date_label(row.occurred_on, with_year=True), note=views.one_line(row.note, 24))


if st.session_state.pop(CLEAR_KEY, False):  # after a retraction: an empty form, set before it is drawn
    st.session_state["log_retract_event"] = None
    st.session_state["log_retract_reason"] = ""
with st.form("log_retract", border=True):
    choice = st.selectbox(ui("log_retract_event"), list(rows), index=None, format_func=_choice,
                          placeholder=ui("log_retract_pick"), key="log_retract_event")
    reason = st.text_area(ui("log_retract_reason"), key="log_retract_reason", max_chars=MAX_REASON,
                          placeholder=ui("log_retract_reason_hint"), height=90)
    submitted = st.form_submit_button(ui("log_retract_submit"), type="primary")

flash = st.session_state.pop(FLASH_KEY, None)
if flash:  # set by the run that retracted, shown next to the form it came from
    st.success(flash)
if submitted:
    target = rows.get(choice) if choice is not None else None
    reason = (reason or "").strip()
    if choice is None:
        st.error(ui("log_retract_pick_required"))
    elif target is None:
        st.error(ui("log_retract_gone"))
    else:
        decision = auth.can_retract(account, target.actor, target.type, already_retracted=bool(target.retracted))
        if not decision:
            st.error(components.plain(decision.reason))
        elif not reason:
            st.error(ui("log_retract_reason_required"))
        elif len(reason) > MAX_REASON:
            st.error(ui("log_retract_reason_too_long").format(limit=MAX_REASON))
        else:
            actor = auth.actor_of(account)
            try:
                stored = data.retract(target.event_id, reason, actor=actor,
                                      unit=views.retraction_unit(account.role, account.units, target.unit),
                                      retraction_id=views.retraction_id(target.event_id, actor))
            except Exception as exc:  # the store's refusal, in the user's words; nothing was written
                st.error(components.plain(entry.explain(exc).message))
            else:
                st.session_state[FLASH_KEY] = ui("log_retract_done").format(
                    position=int(target.position), retraction=stored.position)
                st.session_state[CLEAR_KEY] = True
                st.rerun()
