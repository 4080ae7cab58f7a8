"""One script run, one log position (dashboard/board/data.py, ``begin_run``).

A page asks for the board many times in a run (the entry file, the filters, each frame); each ask
used to catch up with the log, a query each, for every session on every rerun. Now the run's first
ask catches up and the rest read the position it reached, so a page never mixes two positions, and
a page that writes through the store sees what it wrote on the same run.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import event

from dashboard.board import data
from store.log import EventStore, NewEvent
from tests.dashboard.apptest import head, open_app


def _report(url: str, percent: int) -> int:
    """A progress report appended from outside the app (another instance, the command line)."""
    store = EventStore(url)
    try:
        store.append(NewEvent("ProgressReported", "activity/2022-27/4", {"percent": percent, "note": "外部上报"},
                              occurred_on=dt.date(2022, 7, 30), actor="boss", unit=""))
        return store.head()[0]
    finally:
        store.close()


@pytest.fixture
def in_run(monkeypatch, demo_copy) -> Iterator[str]:
    """This test's thread as a script run of the app on a copy of the demo store."""
    monkeypatch.setenv("DUBAN_DB", demo_copy)
    data.begin_run()
    try:
        yield demo_copy
    finally:
        del data._RUN.caught_up   # the thread is pytest's: later tests are not in a run


def test_a_rerun_of_the_overview_catches_up_with_the_log_once(monkeypatch, demo_copy):
    at = open_app(monkeypatch, demo_copy, "content/overview.py")
    catch_ups: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:
        if "FROM events" in statement and "events.position >" in statement:
            catch_ups.append(statement)

    engine = data._board(demo_copy).store.recorder.read_engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        at.run()
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert not at.exception, [e.message for e in at.exception]
    assert len(catch_ups) == 1, f"{len(catch_ups)} catch-up queries in one rerun"


def test_the_next_rerun_shows_a_report_saved_elsewhere(monkeypatch, demo_copy):
    at = open_app(monkeypatch, demo_copy, "content/overview.py")
    new_head = _report(demo_copy, 97)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert data._board(demo_copy).projector.position == new_head


def test_a_run_shows_one_position_until_it_writes_through_the_store(in_run):
    url = in_run
    before = data.board().projector.position
    outside = _report(url, 96)
    assert data.board().projector.position == before, "a run moved to another log position half-way"
    data.store()   # a page writing through the store (an import, a reminder) …
    assert data.board().projector.position == outside, "… sees the log as it is after its write"
    assert head(url) == outside


def test_outside_a_script_run_every_ask_catches_up(monkeypatch, demo_copy):
    monkeypatch.setenv("DUBAN_DB", demo_copy)
    data.board()
    outside = _report(demo_copy, 95)
    assert data.board().projector.position == outside


def test_the_unit_registry_is_read_again_when_a_unit_is_registered_not_on_every_report(monkeypatch, demo_copy):
    """Every page's first run after an event rebuilt the registry (units.toml and the units stream,
    whose retractions a large log makes slow to find); a report cannot change it, a registration does."""
    from seed.units import registration

    monkeypatch.setenv("DUBAN_DB", demo_copy)
    registry, groups = data.registry(), data.groups()
    _report(demo_copy, 41)
    assert data.registry() is registry and data.groups() is groups
    assert data.registry().canonical("玉树州某新单位") is None
    data.append(registration(registry, "玉树州某新单位", kind="other", actor="office"))
    assert data.registry().canonical("玉树州某新单位") == "玉树州某新单位"
    assert data.registry() is not registry
