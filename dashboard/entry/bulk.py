"""Bulk participation: a CSV or Excel sheet of rows, the way city unions already collect them.

All rows are checked before anything is written; one bad row means nothing is appended and
every bad row is listed with its reason. Event ids come from the file's content and the row, so
uploading the same file twice records it once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from dashboard.entry.values import Bounds, EntryError, whole_number
from store.config import MAX_NOTE_CHARS
from store.domain.events import activity_stream
from store.log import NewEvent

_NAMESPACE = uuid.UUID("3b0c9a56-1f0e-4d7b-9a55-2f1f4f8c6a10")
MAX_ROWS = 20_000
MAX_BYTES = 5 * 1024 * 1024
# The template's columns, in the words of the city unions' own sheets.
COLUMNS = {"seq": "活动序号", "unit": "单位", "date": "日期", "participants": "参与人数", "sessions": "场次",
           "place": "地点", "note": "备注"}


@dataclass(frozen=True)
class RowError:
    row: int  # as the user counts: the header is row 1, the first data row is row 2
    reason: str


def template_frame() -> pd.DataFrame:
    """The downloadable template: one example row a user overwrites."""
    return pd.DataFrame([{COLUMNS["seq"]: 4, COLUMNS["unit"]: "海东市总工会", COLUMNS["date"]: "2022-05-20",
                          COLUMNS["participants"]: 120, COLUMNS["sessions"]: 2, COLUMNS["place"]: "职工之家",
                          COLUMNS["note"]: "劳模进校园宣讲"}])


def read_sheet(data: bytes, filename: str) -> pd.DataFrame:
    """Read CSV (UTF-8 with or without BOM, or GBK) or .xlsx as text cells."""
    if len(data) > MAX_BYTES:
        raise EntryError("file", f"文件过大（超过 {MAX_BYTES // 1024 // 1024} MB）")
    if not data.strip():
        raise EntryError("file", "文件为空")
    try:
        if filename.lower().endswith((".xlsx", ".xlsm")):
            frame = pd.read_excel(io.BytesIO(data), dtype=str)
        else:
            text = _decode(data)
            frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    except EntryError:
        raise
    except Exception as exc:  # a broken sheet is a user's file, not a bug: say so plainly
        raise EntryError("file", "无法读取文件，请使用模板的 CSV 或 Excel 格式") from exc
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [title for title in COLUMNS.values() if title not in frame.columns and title not in ("地点", "备注", "场次")]
    if missing:
        raise EntryError("file", f"缺少列：{'、'.join(missing)}（请按模板填写）")
    if len(frame) > MAX_ROWS:
        raise EntryError("file", f"行数过多（最多 {MAX_ROWS} 行）")
    return frame.fillna("")


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise EntryError("file", "文件编码无法识别，请另存为 UTF-8 的 CSV 或 Excel")


def participation_events(frame: pd.DataFrame, *, plan_id: str, seqs: set[int], bounds: Bounds,
                         canonical_unit: Callable[[str], str | None],
                         may_write: Callable[[int, str], str | None], actor: str,
                         file_digest: str) -> tuple[list[NewEvent], list[RowError]]:
    """Every row as a ParticipationRecorded event, or the list of rows that cannot be one.

    ``may_write(seq, unit)`` returns None when the account may write that row, else the reason.
    """
    events: list[NewEvent] = []
    errors: list[RowError] = []
    for index, row in enumerate(frame.to_dict("records")):
        number = index + 2
        try:
            events.append(_row_event(row, plan_id=plan_id, seqs=seqs, bounds=bounds, canonical_unit=canonical_unit,
                                     may_write=may_write, actor=actor,
                                     event_id=str(uuid.uuid5(_NAMESPACE, f"{file_digest}|{index}"))))
        except EntryError as exc:
            errors.append(RowError(number, exc.message))
    return events, errors


def _row_event(row: dict, *, plan_id: str, seqs: set[int], bounds: Bounds, canonical_unit: Callable[[str], str | None],
               may_write: Callable[[int, str], str | None], actor: str, event_id: str) -> NewEvent:
    """The row's event, or an EntryError naming every fault of the row (a user fixes them in one go)."""
    faults: list[str] = []

    def check(field: Callable[[], object]) -> object:
        try:
            return field()
        except EntryError as exc:
            faults.append(exc.message)
            return None

    seq = check(lambda: _seq(row, seqs))
    unit = check(lambda: _unit(row, canonical_unit))
    if seq is not None and unit is not None:
        check(lambda: _refuse(may_write(seq, unit)))
    day = check(lambda: bounds.check("date", _day(row)))
    note = check(lambda: _text(row, "note", MAX_NOTE_CHARS, "备注"))
    place = check(lambda: _text(row, "place", 200, "地点"))
    participants = check(lambda: whole_number("participants", row.get(COLUMNS["participants"], "")))
    sessions = check(lambda: whole_number("sessions", row.get(COLUMNS["sessions"], "") or "0", high=100_000))
    if faults:
        raise EntryError("row", "；".join(faults))
    payload = {"unit": unit, "date": day.isoformat(), "participants": participants, "sessions": sessions,
               "place": place, "note": note}
    return NewEvent("ParticipationRecorded", activity_stream(plan_id, seq), payload, occurred_on=day,
                    event_id=event_id, actor=actor, unit=unit)


def _seq(row: dict, seqs: set[int]) -> int:
    seq = whole_number("seq", row.get(COLUMNS["seq"], ""), low=1, high=10_000)
    if seq not in seqs:
        raise EntryError("seq", f"没有序号为 {seq} 的活动")
    return seq


def _unit(row: dict, canonical_unit: Callable[[str], str | None]) -> str:
    written = str(row.get(COLUMNS["unit"], "")).strip()
    if not written:
        raise EntryError("unit", "单位不能为空")
    unit = canonical_unit(written)
    if unit is None:
        raise EntryError("unit", f"未登记的单位「{written}」")
    return unit


def _refuse(refusal: str | None) -> None:
    if refusal:
        raise EntryError("unit", refusal)


def _day(row: dict) -> dt.date:
    written = str(row.get(COLUMNS["date"], "")).strip()
    try:
        day = pd.Timestamp(written)
    except (ValueError, TypeError):
        day = pd.NaT
    if pd.isna(day):
        raise EntryError("date", f"日期「{written}」无法识别，请写成 2022-05-20")
    return day.date()


def _text(row: dict, field: str, limit: int, name: str) -> str:
    text = str(row.get(COLUMNS[field], "")).strip()
    if len(text) > limit:
        raise EntryError(field, f"{name}不能超过 {limit} 个字")
    return text


def preview_frame(events: list[NewEvent]) -> pd.DataFrame:
    """The rows about to be saved, in the template's own column titles, so a user checks them before 保存全部."""
    return pd.DataFrame([{COLUMNS["seq"]: int(e.stream.rsplit("/", 1)[1]), COLUMNS["unit"]: e.payload["unit"],
                          COLUMNS["date"]: e.payload["date"], COLUMNS["participants"]: e.payload["participants"],
                          COLUMNS["sessions"]: e.payload["sessions"], COLUMNS["place"]: e.payload["place"],
                          COLUMNS["note"]: e.payload["note"]} for e in events], columns=list(COLUMNS.values()))


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
