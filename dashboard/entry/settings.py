"""方案设置: what an admin's settings form becomes — a PlanSettingsChanged naming only what changed.

The settings are facts of the log (store.reading.supervision folds them), so every instance of the board
agrees and the log shows who changed what; a form that changes nothing appends nothing.
"""

from __future__ import annotations

import uuid
from typing import Any

from store.domain.events import ReportingCycle, ScoringRule, plan_stream
from store.log import NewEvent
from store.reading.supervision import PlanSettings

_NAMESPACE = uuid.UUID("0d9f6c2e-7b41-4a8e-b3c5-92e1f4a7d086")


def settings_change(current: PlanSettings, reporting: ReportingCycle, review_required: bool,
                    scoring: ScoringRule, note: str = "") -> dict[str, Any] | None:
    """The payload of a change from ``current`` to what the form holds, or None when nothing changed."""
    payload: dict[str, Any] = {}
    if reporting != current.reporting:
        payload["reporting"] = reporting.model_dump()
    if review_required != current.review_required:
        payload["review_required"] = review_required
    if scoring != current.scoring:
        payload["scoring"] = scoring.model_dump()
    return {**payload, "note": note.strip()} if payload else None


def settings_event(plan_id: str, payload: dict[str, Any], *, head: int, actor: str, on: Any) -> NewEvent:
    """The event for ``payload``; its id follows from the log position the form was read at and the
    change, so a double click records it once and a later identical change is a new fact."""
    event_id = str(uuid.uuid5(_NAMESPACE, f"{plan_id}/{head}/{sorted(payload.items())}"))
    return NewEvent("PlanSettingsChanged", plan_stream(plan_id), payload, occurred_on=on, event_id=event_id,
                    actor=actor)
