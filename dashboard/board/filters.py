"""The global filters in the sidebar, each bound to a URL query parameter so a view is a link.

The widgets live in the entry file's frame, so they are drawn once and apply to every page;
Streamlit's ``bind="query-params"`` keeps the URL and the widgets in step both ways (the
parameter name is the widget key; a value equal to its default is left out of the URL).
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import streamlit as st

from dashboard.access import screens
from dashboard.board import data
from dashboard.board.views import ROLES, Filters
from dashboard.render import components
from dashboard.render.labels import STATUS_ORDER, label, month_label, role_label, status_label, ui

SESSION_KEY = "duban_filters"
# URL parameter names (stable: links in minutes and e-mails depend on them).
PARAMS = {"plan": "plan", "as_of": "as_of", "units": "unit", "role": "role", "statuses": "status",
          "months": "months", "keyword": "q"}


def _unit_options(plan_id: str | None) -> list[str]:
    """Every unit the plan names, then the registry's group members, in a stable order (kept per log
    position and day: every rerun of every session draws this field)."""
    today = data.business_today()
    return list(data.at_position(data.position(), "unit_options", lambda: _named_units(plan_id, today),
                                 plan_id, today))


def _named_units(plan_id: str | None, today: dt.date) -> tuple[str, ...]:
    # The plan's words with today's revisions, not the activities frame at today: the units are all
    # that is read, and that frame (statuses, reports) was a second board's worth of work per event.
    planned = [a for a in data.board().frame("plan_of_activities", today).values()
               if plan_id is None or a["plan_id"] == plan_id]
    planned.sort(key=lambda a: (a["plan_id"], a["seq"]))
    named: list[str] = []
    for units in [a["lead_units"] for a in planned] + [a["partner_units"] for a in planned]:
        named += [u for u in units if u not in named]
    for members in data.groups().values():
        named += [m for m in members if m not in named]
    return tuple(named)


def sidebar() -> Filters:
    """Draw the filters and return them; also kept in the session for the pages."""
    plans = data.plans()
    by_id = {p.plan_id: p for p in plans}
    with st.sidebar:
        st.subheader(ui("filters"))
        plan_id = st.selectbox(
            ui("filter_plan"), list(by_id), format_func=lambda pid: by_id[pid].title if pid in by_id else pid,
            key=PARAMS["plan"], bind="query-params", placeholder=ui("choose")) if plans else None
        plan = by_id.get(plan_id) if plan_id else None
        default_day = data.default_as_of(plan)
        as_of = st.date_input(ui("filter_as_of"), value=default_day, key=PARAMS["as_of"], bind="query-params",
                              min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31), format="YYYY-MM-DD")
        units = st.multiselect(ui("filter_units"), _unit_options(plan_id), key=PARAMS["units"], bind="query-params",
                               placeholder=ui("all_units"), select_all=False)
        role = st.radio(ui("filter_role"), ROLES, format_func=role_label, key=PARAMS["role"],
                        bind="query-params", horizontal=True)
        statuses = st.multiselect(ui("filter_status"), list(STATUS_ORDER), format_func=status_label,
                                  key=PARAMS["statuses"], bind="query-params", placeholder=ui("all_statuses"),
                                  select_all=False)
        months = st.select_slider(ui("filter_months"), options=list(range(1, 13)), value=(1, 12),
                                  format_func=month_label, key=PARAMS["months"], bind="query-params")
        keyword = st.text_input(ui("filter_keyword"), key=PARAMS["keyword"], bind="query-params",
                                placeholder=ui("keyword_hint"), max_chars=100)
        components.date_enter_applies()
    filters = Filters(plan_id=plan_id, as_of=as_of or default_day, units=tuple(units), role=role or "either",
                      statuses=tuple(statuses), months=tuple(months), keyword=keyword or "")
    st.session_state[SESSION_KEY] = filters
    return filters


def view_link(filters: Filters, base: str, plan_title: str | None = None,
              extra: dict[str, str] | None = None) -> str:
    """The link of a view: ``base`` (the page's address) with the as-of date and every filter set.

    The values are the ones the bound widgets read back (labels such as status=逾期, months=4月),
    so the link opens the same view; unlike the widgets' own URL, the as-of date is always in it,
    because a link sent to leadership must not drift to another day. ``extra`` keeps parameters
    the filters do not own (the meeting date ``since``)."""
    pairs: list[tuple[str, str]] = []
    if filters.plan_id is not None:
        pairs.append((PARAMS["plan"], plan_title or filters.plan_id))
    pairs.append((PARAMS["as_of"], filters.as_of.isoformat()))
    pairs += [(PARAMS["units"], u) for u in filters.units]
    if filters.role != "either":
        pairs.append((PARAMS["role"], role_label(filters.role)))
    pairs += [(PARAMS["statuses"], status_label(s)) for s in filters.statuses]
    if tuple(filters.months) != (1, 12):
        pairs += [(PARAMS["months"], month_label(m)) for m in filters.months]
    if filters.keyword:
        pairs.append((PARAMS["keyword"], filters.keyword))
    pairs += sorted((extra or {}).items())
    return f"{base}?{urlencode(pairs)}"


def copy_link(filters: Filters, page_path: str) -> None:
    """The sidebar's 复制链接: the full link of this page as shown (Streamlit puts a copy button on st.code)."""
    base = st.context.url or f"/{page_path}"   # the browser's address; a test run has none
    plan = current_plan()
    owned = set(PARAMS.values()) | {screens.TOKEN_PARAM}   # a screen link's token is never passed on
    extra = {k: st.query_params[k] for k in st.query_params if k not in owned}
    with st.sidebar:
        st.caption(ui("copy_link"))
        st.code(view_link(filters, base, plan.title if plan else None, extra), language=None, wrap_lines=True)


def describe(f: Filters) -> list[str]:
    """Each filter that narrows the board, as a line a reader understands ("状态：正常、预警").

    The projector shows these beside the plan title: a filtered board must never look like the whole plan.
    """
    parts = []
    if f.units:
        role = "" if f.role == "either" else f"（{role_label(f.role)}）"
        parts.append(f"{ui('filter_units')}：{'、'.join(f.units)}{role}")
    if f.statuses:
        parts.append(f"{ui('filter_status')}：{'、'.join(status_label(s) for s in f.statuses)}")
    if tuple(f.months) != (1, 12):
        parts.append(f"{ui('filter_months')}：{month_label(f.months[0])}–{month_label(f.months[1])}")
    if f.keyword.strip():
        parts.append(f"{ui('filter_keyword')}：“{f.keyword.strip()}”")
    return parts


def current() -> Filters:
    """The filters the frame drew for this run (a page run alone, as in tests, gets the defaults)."""
    return st.session_state.get(SESSION_KEY) or Filters(as_of=data.default_as_of(None))


def current_plan() -> data.PlanInfo | None:
    plan_id = current().plan_id
    return next((p for p in data.plans() if p.plan_id == plan_id), None)


__all__ = ["sidebar", "describe", "current", "current_plan", "copy_link", "view_link", "label"]
