"""An exported log coming back in (``EventStore.import_lines``): every line read, typed and checked
as the append it stands for, and the file's hash chain verified, before anything is written.

A refusal names the line and the field, in English for the log and in Chinese (``ImportFileError.zh``)
for whoever imports; the chain's reasons are put into Chinese by ``store.command.chinese``.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from typing import Any, NoReturn

from store.domain import events
from store.recording.chain import GENESIS_HASH, canonical_json, envelope_hash
from store.recording.envelope import (
    ENVELOPE_LIMITS,
    ImportFileError,
    NewEvent,
    PayloadError,
    StoreError,
    VerifyResult,
    check_envelope,
    parse_recorded_at,
)
from store.recording.schema import COLUMNS

_TYPE_ZH: dict[type | tuple[type, ...], str] = {int: "整数", str: "文本", dict: " JSON 对象"}
_RECORDED_AT_FORM = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z")


def read_envelopes(lines: Iterable[str]) -> list[tuple[int, dict[str, Any]]]:
    """The file's envelopes with their line numbers; a line that is not an envelope, or an event_id
    given twice, refuses the file."""
    numbered: list[tuple[int, dict[str, Any]]] = []
    seen: dict[Any, int] = {}
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            envelope = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ImportFileError(f"line {number}: not JSON ({exc.msg})",
                                  f"第 {number} 行：不是 JSON（{exc.msg}）") from None
        if not isinstance(envelope, dict):
            raise ImportFileError(f"line {number}: not an event envelope (a JSON object)",
                                  f"第 {number} 行：不是事件记录（应为 JSON 对象）")
        missing = [n for n in (*COLUMNS,) if n not in envelope]
        if missing:
            raise ImportFileError(f"line {number}: not an event envelope (missing {', '.join(missing)})",
                                  f"第 {number} 行：不是事件记录（缺少 {', '.join(missing)}）")
        key = envelope["event_id"]
        if isinstance(key, str) and key in seen:
            raise ImportFileError(f"line {number}: event_id {key} appears twice in the file "
                                  f"(first on line {seen[key]})",
                                  f"第 {number} 行：event_id {key} 在文件中重复（第 {seen[key]} 行已有）")
        if isinstance(key, str):
            seen[key] = number
        numbered.append((number, envelope))
    return numbered


_ENVELOPE_TYPES: dict[str, type | tuple[type, ...]] = {
    "position": int, "event_id": str, "stream": str, "version": int, "type": str, "schema_version": int,
    "occurred_on": str, "recorded_at": str, "actor": str, "unit": str, "payload": dict, "prev_hash": str,
    "hash": str,
}


def imported(number: int, envelope: dict[str, Any]) -> tuple[NewEvent, dict[str, Any]]:
    """An exported envelope as the event an append would have written, or ImportFileError naming the
    line and the field. The payload must be stored exactly in the form an append stores (every field,
    dates as ISO text): a payload that merely validates could still be one the board cannot fold."""
    def refuse(field_name: str, message: str, zh: str) -> NoReturn:
        """``zh`` follows the field's name: "第 5 行：payload.date 须为日期"."""
        raise ImportFileError(f"line {number}: {field_name}: {message}", f"第 {number} 行：{field_name} {zh}")

    for name, kind in _ENVELOPE_TYPES.items():
        if not isinstance(envelope[name], kind) or isinstance(envelope[name], bool):
            given = canonical_json(envelope[name])[:40]
            refuse(name, f"must be {'a JSON object' if kind is dict else kind.__name__}, not {given}",
                   f"须为{_TYPE_ZH[kind]}，文件中是 {given}")
    kind, payload = envelope["type"], envelope["payload"]
    if kind not in events.EVENT_TYPES:
        refuse("type", f"unknown event type {kind[:60]!r}", f"不是已知的事件类型：{kind[:60]!r}")
    current = events.schema_version(kind)
    if not 1 <= envelope["schema_version"] <= current:
        refuse("schema_version", f"{kind} has schema versions 1..{current}, not {envelope['schema_version']}",
               f"须在 1..{current} 之间（{kind} 的版本），文件中是 {envelope['schema_version']}")
    if not _RECORDED_AT_FORM.fullmatch(envelope["recorded_at"]):
        refuse("recorded_at", "must be UTC time as YYYY-MM-DDTHH:MM:SS.ffffffZ",
               "须为 UTC 时间，格式 YYYY-MM-DDTHH:MM:SS.ffffffZ")
    try:
        parse_recorded_at(envelope["recorded_at"])
        occurred = dt.date.fromisoformat(envelope["occurred_on"])
    except ValueError as exc:
        if "recorded" in str(exc):
            refuse("recorded_at", str(exc), f"不是有效的时间（{exc}）")
        refuse("occurred_on", str(exc), f"不是有效的日期（{exc}）")
    upcast = events.upcast(kind, envelope["schema_version"], payload)
    try:
        normalised = events.validate(kind, upcast)
        check_envelope(kind, envelope["stream"], envelope["event_id"], occurred, envelope["actor"], envelope["unit"])
    except PayloadError as exc:
        refuse(exc.field if exc.field in ENVELOPE_LIMITS or exc.field == "occurred_on" else f"payload.{exc.field}",
               exc.message, exc.reason)
    except StoreError as exc:
        raise ImportFileError(f"line {number}: {exc}", f"第 {number} 行：{exc.zh}") from None
    if (field_name := events.first_difference(normalised, upcast)) is not None:
        stored, appended = canonical_json(upcast.get(field_name))[:40], canonical_json(normalised.get(field_name))[:40]
        refuse(f"payload.{field_name}", f"stored as {stored}, an append stores {appended}",
               f"在文件中是 {stored}，正常写入应为 {appended}")
    new = NewEvent(kind, envelope["stream"], payload, occurred, envelope["event_id"], envelope["actor"],
                   envelope["unit"])
    row = {"event_id": envelope["event_id"], "stream": envelope["stream"], "type": kind,
           "schema_version": envelope["schema_version"], "occurred_on": occurred,
           "recorded_at": envelope["recorded_at"], "actor": envelope["actor"], "unit": envelope["unit"],
           # as exported, so the hash holds (the upcast form was checked above)
           "payload": payload}
    return new, row


def verify_envelopes(envelopes: Iterable[dict[str, Any]]) -> VerifyResult:
    """Positions must run 1, 2, 3 … and every hash must follow from its row and the one before."""
    prev_hash, count = GENESIS_HASH, 0
    for envelope in envelopes:
        count += 1
        position = envelope.get("position")
        if position != count:
            return VerifyResult(False, count - 1, prev_hash, count, f"position {position} where {count} was due")
        if envelope.get("prev_hash") != prev_hash:
            return VerifyResult(False, count - 1, prev_hash, count, "prev_hash does not match the hash before it")
        try:
            recomputed = envelope_hash(envelope)
        except KeyError as exc:
            return VerifyResult(False, count - 1, prev_hash, count, f"field {exc} missing")
        if recomputed != envelope.get("hash"):
            return VerifyResult(False, count - 1, prev_hash, count, "hash does not match the row's content")
        prev_hash = envelope["hash"]
    return VerifyResult(True, count, prev_hash)


CHAIN_REASONS_ZH = (
    (re.compile(r"^position (.+) where (\d+) was due$"), r"应为位置 \2，文件中是 \1"),
    (re.compile(r"^prev_hash does not match the hash before it$"), "prev_hash 与上一行的 hash 不符"),
    (re.compile(r"^field (.+) missing$"), r"缺少字段 \1"),
    (re.compile(r"^hash does not match the row's content$"), "hash 与该行的内容不符"),
)
