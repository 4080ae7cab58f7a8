"""Snapshots of the folded state: a board restarted from a snapshot and the events after it shows
exactly what a board folded from the first event shows; a snapshot that cannot be used is ignored."""

from __future__ import annotations

import datetime as dt
import logging

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal
from sqlalchemy import select, update

from store.domain.events import activity_stream
from store.log import EventStore
from store.reading import snapshots
from store.reading.projections import Projector
from tests.factories import fact
from tests.store.test_projections import EVERY_KIND_OF_FACT, frames, report

D = dt.date.fromisoformat
DAYS = ("2022-04-15", "2022-05-10", "2022-06-15", "2022-12-31")
UNITS = ("西宁市总工会", "省总宣传部", "省总经济技术部")


def _board(projector: Projector) -> dict[str, object]:
    """Every frame a page reads, on several days, and the per-unit and per-plan answers."""
    seen: dict[str, object] = {}
    for day in DAYS:
        for name, frame in frames(projector, day).items():
            seen[f"{name}@{day}"] = frame
        for unit in UNITS:
            seen[f"unit_days {unit}@{day}"] = projector.unit_days(unit, D(day))
        seen[f"plan_of_activities@{day}"] = projector.plan_of_activities(D(day))
    seen["last_fact_on"] = projector.last_fact_on("t2022")
    seen["position"] = projector.position
    seen["streams"] = projector.streams   # the log page's totals and choices
    return seen


def _assert_same(left: dict[str, object], right: dict[str, object]) -> None:
    assert left.keys() == right.keys()
    for key, value in left.items():
        if isinstance(value, pd.DataFrame):
            assert_frame_equal(value, right[key], obj=key)
        else:
            assert value == right[key], key


def _scratch(store: EventStore) -> Projector:
    projector = Projector(store)
    projector.catch_up()
    return projector


def _restarted(store: EventStore) -> tuple[Projector, int]:
    projector = Projector(store)
    at = snapshots.restore(store, projector)
    projector.catch_up()
    return projector, at


def test_a_board_from_a_snapshot_and_the_tail_equals_one_folded_from_scratch(planned: EventStore) -> None:
    """Facts of every kind before and after the snapshot, and in the tail a retraction of a fact
    that the snapshot holds: frame for frame the same board, on SQLite and PostgreSQL."""
    early = planned.append_many([*EVERY_KIND_OF_FACT, report(2, 30, "2022-04-10", unit="省总宣传部")])
    snapshots.init(planned)
    assert snapshots.take(planned, _scratch(planned))
    planned.append_many([
        report(1, 75, "2022-07-01", unit="省总经济技术部"),
        fact(1, "ParticipationRecorded", {"unit": "海东市总工会", "date": "2022-06-20", "participants": 40,
                                          "sessions": 1}, "2022-06-21", unit="海东市总工会"),
        fact(3, "MilestonePlanned", {"key": "m3", "title": "决赛", "due": "2022-10-01"}, "2022-06-01"),
        fact(3, "ActivityRevised", {"reason": "提前", "start": "2022-08-15"}, "2022-06-05"),
    ])
    for wrong in (early[0], early[2], early[7], early[8]):   # progress, target, completion, revision
        planned.retract(wrong.event_id, "误报", occurred_on=D("2022-06-30"))

    restarted, at = _restarted(planned)
    assert at == early[-1].position   # the tail really was folded on top of the snapshot
    _assert_same(_board(restarted), _board(_scratch(planned)))


def test_a_snapshot_of_the_head_needs_no_fold_at_all(planned: EventStore) -> None:
    planned.append_many(EVERY_KIND_OF_FACT)
    snapshots.init(planned)
    snapshots.take(planned, _scratch(planned))
    restarted = Projector(planned)
    assert snapshots.restore(planned, restarted) == planned.head()[0]
    assert restarted.catch_up() == 0
    _assert_same(_board(restarted), _board(_scratch(planned)))


def _corrupt(store: EventStore, **values: object) -> None:
    with store.recorder.engine.begin() as conn:
        conn.execute(update(snapshots.SNAPSHOTS).values(**values))


@pytest.mark.parametrize("damage", [
    {"state": b"not a snapshot at all"},                 # bytes that are not what their digest says
    {"code_version": "0" * 64},                          # taken by other folding code
    {"head_hash": "f" * 64},                             # taken from another log
], ids=["corrupt", "old-code", "other-log"])
def test_a_snapshot_that_does_not_load_is_ignored_and_the_board_folds_from_the_start(
        planned: EventStore, damage: dict[str, object], caplog: pytest.LogCaptureFixture) -> None:
    planned.append_many(EVERY_KIND_OF_FACT)
    snapshots.init(planned)
    snapshots.take(planned, _scratch(planned))
    _corrupt(planned, **damage)
    planned.append(report(1, 90, "2022-08-01", unit="省总经济技术部"))
    with caplog.at_level(logging.INFO, logger="duban.snapshots"):
        restarted, at = _restarted(planned)
    assert at == 0
    assert "ignored" in caplog.text
    _assert_same(_board(restarted), _board(_scratch(planned)))


def test_a_forged_snapshot_cannot_run_code(planned: EventStore, tmp_path, caplog: pytest.LogCaptureFixture) -> None:
    """A row whose pickle names a callable (here os.system) is refused before anything runs."""
    import hashlib
    import os
    import pickle
    import zlib

    flag = tmp_path / "ran"

    class Evil:
        def __reduce__(self):
            return os.system, (f"touch {flag}",)

    planned.append_many(EVERY_KIND_OF_FACT)
    snapshots.init(planned)
    snapshots.take(planned, _scratch(planned))
    blob = zlib.compress(pickle.dumps({"position": planned.head()[0], "cells": Evil()}))
    _corrupt(planned, state=blob, digest=hashlib.sha256(blob).hexdigest())
    with caplog.at_level(logging.WARNING, logger="duban.snapshots"):
        restarted, at = _restarted(planned)
    assert at == 0 and not flag.exists()
    assert "may not hold" in caplog.text
    assert restarted.activities(D("2022-06-15"))["status"].tolist() == \
        _scratch(planned).activities(D("2022-06-15"))["status"].tolist()


def test_older_snapshots_are_pruned_to_the_latest_few(planned: EventStore) -> None:
    snapshots.init(planned)
    for percent in (10, 20, 30, 40):
        planned.append(report(1, percent, "2022-05-01", unit="省总经济技术部"))
        snapshots.take(planned, _scratch(planned))
    with planned.recorder.read_engine.connect() as conn:
        kept = [r[0] for r in conn.execute(select(snapshots.SNAPSHOTS.c.position)
                                          .order_by(snapshots.SNAPSHOTS.c.position))]
    assert kept == [planned.head()[0] - 1, planned.head()[0]]
    assert activity_stream("t2022", 1) in _restarted(planned)[0].cells


def test_the_snapshot_command_saves_the_folded_state_and_refuses_an_empty_log(sqlite_url: str) -> None:
    from tests.store.helpers import cli
    from tests.store.test_cli import ok, refused

    refused(cli("--db", sqlite_url, "snapshot"), "error:", "日志为空：没有可保存的快照")
    store = EventStore(sqlite_url)
    store.init()
    from tests.factories import small_plan

    small_plan(store)
    store.append_many(EVERY_KIND_OF_FACT)
    assert ok(cli("--db", sqlite_url, "snapshot")).strip() == f"ok snapshot at position {store.head()[0]}"
    restarted, at = _restarted(store)
    assert at == store.head()[0]
    _assert_same(_board(restarted), _board(_scratch(store)))
    store.close()
