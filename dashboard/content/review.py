"""审核: the 办结 and 延期 requests of the leads awaiting the office, and the office's answers —
confirm or return a completion, approve or refuse an extension (dashboard/entry/review.py)."""

from __future__ import annotations

import streamlit as st

from dashboard.access import auth, session
from dashboard.board import data
from dashboard.board.context import page
from dashboard.board.views import requests_readable
from dashboard.entry.review import DECISIONS, answer
from dashboard.entry.values import explain
from dashboard.render import components
from dashboard.render.components import plain
from dashboard.render.labels import ui

FLASH = "review_flash"
DONE = {"confirm": "review_done_confirmed", "return": "review_done_returned", "approve": "review_done_approved",
        "refuse": "review_done_refused"}

v = page("review_title", FLASH)

account = session.current()
office = account is not None and account.role == "admin"
requests = v.requests
titles = dict(zip(v.activities["stream"], v.activities["title"]))
windows = dict(zip(v.activities["stream"], v.activities["window_text"]))
pending = requests[requests["state"] == "pending"]
if pending.empty:
    st.info(ui("review_none"))
elif not office:
    st.info(ui("review_admin_only"))
for request in pending.to_dict("records"):
    short = request["request_id"][:8]
    with st.container(border=True, key=f"request-{short}"):
        st.markdown(plain(ui("review_request_line").format(
            seq=request["seq"], title=titles.get(request["stream"], ""), unit=request["unit"],
            kind=ui(f"request_kind_{request['kind']}"), on=request["requested_on"])))
        if request["kind"] == "extension":
            st.markdown(plain(f"{ui('asked_end')}：{request['asked_end']:%Y-%m-%d}"))
        st.markdown(plain(request["note"]))
        if not office:
            continue
        note = st.text_input(ui("review_answer_note"), key=f"review_note-{short}")
        left, right, _ = st.columns([1, 1, 4])
        for column, decision in zip((left, right), DECISIONS[request["kind"]]):
            if column.button(ui(f"review_{decision}"), key=f"review_{decision}-{short}",
                             type="primary" if decision in ("confirm", "approve") else "secondary"):
                try:
                    data.append(answer(request, decision, note, on=v.filters.as_of, actor=auth.actor_of(account),
                                       window_text=windows.get(request["stream"]) or ""))
                except Exception as exc:  # noqa: BLE001 - every refusal becomes a message under the request
                    st.error(f"{ui('not_saved')}{plain(explain(exc).message)}")
                    continue
                st.session_state[FLASH] = ui(DONE[decision]).format(
                    seq=request["seq"], end=request["asked_end"].date() if request["kind"] == "extension" else "")
                st.rerun()

answered = requests[requests["state"] != "pending"]
if not answered.empty:
    st.subheader(ui("review_history"))
    components.table(requests_readable(answered).iloc[::-1], "review-history",
                     columns=["seq", "unit", "request_kind", "requested_on", "note", "asked_end", "request_state",
                              "answered_on", "answer_note"])
