"""Reports owed per cycle (on time, late, missing) and 考评 scores, from what the log shows."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys

import pandas as pd
import pytest

from store.domain.events import (
    ReportingCycle,
    activity_stream,
    plan_stream,
    reminder_stream,
)
from store.log import EventStore, NewEvent
from store.reading.projections import Projector
from store.reading.supervision import Supervision, cycle_of, report_rows, scores
from tests.factories import PLAN, fact

GROUPS = {"各市（州）总工会": ["西宁市总工会", "海东市总工会"]}
D = dt.date


def _folded(store: EventStore) -> tuple[Projector, Supervision]:
    projector, loop = Projector(store), Supervision(store)
    projector.catch_up()
    loop.catch_up()
    return projector, loop


def _report(store: EventStore, seq: int, unit: str, on: str) -> None:
    store.append(fact(seq, "ProgressReported", {"percent": 10}, on, unit=unit, actor=unit))


def test_cycles_are_the_month_due_on_day_n_or_the_week_due_on_its_weekday() -> None:
    monthly = cycle_of(ReportingCycle(kind="monthly", day=25), D(2022, 9, 28))
    assert (monthly.start, monthly.end, monthly.due) == (D(2022, 9, 1), D(2022, 9, 30), D(2022, 9, 25))
    weekly = cycle_of(ReportingCycle(kind="weekly", weekday=4), D(2022, 9, 28))   # a Wednesday
    assert (weekly.start, weekly.end, weekly.due) == (D(2022, 9, 26), D(2022, 10, 2), D(2022, 9, 30))


def test_a_unit_owes_each_active_activity_it_leads_or_partners_through_a_group(planned: EventStore) -> None:
    _report(planned, 3, "省总女职工委员会办公室", "2022-09-20")
    _report(planned, 1, "省总经济技术部", "2022-09-27")
    planned.append(fact(1, "ParticipationRecorded", {"unit": "西宁市总工会", "date": "2022-09-10",
                                                     "participants": 5}, "2022-09-10", unit="西宁市总工会"))
    projector, loop = _folded(planned)
    cycle = cycle_of(loop.settings(PLAN).reporting, D(2022, 9, 28))
    rows = report_rows(projector, loop, PLAN, cycle, D(2022, 9, 28), GROUPS)
    states = {(r.unit, r.seq): r.state for r in rows.itertuples()}
    # Activity 2 (April–May) is not active in September: nobody owes it.
    assert states == {
        ("省总经济技术部", 1): "late", ("西宁市总工会", 1): "on_time", ("海东市总工会", 1): "missing",
        ("省总女职工委员会办公室", 3): "on_time", ("西宁市总工会", 3): "missing",
    }
    before_due = report_rows(projector, loop, PLAN, cycle, D(2022, 9, 24), GROUPS)
    assert set(before_due[before_due["reported_on"].isna()]["state"]) == {"pending"}


def test_a_retracted_report_no_longer_settles_and_a_weekly_setting_changes_the_cycle(planned: EventStore) -> None:
    _report(planned, 3, "西宁市总工会", "2022-09-20")
    wrong = next(e for e in planned.read(types=["ProgressReported"]))
    planned.retract(wrong.event_id, "报错了", occurred_on=D(2022, 9, 21))
    planned.append(NewEvent("PlanSettingsChanged", plan_stream(PLAN), {"reporting": {"kind": "weekly", "weekday": 4}},
                            occurred_on=D(2022, 9, 1)))
    projector, loop = _folded(planned)
    cycle = cycle_of(loop.settings(PLAN).reporting, D(2022, 9, 24))
    assert cycle.due == D(2022, 9, 23)
    rows = report_rows(projector, loop, PLAN, cycle, D(2022, 9, 24), GROUPS)
    assert rows.set_index(["unit", "seq"]).loc[("西宁市总工会", 3), "state"] == "missing"


def test_scores_follow_the_rule_rank_with_ties_and_compare_with_the_previous_period(planned: EventStore) -> None:
    planned.append(NewEvent("PlanSettingsChanged", plan_stream(PLAN), {"scoring": {
        "start": 100, "missing": 5, "late": 2, "overdue": 10, "floor": 0,
        "bands": {"red_below": 90, "yellow_below": 96}}}, occurred_on=D(2022, 3, 2)))
    for month in ("08", "09"):
        _report(planned, 3, "省总女职工委员会办公室", f"2022-{month}-20")
        _report(planned, 1, "省总经济技术部", f"2022-{month}-27")
    planned.append(NewEvent("ReminderIssued", reminder_stream(PLAN), {
        "plan_id": PLAN, "unit": "海东市总工会", "cycle_start": "2022-09-01", "due": "2022-09-25",
        "activities": [1], "message": "请报送"}, occurred_on=D(2022, 9, 26)))
    projector, loop = _folded(planned)
    table = scores(projector, loop, PLAN, D(2022, 9, 1), D(2022, 9, 30), GROUPS).set_index("unit")
    # 海东 (through the group): missing 1; 西宁: missing 1 and 3; 经济技术部: late on 1 and lead of
    # activity 2, overdue; 宣传部: lead of activity 2.
    assert table.loc["海东市总工会", ["missing", "reminders", "score", "band"]].tolist() == [1, 1, 95, "yellow"]
    assert table.loc["西宁市总工会", ["missing", "reminders", "score", "band"]].tolist() == [2, 0, 90, "yellow"]
    assert table.loc["省总经济技术部", ["late", "overdue", "score", "band"]].tolist() == [1, 1, 88, "red"]
    assert table.loc["省总宣传部", ["overdue", "score", "band"]].tolist() == [1, 90, "yellow"]
    assert table.loc["省总女职工委员会办公室", ["on_time", "score", "rank", "band"]].tolist() == [1, 100, 1, "green"]
    assert table.loc["西宁市总工会", "rank"] == table.loc["省总宣传部", "rank"] == 3
    # August: 西宁 owed activity 1 only (activity 3 starts in September) and missed it: 95 -> 90.
    assert table.loc["西宁市总工会", ["previous_score", "change"]].tolist() == [95, -5]
    assert table.loc["海东市总工会", ["previous_score", "change"]].tolist() == [95, 0]
    assert pd.isna(table.loc["省总女职工委员会办公室", "previous_score"])   # owed nothing in August


def _cli(url: str, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "store", "--db", url, *args], capture_output=True, text=True)


def test_reports_and_scores_commands_on_the_2022_demo(store_files) -> None:
    url = f"sqlite:///{store_files['demo']}"
    rows = json.loads(_cli(url, "reports", "--as-of", "2022-09-28", "--json").stdout)
    assert rows and set(rows[0]) == {"unit", "seq", "cycle_start", "due", "reported_on", "state"}
    assert {r["cycle_start"] for r in rows} == {"2022-09-01"} and {r["due"] for r in rows} == {"2022-09-25"}
    missing = {r["unit"] for r in rows if r["state"] == "missing"}
    assert "海南州总工会" in missing and all(r["reported_on"] is None for r in rows if r["state"] == "missing")
    ranked = json.loads(_cli(url, "scores", "--from", "2022-09-01", "--to", "2022-09-30", "--json").stdout)
    assert [r["score"] for r in ranked] == sorted((r["score"] for r in ranked), reverse=True)
    assert ranked[0]["rank"] == 1 and {r["band"] for r in ranked} <= {"red", "yellow", "green"}
    assert all(r["score"] == max(0, 100 - 5 * r["missing"] - 2 * r["late"] - 10 * r["overdue"]) for r in ranked)


@pytest.mark.parametrize("args, message", [
    (("scores", "--from", "2022-09-30", "--to", "2022-09-01"), "--to 2022-09-01 早于 --from 2022-09-30"),
    (("reports", "--as-of", "2022-09-28", "--plan", "nosuch"), "没有方案 'nosuch'"),
    (("reports", "--as-of", "2022-13-01"), "不是 YYYY-MM-DD 格式的日期"),
])
def test_bad_command_input_is_one_error_line(store_files, args, message) -> None:
    done = _cli(f"sqlite:///{store_files['demo']}", *args)
    assert done.returncode == 2 and done.stderr.startswith("error:") and message in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_report_days_from_the_aggregates_are_the_reports_that_stand(store: EventStore) -> None:
    """The loop's report days come from the projector's per-day aggregates, not from a second pass over
    the log; they must be exactly the days a fold of the log's report facts gives, with retracted
    reports left out, a participation report counted for the unit it names, and a completion request
    counting as a report (the 督办 loop's rules)."""
    from tests.factories import small_plan

    small_plan(store)
    _report(store, 1, "西宁市总工会", "2022-04-05")
    _report(store, 1, "西宁市总工会", "2022-04-05")                       # two reports on one day: one day
    retracted = store.append(fact(1, "ProgressReported", {"percent": 30}, "2022-04-09", unit="海东市总工会"))
    store.retract(retracted.event_id, "报错了", occurred_on=D(2022, 4, 10))
    store.append(fact(2, "ParticipationRecorded", {"unit": "海东市总工会", "participants": 40, "date": "2022-04-11"},
                      "2022-04-12", unit="省总宣传部"))                    # recorded by the lead, for 海东
    store.append(fact(3, "CompletionRequested", {"note": "已完成"}, "2022-09-20", unit="省总女职工委员会办公室"))
    store.append(fact(3, "RiskFlagged", {"note": "场地"}, "2022-09-21", unit="西宁市总工会"))   # no report
    projector, _ = _folded(store)
    gone = {e.payload["retracted_event_id"] for e in store.read(types=["EventRetracted"])}
    expected: dict[tuple[str, str], set[dt.date]] = {}
    for e in store.read(types=["ProgressReported", "ParticipationRecorded", "ActivityCompleted", "CompletionRequested"]):
        unit = e.payload["unit"] if e.type == "ParticipationRecorded" else e.unit
        if unit and e.event_id not in gone:
            expected.setdefault((e.stream, unit), set()).add(e.occurred_on)
    days = projector.report_days()
    assert {k: set(v) for k, v in days.items()} == expected
    assert days[(activity_stream(PLAN, 1), "西宁市总工会")] == [D(2022, 4, 5)]
    assert (activity_stream(PLAN, 1), "海东市总工会") not in days
    assert days[(activity_stream(PLAN, 2), "海东市总工会")] == [D(2022, 4, 12)]
    assert days[(activity_stream(PLAN, 3), "省总女职工委员会办公室")] == [D(2022, 9, 20)]


def test_a_loop_on_the_board_s_retractions_answers_as_one_that_reads_them(planned: EventStore) -> None:
    """The dashboard's loop takes the retracted ids from the board, which folds every retraction
    already (a large log's thousands of retracted reports were read a second time for the loop):
    a retracted setting and a retracted reminder are gone from both, and both stand where asked."""
    wrong_rule = planned.append(NewEvent("PlanSettingsChanged", plan_stream(PLAN),
                                         {"reporting": {"kind": "weekly", "weekday": 4}}, occurred_on=D(2022, 9, 1)))
    planned.retract(wrong_rule.event_id, "周期设错了", occurred_on=D(2022, 9, 2))
    for unit in ("西宁市总工会", "海东市总工会"):
        planned.append(NewEvent("ReminderIssued", reminder_stream(PLAN), {
            "plan_id": PLAN, "unit": unit, "cycle_start": "2022-09-01", "due": "2022-09-25",
            "activities": [3], "message": "请报送进度"}, occurred_on=D(2022, 9, 26)))
    sent_twice = next(e for e in planned.read(types=["ReminderIssued"]) if e.payload["unit"] == "海东市总工会")
    planned.retract(sent_twice.event_id, "重复催办", occurred_on=D(2022, 9, 26))
    projector, own = _folded(planned)
    on_board = Supervision(planned, retracted=lambda: projector.retracted)
    on_board.catch_up(upto=projector.position)
    for loop in (own, on_board):
        assert loop.settings(PLAN).reporting.kind == "monthly"      # the retracted weekly rule is gone
        assert list(loop.reminders_of(PLAN)["unit"]) == ["西宁市总工会"]
        assert loop.position == projector.position
    _report(planned, 3, "西宁市总工会", "2022-09-27")                  # not a loop fact: nothing to fold
    projector.catch_up()
    assert on_board.catch_up(upto=projector.position) == 0 and on_board.position == projector.position


def _participation(store: EventStore, unit: str, on: str) -> None:
    store.append(fact(1, "ParticipationRecorded", {"unit": unit, "date": on, "participants": 5}, on, unit=unit))


def _remind(store: EventStore, unit: str, on: D) -> None:
    store.append(NewEvent("ReminderIssued", reminder_stream(PLAN), {
        "plan_id": PLAN, "unit": unit, "cycle_start": "2022-09-01", "due": "2022-09-25",
        "activities": [1], "message": "请报送"}, occurred_on=on))


def _september(store: EventStore, as_of: D) -> pd.DataFrame:
    projector, loop = _folded(store)
    cycle = cycle_of(loop.settings(PLAN).reporting, D(2022, 9, 28))
    return report_rows(projector, loop, PLAN, cycle, as_of, GROUPS).set_index(["unit", "seq"])


def test_a_report_dated_back_after_a_reminder_counts_from_the_reminder(planned: EventStore) -> None:
    """海东 is reminded on the 26th, past the due day, then reports dated the 20th: late, as of the
    26th. 西宁 reported on the 20th before being reminded by mistake: on time. A reminder sent before
    the due day leaves a report after it on time."""
    _participation(planned, "西宁市总工会", "2022-09-20")
    _remind(planned, "西宁市总工会", D(2022, 9, 26))
    _remind(planned, "海东市总工会", D(2022, 9, 26))
    _participation(planned, "海东市总工会", "2022-09-20")
    rows = _september(planned, D(2022, 9, 28))
    assert rows.loc[("海东市总工会", 1), ["state", "reported_on"]].tolist() == ["late", D(2022, 9, 26)]
    assert rows.loc[("西宁市总工会", 1), ["state", "reported_on"]].tolist() == ["on_time", D(2022, 9, 20)]
    # Before the reminder's day the board does not know of it: the report stands as dated.
    early = _september(planned, D(2022, 9, 25))
    assert early.loc[("海东市总工会", 1), "state"] == "on_time"


def test_a_reminder_before_the_due_day_leaves_a_report_after_it_on_time(planned: EventStore) -> None:
    _remind(planned, "海东市总工会", D(2022, 9, 22))
    _participation(planned, "海东市总工会", "2022-09-21")
    rows = _september(planned, D(2022, 9, 28))
    assert rows.loc[("海东市总工会", 1), ["state", "reported_on"]].tolist() == ["on_time", D(2022, 9, 22)]
