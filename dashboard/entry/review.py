"""The office's answers to 办结 and 延期 requests: which event each decision appends.

A confirmation is the ActivityCompleted that names the request, a return a CompletionReturned; an
approval is the ActivityRevised that moves the end and names the request, a refusal an
ExtensionRefused. The store's rules (store/domain/rules.py) decide who may answer and that a request is
answered once; here the decision only becomes an event. Its id follows from the request and the
decision, so a double click records it once.
"""

from __future__ import annotations

import datetime as dt
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


def answer(request: Mapping[str, Any], decision: Decision, note: str, *, on: dt.date, actor: str) -> NewEvent:
    """The event that records ``decision`` on ``request`` (a row of the requests frame), for the office.
    Returning or refusing needs a reason: the lead reads it on 部门自查."""
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
        end = request["asked_end"]
        kind, payload = "ActivityRevised", {"end": end.date().isoformat(), "reason": note or request["note"],
                                            "extension_request_id": rid}
    else:
        kind, payload = "ExtensionRefused", {"request_event_id": rid, "reason": note}
    # Never before the request itself: an answer to a request the office saw on a later board date.
    day = max(on, request["requested_on"].date())
    return NewEvent(kind, request["stream"], payload, occurred_on=day, event_id=decision_id(rid, decision),
                    actor=actor, unit="")
