"""The log page filters and pages in SQL: the same rows the in-memory filter of the whole log kept,
for every filter it offers, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pandas as pd
import pytest

from dashboard.board import views
from dashboard.board.data import Board, log_query
from store.log import EventStore, NewEvent
from store.reading import log_query as lq
from tests.factories import activity_event, fact, plan_event, small_plan

D = dt.date.fromisoformat


@pytest.fixture
def board(store: EventStore) -> Board:
    """Two plans, facts by several units and actors over months, retractions, an event of no plan."""
    small_plan(store)
    store.append_many([plan_event("other", 2023), activity_event(1, "2023-03-01", "2023-06-30", plan_id="other")])
    units = ["西宁市总工会", "海东市总工会", "省总宣传部", ""]
    actors = ["alice", "bob", "cli"]
    batch = []
    for i in range(60):
        seq = 1 + i % 3
        on = D("2022-04-01") + dt.timedelta(days=(i * 5) % 180)
        batch.append(fact(seq, "ProgressReported", {"percent": i % 100, "note": f"第{i}次%_"},
                          on.isoformat(), unit=units[i % 4], actor=actors[i % 3]))
        if i % 7 == 0:
            batch.append(fact(seq, "ParticipationRecorded", {"unit": "西宁市总工会", "date": on.isoformat(),
                                                             "participants": i}, on.isoformat(), unit=units[i % 4]))
    stored = store.append_many(batch)
    store.append(NewEvent("ProgressReported", "activity/other/1", {"percent": 10}, occurred_on=D("2023-03-05"),
                          actor="alice", unit="海东市总工会"))
    store.append(NewEvent("RiskFlagged", "board/general", {"note": "全局风险"}, occurred_on=D("2022-05-05"),
                          actor="bob"))
    for wrong in stored[::11]:
        store.retract(wrong.event_id, "误报", actor="alice", unit=wrong.unit, occurred_on=D("2022-10-01"))
    b = Board(store.url)
    b.refresh()
    assert b.projector.position == store.head()[0] > 80
    return b


FILTERS = [
    {},
    {"types": ["ProgressReported"]},
    {"types": ["EventRetracted", "ParticipationRecorded"]},
    {"units": ["海东市总工会"]},
    {"units": [""]},
    {"actors": ["bob", "cli"]},
    {"seqs": [2]},
    {"seqs": [views.PLAN_LEVEL]},
    {"seqs": [views.PLAN_LEVEL, 3]},
    {"occurred": (D("2022-05-01"), D("2022-06-30"))},
    {"occurred": (D("2022-08-01"), None)},
    {"recorded": (dt.date.today() - dt.timedelta(days=1), dt.date.today() + dt.timedelta(days=1))},
    NOTHING_RECORDED_BEFORE := {"recorded": (None, dt.date.today() - dt.timedelta(days=1))},
    {"types": ["ProgressReported"], "units": ["西宁市总工会"], "actors": ["alice"], "seqs": [1, 2],
     "occurred": (D("2022-04-01"), D("2022-09-30"))},
]


@pytest.mark.parametrize("plan_id", ["t2022", "other", None])
@pytest.mark.parametrize("chosen", FILTERS, ids=lambda f: ",".join(f) or "nothing")
def test_sql_filters_keep_the_rows_the_in_memory_filter_kept(board: Board, plan_id: str | None, chosen: dict) -> None:
    everything = views.plan_log(board.projector.log(), plan_id)
    expected = views.newest(views.filter_log(everything, **chosen), len(everything))
    query = log_query(board, plan_id, **chosen)

    rows = board.projector.mark(lq.newest(board.store, query, None))
    if plan_id != "other" and chosen is not NOTHING_RECORDED_BEFORE:   # the cases are not vacuous
        assert len(expected) >= (1 if chosen else 40)
    assert rows["position"].tolist() == expected["position"].tolist()
    assert rows["retracted"].tolist() == expected["retracted"].tolist()
    assert rows["seq"].fillna(0).tolist() == expected["seq"].fillna(0).tolist()
    assert lq.count(board.store, query) == len(expected)
    wide = dataclasses.replace(query, wide_streams=True)   # the timeline's scan by position: same rows
    assert lq.newest(board.store, wide, None)["position"].tolist() == expected["position"].tolist()
    # A page of the newest rows and the one after it are the first rows of the same list.
    assert lq.newest(board.store, query, 7)["position"].tolist() == expected["position"].tolist()[:7]
    assert lq.newest(board.store, query, 7, 7)["position"].tolist() == expected["position"].tolist()[7:14]


@pytest.mark.parametrize("plan_id", ["t2022", "other", None])
def test_the_filter_choices_are_those_of_the_plans_events(board: Board, plan_id: str | None) -> None:
    everything = views.plan_log(board.projector.log(), plan_id)
    scope = log_query(board, plan_id)
    assert lq.count(board.store, scope) == len(everything)
    assert lq.distinct(board.store, "unit", scope) == sorted(everything["unit"].unique())
    assert lq.distinct(board.store, "actor", scope) == sorted(everything["actor"].unique())
    # What the page reads: the same total and choices from the projector's per-stream counts.
    assert board.projector.log_choices(scope.keeps_stream) == (
        len(everything), sorted(everything["unit"].unique()), sorted(everything["actor"].unique()))
    assert scope.is_scope_only() and not log_query(board, plan_id, units=["x"]).is_scope_only()


def test_retractions_name_their_target_and_reason(board: Board) -> None:
    """The page marks its rows with the retractions the board folded (``retraction_frame``), not a
    read of every retraction in the log: the same retractions, targets, reasons and positions."""
    expected = views.retractions(board.projector.log()).reset_index(drop=True)
    assert not expected.empty, "the store holds retractions"
    found = board.projector.retraction_frame()
    assert found[["event_id", "target_id", "reason"]].values.tolist() == \
        expected[["event_id", "target_id", "reason"]].values.tolist()
    assert found["target_position"].tolist() == expected["target_position"].tolist()


@pytest.mark.parametrize("as_of", ["2022-06-30", "2022-12-31"])
def test_the_timeline_counts_from_the_aggregates_chart_what_the_whole_event_list_charted(
        board: Board, as_of: str) -> None:
    """More events than marks: the bars of per-day counts from the aggregates are the bars the page
    drew from every event of the plan's activities (retracted ones and retractions included)."""
    from pandas.testing import assert_frame_equal

    from dashboard.render import charts

    log = board.projector.log()
    streams = [s for s in board.projector.seqs() if s.startswith("activity/t2022/")]
    mine = log[log["stream"].isin(streams) & (log["occurred_on"] <= pd.Timestamp(as_of))
               & ~log["type"].isin(["ActivityPlanned"])]
    counts = board.projector.timeline_counts(D(as_of))
    counts = counts[counts["stream"].isin(streams)]
    assert counts["events"].sum() == len(mine) > 10
    for marks in (10, 40):
        expected, grain = charts.timeline_data(mine, marks)
        found, found_grain = charts.timeline_data(counts, marks)
        assert found_grain == grain != "event"
        assert_frame_equal(found, expected)


def test_the_sidebar_keyword_finds_words_of_the_payload_on_both_backends(board: Board) -> None:
    """"第7次%_" is one note: its % and _ are the words written, not wildcards; case does not matter."""
    store = board.store
    found = lq.newest(store, log_query(board, None, keyword="第7次%_"), None)
    assert len(found) == 1
    assert lq.count(store, log_query(board, None, keyword="第7次%_")) == 1
    assert lq.count(store, log_query(board, None, keyword="第%次")) == 0
    upper = lq.count(store, log_query(board, None, keyword="PERCENT"))
    assert upper == lq.count(store, log_query(board, None, types=["ProgressReported"]))


@pytest.mark.parametrize("chosen", [{}, {"types": ["ProgressReported"], "units": ["海东市总工会"]},
                                    {"occurred": (None, D("2022-05-31"))}], ids=["all", "type+unit", "dated"])
def test_a_list_followed_as_the_log_grows_is_the_list_read_afresh(board: Board, chosen: dict) -> None:
    """上次会议以来 lists the newest late facts on every rerun of a large log: the board follows the
    list from one position to the next (the new rows, then the kept ones) instead of walking the
    newest matches again. At each step it is the list a fresh query gives, newest first, cut at the limit."""
    store = board.store
    for step in range(4):
        query = log_query(board, "t2022", **chosen)
        followed = board.newest(query, 12)
        assert followed["position"].tolist() == lq.newest(store, query, 12)["position"].tolist()
        assert len(followed) == 12
        # Some of the next events match, some do not (another unit, a later date, another type).
        store.append_many([
            fact(1, "ProgressReported", {"percent": 50 + step}, "2022-05-0" + str(step + 1), unit="海东市总工会"),
            fact(2, "RiskFlagged", {"note": f"风险{step}"}, "2022-07-01", unit="西宁市总工会"),
            *[fact(3, "ProgressReported", {"percent": step}, "2022-04-20", unit="海东市总工会") for _ in range(step * 5)]])
        board.refresh()
    query = log_query(board, "t2022", **chosen)
    assert board.newest(query, 12) is board.newest(query, 12)   # same position: the kept list itself
    with pytest.raises(ValueError):
        lq.newest_since(store, dataclasses.replace(query, only_streams=("activity/t2022/1",)), 12, (1, followed))
