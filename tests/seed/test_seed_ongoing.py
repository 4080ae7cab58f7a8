"""长期坚持 / 持续推进 / 常态化: imported as ongoing activities (ActivityPlanned.ongoing), never
overdue or 临近截止 by the calendar, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from seed.importer import import_plan
from seed.parser import parse_document
from store.domain.status import activity_status
from store.log import EventStore
from store.reading.projections import Projector

DISTRICT = Path(__file__).parent / "docs" / "offices" / "district-2024-business-environment.md"


def test_ongoing_activities_are_never_overdue_by_the_calendar(store: EventStore) -> None:
    parsed = parse_document(DISTRICT)
    import_plan(store, parsed, source=DISTRICT.name, sha256="d1")
    planned = {e.payload["seq"]: e.payload["ongoing"] for e in store.read(types=["ActivityPlanned"])}
    assert [planned[seq] for seq in sorted(planned)] == [False, False, True, False, False, True, False, False]

    projector = Projector(store)
    projector.catch_up()
    status = dict(zip(*[projector.activities(dt.date(2025, 1, 10))[c] for c in ("seq", "status")]))
    assert status[3] == status[6] == "on_track"     # 持续推进 / 常态化, past the plan's end, no report
    assert status[1] == status[2] == "overdue"      # their neighbours with a deadline are overdue
    near_end = dict(zip(*[projector.activities(dt.date(2024, 12, 25))[c] for c in ("seq", "status")]))
    assert near_end[3] == "on_track" and near_end[1] == "at_risk"   # no 临近截止 without a deadline


def test_status_rule() -> None:
    start, end = dt.date(2024, 1, 1), dt.date(2024, 12, 31)
    late = dt.date(2025, 2, 1)
    assert activity_status(late, start, end, None, 0, ongoing=True) == "on_track"
    assert activity_status(late, start, end, None, 0) == "overdue"
    assert activity_status(dt.date(2023, 12, 1), start, end, None, 0, ongoing=True) == "not_started"
    assert activity_status(late, start, end, dt.date(2024, 6, 1), 0, ongoing=True) == "done"
