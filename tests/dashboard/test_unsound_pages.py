"""A store holding events the board cannot fold: every page still renders, the 事件日志 page names them."""

from __future__ import annotations

import pytest

from store.log import EventStore
from tests.dashboard.apptest import open_app
from tests.store.helpers import plant

PAGES = ["content/overview.py", "content/gantt.py", "content/timeline.py", "content/workload.py",
         "content/selfcheck.py", "content/log.py", "content/import_plan.py"]


@pytest.fixture
def poisoned(demo_copy: str) -> tuple[str, list[int]]:
    """The demo store with what crafted imports once left behind: a participation dated by a number,
    an activity without its body, a report recorded at a time that is no time."""
    store = EventStore(demo_copy)
    try:
        plan_id = next(store.read(types=["PlanImported"])).payload["plan_id"]
    finally:
        store.close()
    stream = f"activity/{plan_id}/1"
    positions = [
        plant(demo_copy, stream=stream, type="ParticipationRecorded", schema_version=2, payload={
            "unit": "西宁市总工会", "date": 1650412800, "participants": 3, "sessions": 0, "place": "",
            "note": "", "demo": False}),
        plant(demo_copy, stream=f"activity/{plan_id}/99", version=1, type="ActivityPlanned", payload={
            "plan_id": plan_id, "seq": 99, "title": "缺正文", "window_text": "", "start": None, "end": None,
            "lead_units": [], "partner_units": [], "targets": [], "demo": False}),
        plant(demo_copy, stream=stream, recorded_at="garbage"),
    ]
    return demo_copy, positions


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_over_events_the_board_set_aside(monkeypatch, poisoned, page):
    url, _ = poisoned
    at = open_app(monkeypatch, url, page)

    assert not at.exception
    assert not [e.value for e in at.error]


def test_the_log_page_names_the_events_set_aside(monkeypatch, poisoned):
    url, positions = poisoned
    at = open_app(monkeypatch, url, "content/log.py")

    warnings = " ".join(w.value for w in at.warning)
    assert "看板已略过" in warnings
    assert all(str(p) in warnings for p in positions)
    assert "缺正文" not in " ".join(str(v) for f in at.dataframe for v in f.value.to_numpy().ravel())
