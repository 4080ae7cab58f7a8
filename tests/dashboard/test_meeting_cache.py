""""上次会议以来的变化" is computed once per log position and input (meeting.since_meeting, data.at_position).

What a reader sees must not change: a rerun shows the very section a fresh computation shows, and
another meeting date, the "as seen" switch or a new event show their own, never the one kept for
the old input.
"""

from __future__ import annotations

import datetime as dt

import pytest

from dashboard.board import data, meeting
from store.log import EventStore, NewEvent
from tests.dashboard.apptest import open_app

STREAM = "activity/2022-27/4"
PARAMS = {"as_of": "2022-08-01", "since": "2022-07-01"}


@pytest.fixture
def computed(monkeypatch) -> list[dt.date]:
    """The meeting dates the section was actually computed for (not taken from the memo)."""
    calls: list[dt.date] = []
    original = meeting._since_meeting

    def counting(v, since, as_seen):
        calls.append(since)
        return original(v, since, as_seen)

    monkeypatch.setattr(meeting, "_since_meeting", counting)
    return calls


def _section(at: object) -> list[object]:
    """What the section shows: its notes, captions and headings, and every table's cells."""
    return ([i.value for i in at.info] + [c.value for c in at.caption] + [m.value for m in at.markdown]
            + [t.value.to_dict("list") for t in at.dataframe])


def _forget(url: str) -> None:
    board = data._board(url)
    with board._lock:
        board._memo.clear()


def test_a_rerun_shows_the_same_changes_without_computing_them_again(monkeypatch, store_files, computed):
    url = f"sqlite:///{store_files['demo']}"
    at = open_app(monkeypatch, url, "content/overview.py", params=PARAMS)
    first = _section(at)
    assert any("现进度(%)" in t.value.columns for t in at.dataframe), "the section lists progress"
    count = len(computed)
    at.run()
    assert _section(at) == first
    assert len(computed) == count, "the rerun computed the comparison again though nothing changed"
    _forget(url)
    at.run()
    assert len(computed) == count + 1
    assert _section(at) == first, "the kept comparison differs from a fresh one"


def test_another_meeting_date_or_switch_shows_its_own(monkeypatch, store_files, computed):
    url = f"sqlite:///{store_files['demo']}"
    at = open_app(monkeypatch, url, "content/overview.py", params=PARAMS)
    before = _section(at)
    at.date_input(key="since").set_value(dt.date(2022, 7, 25)).run()
    assert not at.exception, [e.message for e in at.exception]
    later = _section(at)
    assert later != before and computed[-1] == dt.date(2022, 7, 25)
    count = len(computed)
    at.toggle(key="as_seen").set_value(True).run()   # the demo's plan is recorded after July: it says so
    assert not at.exception, [e.message for e in at.exception]
    assert _section(at) != later and len(computed) == count + 1
    _forget(url)
    at.toggle(key="as_seen").set_value(False).run()
    assert _section(at) == later


def test_a_new_event_shows_its_own(monkeypatch, demo_copy, computed):
    at = open_app(monkeypatch, demo_copy, "content/overview.py", params=PARAMS)
    before = _section(at)
    store = EventStore(demo_copy)
    try:
        store.append(NewEvent("ProgressReported", STREAM, {"percent": 97, "note": "新的一条"},
                              occurred_on=dt.date(2022, 7, 30), actor="boss", unit=""))
    finally:
        store.close()
    count = len(computed)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    after = _section(at)
    assert after != before, "the new report is not among the changes"
    assert len(computed) == count + 1
    assert any(97 in t.value.get("现进度(%)", []).tolist() for t in at.dataframe if "现进度(%)" in t.value)
