"""The office's answers to 办结 and 延期 requests: which event each decision appends.

A confirmation is the ActivityCompleted that names the request, a return a CompletionReturned; an
approval is the ActivityRevised that moves the end, says so in the window's words (a board that
read "5月底前" beside a new end of 10-31 would contradict itself) and names the request, a refusal an
ExtensionRefused. The store's rules (store/domain/rules.py) decide who may answer and that a request is
answered once; here the decision only becomes an event. Its id follows from the request and the
decision, so a double click records it once.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Mapping
from typing import Any, Literal

from dashboard.entry.values import EntryError
from dashboard.render.labels import ui
from store.log import NewEvent

Decision = Literal["confirm", "return", "approve", "refuse"]
DECISIONS: dict[str, tuple[Decision, Decision]] = {"completion": ("confirm", "return"),
                                                   "extension": ("approve", "refuse")}
_NAMESPACE = uuid.UUID("5b0c6e1a-3f7d-4c2b-9e84-7a1d2c6f0b93")


def decision_id(request_id: str, decision: Decision) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{request_id}/{decision}"))


# What an earlier approval added to the window's words, so a second extension replaces it.
_EXTENDED = re.compile(r"（经批准延至[^）]*）$")


def extended_window(window_text: str, end: dt.date, asked_on: dt.date) -> str:
    """The plan's window words with the approved end after them: "4—5月（经批准延至10月31日）"."""
    day = f"{end.month}月{end.day}日" if end.year == asked_on.year else f"{end.year}年{end.month}月{end.day}日"
    return f"{_EXTENDED.sub('', (window_text or '').strip())}{ui('review_extended_window').format(day=day)}"


def answer(request: Mapping[str, Any], decision: Decision, note: str, *, on: dt.date, actor: str,
           window_text: str = "") -> NewEvent:
    """The event that records ``decision`` on ``request`` (a row of the requests frame), for the office.
    Returning or refusing needs a reason: the lead reads it on 部门自查. An approval without a note
    gives the revision's reason as "同意延期申请": the lead's own reason may be longer than a
    revision's reason may be, and stays on the request. ``window_text`` is the activity's window
    words now."""
    note = note.strip()
    rid = request["request_id"]
    if decision in ("return", "refuse") and not note:
        raise EntryError("note", ui("review_reason_required"))
    payload: dict[str, Any]
    if decision == "confirm":
        kind, payload = "ActivityCompleted", {"note": note, "request_event_id": rid}
    elif decision == "return":
        kind, payload = "CompletionReturned", {"request_event_id": rid, "reason": note}
    elif decision == "approve":
        end = request["asked_end"].date()
        kind, payload = "ActivityRevised", {
            "end": end.isoformat(), "reason": note or ui("review_approved_reason"),
            "window_text": extended_window(window_text, end, request["requested_on"].date()),
            "extension_request_id": rid}
    else:
        kind, payload = "ExtensionRefused", {"request_event_id": rid, "reason": note}
    # Never before the request itself: an answer to a request the office saw on a later board date.
    day = max(on, request["requested_on"].date())
    return NewEvent(kind, request["stream"], payload, occurred_on=day, event_id=decision_id(rid, decision),
                    actor=actor, unit="")
