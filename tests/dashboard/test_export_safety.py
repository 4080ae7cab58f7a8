"""Exports are safe to open: a note a user typed as a formula opens in Excel and in CSV as the words written.

Notes that start with ``= + - @`` or a tab are recorded into a copy of the demo store; every page
runs under AppTest as an admin, and every table a page offers for download (``components.table``,
the one place that builds the CSV and Excel buttons) is exported exactly as its buttons would.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl
import pandas as pd
import pytest

from dashboard.access.accounts import add_user, load_accounts
from dashboard.render import components, export
from store.log import EventStore, NewEvent
from tests.dashboard.apptest import FAST, open_app

STREAM = "activity/2022-27/4"
HOSTILE = ['=HYPERLINK("http://example.invalid","点我查看")', "+1", "-2", "@x", "\t制表开头"]
PAGES = ["content/overview.py", "content/gantt.py", "content/timeline.py", "content/workload.py",
         "content/selfcheck.py", "content/scores.py", "content/log.py"]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def admin(tmp_path, monkeypatch) -> Any:
    path = tmp_path / "accounts.json"
    monkeypatch.setenv("DUBAN_ACCOUNTS", str(path))
    add_user("boss", "correct horse battery", "admin", [], path=path, hasher=FAST)
    return load_accounts(path)["boss"]


@pytest.fixture
def hostile_store(demo_copy: str) -> str:
    store = EventStore(demo_copy)
    try:
        last = max(e.occurred_on for e in store.read())
        for i, note in enumerate(HOSTILE):
            store.append(NewEvent("ProgressReported", STREAM, {"percent": 50 + i, "note": note},
                                  occurred_on=last, actor="boss", unit=""))
    finally:
        store.close()
    return demo_copy


@pytest.fixture
def offered(monkeypatch) -> list[tuple[str, pd.DataFrame]]:
    """Every frame a page hands to ``components.table``, as its download buttons would export it."""
    seen: list[tuple[str, pd.DataFrame]] = []
    original = components.table

    def recording(frame: pd.DataFrame, name: str, *, columns: list[str] | None = None, **kw: Any) -> None:
        seen.append((name, (frame[columns] if columns else frame).copy()))
        original(frame, name, columns=columns, **kw)

    monkeypatch.setattr(components, "table", recording)
    return seen


def _csv_cells(data: bytes, frame: pd.DataFrame | None = None) -> list[str]:
    """Every cell of the CSV; given the frame, only its text columns (a number like -120 is no formula)."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    keep = range(len(rows[0]) if rows else 0)
    if frame is not None:
        keep = [i for i, c in enumerate(frame.columns) if not pd.api.types.is_numeric_dtype(frame[c].dtype)
                or pd.api.types.is_bool_dtype(frame[c].dtype)]
    return [row[i] for row in rows for i in keep if i < len(row)]


def _xlsx_cells(data: bytes) -> list[Any]:
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def test_no_export_holds_a_live_formula(monkeypatch, hostile_store, admin, offered):
    for page in PAGES:
        open_app(monkeypatch, hostile_store, page, admin)
    names = {name for name, _ in offered}
    assert "event-log" in names, names
    carried = 0
    for name, frame in offered:
        cells = _csv_cells(export.csv_bytes(frame), frame)
        bad = [c for c in cells if c.startswith(TRIGGERS)]
        assert not bad, (name, bad)
        for cell in _xlsx_cells(export.xlsx_bytes(frame, name)):
            assert cell.data_type != "f", (name, cell.coordinate, cell.value)
            if isinstance(cell.value, str) and cell.value.startswith(TRIGGERS):
                # Without the quote prefix, editing the cell (F2, Enter) turns it into a live formula.
                assert cell.quotePrefix, (name, cell.coordinate, cell.value)
            if isinstance(cell.value, str) and cell.value in HOSTILE:
                carried += 1
        carried += sum(c == "'" + note for c in cells for note in HOSTILE)
    # The hostile notes did reach the exports (as words), so the checks above looked at them.
    assert carried >= 2 * len(HOSTILE)


def test_the_note_opens_as_written(monkeypatch, hostile_store, admin, offered):
    open_app(monkeypatch, hostile_store, "content/log.py", admin)
    frame = next(f for name, f in offered if name == "event-log")
    values = [c.value for c in _xlsx_cells(export.xlsx_bytes(frame, "event-log"))]
    assert HOSTILE[0] in values
    assert "'" + HOSTILE[0] in _csv_cells(export.csv_bytes(frame))
