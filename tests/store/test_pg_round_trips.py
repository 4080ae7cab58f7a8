"""An append on PostgreSQL is two round trips, whatever the rules read (issue 14: at most three).

Counted on the wire, as the bench counts them (bench.measures.postgres.count_round_trips: one ReadyForQuery
from the server per round trip, from a libpq trace of every connection the appending store opens).
Each kind of append below makes the rules read something different: a plain report (head, event id,
stream version), a completion request on a reviewed plan (the plan's settings, the activity's open
requests and its units) and a retraction (its target and whether it was retracted already). If
``EventStore._reads_for`` stopped listing one of those reads, it would cost a round trip of its
own and the count would show it.
"""

from __future__ import annotations

import datetime as dt
import uuid

import psycopg
import pytest

from bench.measures.postgres import _dsn, count_round_trips
from store.domain.events import plan_stream
from store.log import EventStore, NewEvent, RuleRefused
from store.recording.recorder import StoreUnavailable
from tests.factories import PLAN, fact, small_plan

LEAD = "省总女职工委员会办公室"   # activity 3's lead


@pytest.fixture
def pg_planned(postgres_url: str) -> str:
    store = EventStore(postgres_url)
    store.init()
    small_plan(store)
    store.append(NewEvent("PlanSettingsChanged", plan_stream(PLAN), {"review_required": True},
                          occurred_on=dt.date(2022, 3, 2), actor="office"))
    store.close()
    return postgres_url


def _report(percent: int) -> NewEvent:
    return fact(1, "ProgressReported", {"percent": percent, "note": f"进展{percent}"}, "2022-04-01",
                event_id=str(uuid.uuid4()))


def test_a_report_takes_two_round_trips(pg_planned: str) -> None:
    trips = count_round_trips(pg_planned, [_report(10), _report(20), _report(30), _report(40)])
    assert trips["round_trips_per_append"] == 2


def test_a_reviewed_completion_request_takes_two_round_trips(pg_planned: str) -> None:
    request = fact(3, "CompletionRequested", {"note": "总结已上传"}, "2022-09-20", unit=LEAD)
    trips = count_round_trips(pg_planned, [_report(10), request])
    assert trips["round_trips_per_append"] == 2
    store = EventStore(pg_planned)
    try:   # the rules still saw the open request through the prefetched reads: a second one is refused
        with pytest.raises(RuleRefused, match="open completion request"):
            store.append(fact(3, "CompletionRequested", {"note": "再次申请"}, "2022-09-21", unit=LEAD))
    finally:
        store.close()


def test_a_retraction_takes_two_round_trips_and_is_still_refused_twice(pg_planned: str) -> None:
    store = EventStore(pg_planned)
    target = store.append(_report(55))
    store.close()
    retraction = NewEvent("EventRetracted", target.stream, {"retracted_event_id": target.event_id, "reason": "报错了"},
                          occurred_on=dt.date(2022, 4, 2), actor="office")
    trips = count_round_trips(pg_planned, [_report(10), retraction])
    assert trips["round_trips_per_append"] == 2
    store = EventStore(pg_planned)
    try:
        with pytest.raises(Exception, match="already retracted"):
            store.retract(target.event_id, "又撤一次")
        assert store.verify().ok
    finally:
        store.close()


def test_an_append_after_the_server_dropped_its_connection_goes_through(pg_planned: str) -> None:
    """Appends skip the pool's ping; a connection the server closed (a restart, an idle timeout) must
    not turn into a failed report: the append retries once on a new connection, and writes once."""
    store = EventStore(pg_planned)
    try:
        store.append(_report(10))                     # the pool now holds one append connection
        with psycopg.connect(_dsn(pg_planned), autocommit=True) as admin:
            killed = admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                   "WHERE datname = current_database() AND pid <> pg_backend_pid()").fetchall()
        assert killed and all(ok for (ok,) in killed)
        head_before = store.head()[0]
        stored = store.append(_report(20))
        assert stored.position == head_before + 1 and store.head()[0] == head_before + 1
        assert store.verify().ok
    finally:
        store.close()


def test_a_held_lock_still_times_out_as_store_unavailable(pg_planned: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The lock now travels in the pipeline with the reads; waiting past the lock timeout must still
    be a clear 'store unavailable', with nothing written."""
    from store import config
    from store.recording import recorder

    monkeypatch.setattr(config, "PG_LOCK_TIMEOUT", "300ms")
    store = EventStore(pg_planned)
    holder = psycopg.connect(_dsn(pg_planned))
    try:
        head_before = store.head()[0]
        holder.execute("SELECT pg_advisory_xact_lock(%s)", (recorder._PG_APPEND_LOCK,))
        with pytest.raises(StoreUnavailable, match="lock"):
            store.append(_report(30))
        holder.rollback()
        assert store.head()[0] == head_before
        assert store.append(_report(31)).position == head_before + 1   # the connection is usable again
    finally:
        holder.close()
        store.close()
