"""A rerun does not pay for a walk of the whole heap (dashboard/board/data.py, ``_freeze``).

Python's full garbage collections (and Streamlit's after every script run, where runner.postScriptGC
is left on) walk every live object; on a board that was not frozen, that is the imported libraries
and the folded state (50 ms of CPU per collection at 10,000 events). Once the board has folded the log, what it built is out of those walks, and a
rerun still sees a new event.
"""

from __future__ import annotations

import datetime as dt
import gc

from dashboard.board import data
from store.log import EventStore, NewEvent
from tests.dashboard.apptest import open_app


def _young(obj: object) -> bool:
    """True if a full collection would still walk ``obj`` (it is not frozen)."""
    return any(o is obj for o in gc.get_objects())


def test_a_cold_board_is_left_out_of_the_full_collections_after_each_rerun(monkeypatch, demo_copy):
    at = open_app(monkeypatch, demo_copy, "content/overview.py")
    board = data._board(demo_copy)
    assert not _young(board.projector), "the folded board is walked by every post-rerun collection"
    assert len(gc.get_objects()) < gc.get_freeze_count() / 2, "most of the heap is still walked on every rerun"
    store = EventStore(demo_copy)
    try:
        store.append(NewEvent("ProgressReported", "activity/2022-27/4", {"percent": 97, "note": "新的一条"},
                              occurred_on=dt.date(2022, 7, 30), actor="boss", unit=""))
        head = store.head()[0]
    finally:
        store.close()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert board.projector.position == head
