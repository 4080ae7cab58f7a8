"""Form input -> an event the store will accept, and the store's refusals in the user's words.

The store validates every payload (pydantic); here the dashboard adds what only it knows — the
plan's year bounds the dates a form may carry, the logged-in account bounds the units — and
turns a refusal into a Chinese message for the field that caused it.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass
from typing import Any

from dashboard.render.labels import ui
from store.domain.refusal import pydantic_zh
from store.recording.chain import canonical_json
from store.recording.envelope import (
    ConcurrencyError,
    PayloadError,
    RuleRefused,
    StoreError,
    StreamRuleError,
)

FIELD_NAMES = {
    "percent": "进度", "note": "说明", "unit": "单位", "date": "日期", "participants": "参与人数",
    "sessions": "场次", "place": "地点", "target": "目标", "amount": "数量", "key": "节点", "title": "节点名称",
    "due": "计划日期", "occurred_on": "发生日期", "reason": "原因", "retracted_event_id": "被撤回的记录",
}


class EntryError(ValueError):
    """A form value the board refuses; ``field`` is where the message goes."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True)
class Bounds:
    """The dates a form may carry: within the plan's year, and not in the future."""

    first: dt.date
    last: dt.date

    @classmethod
    def of_plan(cls, year: int, today: dt.date) -> Bounds:
        return cls(dt.date(year, 1, 1), min(dt.date(year, 12, 31), max(today, dt.date(year, 1, 1))))

    def check(self, field: str, day: dt.date | None) -> dt.date:
        if day is None:
            raise EntryError(field, f"请填写{FIELD_NAMES.get(field, field)}")
        if not (self.first <= day <= self.last):
            raise EntryError(field, f"{FIELD_NAMES.get(field, field)}须在 {self.first} 到 {self.last} 之间")
        return day


def whole_number(field: str, raw: Any, *, low: int = 0, high: int = 10_000_000) -> int:
    """Numbers typed into a text box ("abc", "-3", "1,200") become an int or a clear refusal."""
    text = str(raw).strip().replace(",", "").replace("，", "")
    if not re.fullmatch(r"-?\d+", text):
        raise EntryError(field, f"{FIELD_NAMES.get(field, field)}须为整数")
    value = int(text)
    if not low <= value <= high:
        raise EntryError(field, f"{FIELD_NAMES.get(field, field)}须在 {low} 到 {high} 之间")
    return value


def explain(exc: Exception) -> EntryError:
    """The store's refusal as a message for a field (English stays in the log)."""
    if isinstance(exc, EntryError):
        return exc
    if isinstance(exc, PayloadError):
        name = FIELD_NAMES.get(exc.field.split(".")[0], exc.field)
        reason = pydantic_zh(exc.message)   # the store's table (store/domain/events.py), for a form's fields
        if reason is not None:
            return EntryError(exc.field, name + reason)
        return EntryError(exc.field, f"{name}：{ui('invalid_value')}")
    if isinstance(exc, RuleRefused):
        return EntryError("form", exc.zh)
    if isinstance(exc, ConcurrencyError):
        return EntryError("form", ui("conflict"))
    if isinstance(exc, StreamRuleError):   # the rule by its code (STREAM_RULES), in the page's words
        if exc.code == "wrong_stream":
            return EntryError("form", ui("refused"))
        return EntryError("activity" if exc.code == "unknown_activity" else "form", ui(exc.code))
    if isinstance(exc, StoreError):
        return EntryError("form", ui("refused"))
    return EntryError("form", ui("store_unavailable"))


_FORM_NAMESPACE = uuid.UUID("c7e3f1d2-8a4b-4f6e-9d21-5b7a0e9c3f44")


def form_event_id(nonce: str, actor: str, event_type: str, stream: str, occurred_on: dt.date,
                  payload: dict[str, Any]) -> str:
    """The same entry sent again from the same form instance is the same event; another instance's is not.

    ``nonce`` is made when a form is drawn and kept across its reruns, so a double click, a rerun
    or a browser retry submits the same id again and the store's idempotent append records it
    once; a second genuine identical report (another session, or after a save) has another nonce
    and is recorded too.
    """
    return str(uuid.uuid5(_FORM_NAMESPACE, canonical_json(
        [nonce, actor, event_type, stream, occurred_on.isoformat(), payload])))
