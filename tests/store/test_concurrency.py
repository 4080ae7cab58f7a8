"""Several writers at once: positions stay gap-free, event_ids stay unique, stale writers are refused."""

from __future__ import annotations

import json
import time
from collections import defaultdict
from pathlib import Path

import pytest

from store.domain.events import activity_stream
from store.log import ConcurrencyError, EventStore, NewEvent
from tests.factories import PLAN, fact
from tests.store.helpers import count, finish_workers, start_workers

WORKERS = 4
PER_WORKER = 500


def _results(outputs: list[str]) -> list[list[dict]]:
    return [[json.loads(line) for line in out.splitlines() if line.strip()] for out in outputs]


def test_four_processes_appending_500_events_each_leave_a_gap_free_valid_log(
        planned: EventStore, tmp_path: Path) -> None:
    procs = start_workers([[planned.url, "many", f"w{n}", str(PER_WORKER)] for n in range(WORKERS)],
                          tmp_path / "go")
    # Meanwhile a reader follows the positions, as a projector catching up does: it must never skip one
    # that commits late.
    followed, polls = 4, 0
    while any(p.poll() is None for p in procs):
        seen = [e.position for e in planned.read(after=followed)]
        assert seen == list(range(followed + 1, followed + 1 + len(seen))), "a reader skipped a position"
        followed += len(seen)
        polls += 1
        time.sleep(0.05)
    results = _results(finish_workers(procs, timeout=180))
    assert polls > 1

    stored = list(planned.read())
    appended = [e for e in stored if e.type == "ProgressReported"]
    assert len(appended) == WORKERS * PER_WORKER
    assert [e.position for e in stored] == list(range(1, 4 + WORKERS * PER_WORKER + 1))
    assert planned.verify().ok
    assert planned.verify().count == 4 + WORKERS * PER_WORKER
    # Every writer got back what was stored, in its own order.
    by_id = {e.event_id: e for e in appended}
    for n, mine in enumerate(results):
        assert len(mine) == PER_WORKER
        assert all(by_id[r["event_id"]].position == r["position"] for r in mine)
        assert [r["position"] for r in mine] == sorted(r["position"] for r in mine)
        assert {by_id[r["event_id"]].actor for r in mine} == {f"w{n}"}
    # Versions of every stream run 1, 2, 3 … although the writers interleaved on the same streams.
    versions: dict[str, list[int]] = defaultdict(list)
    for e in stored:
        versions[e.stream].append(e.version)
    assert all(v == list(range(1, len(v) + 1)) for v in versions.values())


def test_the_same_event_id_raced_by_several_processes_is_stored_once(planned: EventStore, tmp_path: Path) -> None:
    ids = [f"double-click-{n}" for n in range(20)]
    procs = start_workers([[planned.url, "same", ",".join(ids)] for _ in range(WORKERS)], tmp_path / "go")
    results = _results(finish_workers(procs))

    stored = [e for e in planned.read() if e.event_id in ids]
    assert len(stored) == len(ids)
    assert count(planned) == 4 + len(ids)
    positions = {e.event_id: e.position for e in stored}
    for mine in results:
        assert {r["event_id"]: r["position"] for r in mine} == positions
    assert planned.verify().ok


def test_the_same_event_id_appended_twice_is_one_event_and_returns_the_first(planned: EventStore) -> None:
    first = planned.append(fact(2, "ProgressReported", {"percent": 40, "note": "提交"}, "2022-04-20",
                                event_id="form-1"))
    again = planned.append(fact(2, "ProgressReported", {"percent": 40, "note": "提交"}, "2022-04-20",
                                event_id="form-1"))

    assert again == first   # the same submission again; other content under the id is a conflict (test_import_validation)
    assert again.payload["percent"] == 40
    assert count(planned) == 5
    assert [e.event_id for e in planned.read(types=["ProgressReported"])] == ["form-1"]


def test_a_double_clicked_form_with_an_expected_version_records_once_and_does_not_fail(planned: EventStore) -> None:
    submit = fact(2, "ProgressReported", {"percent": 40}, "2022-04-20", event_id="form-9", expected_version=1)

    first = planned.append(submit)
    second = planned.append(submit)   # the stream is at version 2 now, but this is the same submission

    assert second == first
    assert count(planned) == 5


def test_a_batch_with_already_stored_ids_appends_only_the_new_ones(planned: EventStore) -> None:
    planned.append(fact(1, "ProgressReported", {"percent": 10}, "2022-04-01", event_id="a"))
    stored = planned.append_many([
        fact(1, "ProgressReported", {"percent": 10}, "2022-04-01", event_id="a"),
        fact(1, "ProgressReported", {"percent": 20}, "2022-04-08", event_id="b"),
    ])

    assert [e.position for e in stored] == [5, 6]
    assert count(planned) == 6


def test_a_stale_expected_version_is_refused_and_nothing_is_written(planned: EventStore) -> None:
    stream = activity_stream(PLAN, 2)
    planned.append(fact(2, "ProgressReported", {"percent": 10}, "2022-04-10", expected_version=1))
    before = planned.head()

    with pytest.raises(ConcurrencyError) as refused:
        planned.append(fact(2, "ProgressReported", {"percent": 20}, "2022-04-11", expected_version=1))

    message = str(refused.value)
    assert stream in message
    assert "version 2" in message and "expected 1" in message
    assert planned.head() == before
    assert planned.append(fact(2, "ProgressReported", {"percent": 20}, "2022-04-11",
                               expected_version=2)).version == 3


def test_two_writers_that_read_the_same_version_cannot_both_append(db_url: str) -> None:
    """Two app instances (two connection pools) both read version 1 and submit; the second is refused."""
    from tests.factories import small_plan

    one, two = EventStore(db_url), EventStore(db_url)
    one.init()
    small_plan(one)
    try:
        seen = max(e.version for e in two.read(stream=activity_stream(PLAN, 3)))
        one.append(fact(3, "ProgressReported", {"percent": 10}, "2022-09-10", expected_version=seen))
        with pytest.raises(ConcurrencyError):
            two.append(fact(3, "ProgressReported", {"percent": 15}, "2022-09-10", expected_version=seen))
        assert [e.payload["percent"] for e in two.read(types=["ProgressReported"])] == [10]
    finally:
        one.close()
        two.close()


def test_expected_version_zero_opens_a_stream_once(store: EventStore) -> None:
    stream = "risk/board"
    first = store.append(NewEvent("RiskFlagged", stream, {"note": "预警"}, expected_version=0))
    assert first.version == 1

    with pytest.raises(ConcurrencyError):
        store.append(NewEvent("RiskFlagged", stream, {"note": "预警"}, expected_version=0))
    assert count(store) == 1
