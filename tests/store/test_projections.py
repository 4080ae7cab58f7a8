"""Projections: the status rules of DESIGN.md, corrections, replay and the incremental fold.

The test plan (tests/factories.small_plan):
  1  2022-01-01..2022-12-31  lead 省总经济技术部, partner 各市（州）总工会, targets t1 奖章 20, t2 奖状 10
  2  2022-04-01..2022-05-31  lead 省总宣传部 + 省总经济技术部, partner 各市（州）总工会   (a 60-day window)
  3  2022-09-01..2022-10-31  lead 省总女职工委员会办公室, partner 西宁市总工会
"""

from __future__ import annotations

import datetime as dt
import time

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from store.domain.events import activity_stream
from store.log import EventStore, NewEvent
from store.reading.projections import Projector, status_table
from tests.factories import PLAN, activity_event, fact

D = dt.date.fromisoformat
GROUPS = {"各市（州）总工会": ["西宁市总工会", "海东市总工会", "海西州总工会"]}


def project(store: EventStore) -> Projector:
    projector = Projector(store)
    projector.catch_up()
    return projector


def row(store: EventStore, seq: int, as_of: str, known_at: dt.datetime | None = None) -> pd.Series:
    return project(store).activities(D(as_of), known_at).set_index("seq").loc[seq]


def status(store: EventStore, seq: int, as_of: str, known_at: dt.datetime | None = None) -> str:
    return row(store, seq, as_of, known_at)["status"]


def report(seq: int, percent: int, on: str, **kw) -> NewEvent:
    return fact(seq, "ProgressReported", {"percent": percent, "note": f"{percent}%"}, on, **kw)


def moment() -> dt.datetime:
    """A recorded-time cut strictly between what was appended before and what comes after."""
    time.sleep(0.01)
    now = dt.datetime.now(dt.UTC)
    time.sleep(0.01)
    return now


# -- the status rules ------------------------------------------------------------------------------
# Date arithmetic over a folded log: run on SQLite only; everything below them runs on both backends.


def test_done_when_a_completion_occurred_by_as_of(sqlite_planned: EventStore) -> None:
    sqlite_planned.append_many([report(2, 70, "2022-05-10"),
                                fact(2, "ActivityCompleted", {"note": "完成"}, "2022-05-20")])

    assert status(sqlite_planned, 2, "2022-05-19") == "at_risk"
    done = row(sqlite_planned, 2, "2022-05-20")
    assert done["status"] == "done"
    assert done["percent"] == 100.0
    assert done["done_on"] == pd.Timestamp("2022-05-20")
    # Done stays done after the end: never overdue.
    assert status(sqlite_planned, 2, "2022-07-01") == "done"


def test_done_late_is_overdue_until_the_completion(sqlite_planned: EventStore) -> None:
    sqlite_planned.append(fact(2, "ActivityCompleted", {"note": "迟交"}, "2022-06-10"))

    assert status(sqlite_planned, 2, "2022-06-09") == "overdue"
    assert status(sqlite_planned, 2, "2022-06-10") == "done"


def test_not_started_before_the_start(sqlite_planned: EventStore) -> None:
    assert status(sqlite_planned, 2, "2022-03-31") == "not_started"
    assert status(sqlite_planned, 3, "2022-08-31") == "not_started"
    assert status(sqlite_planned, 2, "2022-04-01") == "on_track"


def test_overdue_after_the_end_when_not_done(sqlite_planned: EventStore) -> None:
    sqlite_planned.append(report(2, 95, "2022-05-30"))

    assert status(sqlite_planned, 2, "2022-05-31") == "at_risk"
    assert status(sqlite_planned, 2, "2022-06-01") == "overdue"
    assert status(sqlite_planned, 1, "2023-01-01") == "overdue"


def test_at_risk_within_14_days_of_the_end_whatever_the_percent(sqlite_planned: EventStore) -> None:
    sqlite_planned.append(report(2, 100, "2022-05-01"))

    assert status(sqlite_planned, 2, "2022-05-16") == "on_track"   # 15 days left
    assert status(sqlite_planned, 2, "2022-05-17") == "at_risk"    # 14 days left
    assert status(sqlite_planned, 2, "2022-05-31") == "at_risk"    # the last day


def test_at_risk_when_percent_lags_the_elapsed_share_by_more_than_25_points(sqlite_planned: EventStore) -> None:
    # 2022-05-01 is 30 of 60 days into activity 2: elapsed 50 %, so below 25 % is at risk.
    sqlite_planned.append(report(2, 24, "2022-04-25"))
    assert status(sqlite_planned, 2, "2022-05-01") == "at_risk"

    sqlite_planned.append(report(2, 25, "2022-04-28"))
    assert status(sqlite_planned, 2, "2022-05-01") == "on_track"

    # Activity 1 on 2022-07-02: 182 of 364 days, 50 %.
    sqlite_planned.append(report(1, 20, "2022-07-01"))
    assert status(sqlite_planned, 1, "2022-07-02") == "at_risk"
    sqlite_planned.append(report(1, 30, "2022-07-02"))
    assert status(sqlite_planned, 1, "2022-07-02") == "on_track"


def test_on_track_otherwise(sqlite_planned: EventStore) -> None:
    sqlite_planned.append(report(1, 40, "2022-06-01"))

    assert status(sqlite_planned, 1, "2022-06-01") == "on_track"
    assert status(sqlite_planned, 2, "2022-04-10") == "on_track"    # early in the window, no report needed yet
    assert row(sqlite_planned, 1, "2022-06-01")["percent"] == 40.0


def test_no_report_counts_as_0_percent(sqlite_planned: EventStore) -> None:
    # 2022-04-16: 15 of 60 days = 25 %, 0 is not below 0; 2022-04-17: 26.7 %, 0 is below 1.7.
    assert status(sqlite_planned, 2, "2022-04-16") == "on_track"
    assert status(sqlite_planned, 2, "2022-04-17") == "at_risk"
    assert row(sqlite_planned, 2, "2022-04-17")["percent"] == 0.0
    assert row(sqlite_planned, 2, "2022-04-17")["reports"] == 0


def test_the_latest_report_by_business_date_counts_even_when_an_older_one_arrives_late(
        sqlite_planned: EventStore) -> None:
    sqlite_planned.append(report(2, 60, "2022-05-05"))
    sqlite_planned.append(report(2, 20, "2022-04-20"))   # recorded later, happened earlier

    assert row(sqlite_planned, 2, "2022-05-06")["percent"] == 60.0
    assert row(sqlite_planned, 2, "2022-05-06")["last_report_on"] == pd.Timestamp("2022-05-05")
    assert row(sqlite_planned, 2, "2022-04-30")["percent"] == 20.0


def test_the_status_table_is_the_activities_frame(sqlite_planned: EventStore) -> None:
    sqlite_planned.append_many([report(1, 40, "2022-06-01"),
                         fact(1, "TargetAdvanced", {"target": "t1", "amount": 5}, "2022-05-20"),
                         fact(2, "ActivityCompleted", {}, "2022-05-30")])

    rows = status_table(project(sqlite_planned), D("2022-06-01"))

    assert [(r["seq"], r["status"], r["percent"]) for r in rows] == [
        (1, "on_track", 40.0), (2, "done", 100.0), (3, "not_started", 0.0)]
    assert rows[0]["start"] == "2022-01-01" and rows[0]["end"] == "2022-12-31"
    assert rows[0]["targets"][0] == {"key": "t1", "label": "奖章", "unit": "个", "achieved": 5, "planned": 20}


# -- corrections: retracted events are skipped ------------------------------------------------------


def test_a_retracted_completion_makes_the_activity_not_done_again(planned: EventStore) -> None:
    planned.append(report(2, 50, "2022-04-28"))
    done = planned.append(fact(2, "ActivityCompleted", {"note": "误报"}, "2022-05-02"))
    assert status(planned, 2, "2022-05-03") == "done"

    planned.retract(done.event_id, "尚未完成")

    again = row(planned, 2, "2022-05-03")
    assert again["status"] == "on_track"
    assert again["percent"] == 50.0
    assert pd.isna(again["done_on"])
    assert status(planned, 2, "2022-06-01") == "overdue"


def test_a_retracted_report_falls_back_to_the_previous_one(planned: EventStore) -> None:
    planned.append(report(1, 40, "2022-06-01"))
    wrong = planned.append(report(1, 90, "2022-06-15"))
    assert row(planned, 1, "2022-06-20")["percent"] == 90.0

    planned.retract(wrong.event_id, "多打了一个零")

    fallback = row(planned, 1, "2022-06-20")
    assert fallback["percent"] == 40.0
    assert fallback["reports"] == 1
    assert fallback["last_report_on"] == pd.Timestamp("2022-06-01")
    log = project(planned).log()
    assert log.set_index("event_id").loc[wrong.event_id, "retracted"]


def test_a_retracted_only_report_leaves_0_percent(planned: EventStore) -> None:
    wrong = planned.append(report(2, 80, "2022-04-20"))
    planned.retract(wrong.event_id, "报错活动")

    assert row(planned, 2, "2022-05-01")["percent"] == 0.0
    assert status(planned, 2, "2022-05-01") == "at_risk"


def test_a_retracted_activity_leaves_the_board(planned: EventStore) -> None:
    """An activity imported by mistake is retracted from the event log page; the board drops it."""
    wrong = next(e for e in planned.read(types=["ActivityPlanned"]) if e.payload["seq"] == 3)
    before = moment()
    planned.retract(wrong.event_id, "误导入")
    projector = project(planned)

    assert list(projector.activities(D("2022-09-15"))["seq"]) == [1, 2]
    assert 3 not in set(projector.workload(D("2022-09-15"))["seq"])
    assert [r["seq"] for r in status_table(projector, D("2022-09-15"))] == [1, 2]
    # Replayed as it was before the retraction, the activity is still there.
    assert list(projector.activities(D("2022-09-15"), known_at=before)["seq"]) == [1, 2, 3]


EVERY_KIND_OF_FACT = [
    report(1, 60, "2022-06-02", unit="西宁市总工会"),
    fact(1, "ParticipationRecorded", {"unit": "西宁市总工会", "date": "2022-06-01", "participants": 90,
                                      "sessions": 2}, "2022-06-02", unit="西宁市总工会"),
    fact(1, "TargetAdvanced", {"target": "t1", "amount": 4}, "2022-06-02", unit="西宁市总工会"),
    fact(2, "MilestonePlanned", {"key": "m9", "title": "复赛", "due": "2022-05-20"}, "2022-04-02"),
    fact(2, "MilestoneReached", {"key": "m1"}, "2022-04-12", unit="省总宣传部"),
    fact(1, "RiskFlagged", {"note": "场地未落实"}, "2022-06-15"),
    fact(2, "RiskResolved", {"note": "已解决"}, "2022-04-03"),
    fact(2, "ActivityCompleted", {"note": "完成"}, "2022-05-01"),
    fact(2, "ActivityRevised", {"reason": "顺延", "end": "2022-07-31"}, "2022-04-20"),
]


@pytest.mark.parametrize("wrong", EVERY_KIND_OF_FACT, ids=lambda e: e.type)
def test_a_retraction_takes_out_exactly_what_its_event_added(planned: EventStore, wrong: NewEvent) -> None:
    """Whatever the kind of fact, recording it and retracting it leaves every frame as if it never was."""
    planned.append_many([
        report(1, 20, "2022-04-01", unit="西宁市总工会"),
        fact(1, "ParticipationRecorded", {"unit": "西宁市总工会", "date": "2022-06-01", "participants": 10},
             "2022-06-02", unit="西宁市总工会"),
        fact(2, "MilestonePlanned", {"key": "m1", "title": "启动", "due": "2022-04-10"}, "2022-03-25"),
        fact(2, "RiskFlagged", {"note": "人手不足"}, "2022-04-02"),
    ])
    untouched = Projector(planned)
    untouched.catch_up()
    baseline = {day: frames(untouched, day) for day in ("2022-04-30", "2022-06-30", "2022-12-31")}
    folded = Projector(planned)
    folded.catch_up()
    frames(folded, "2022-06-30")   # parts cached before the fact arrives must not survive it

    stored = planned.append(wrong)
    folded.catch_up()
    assert any(not frames(folded, day)[name].equals(baseline[day][name])
               for day in baseline for name in ("activities", "targets", "milestones", "participation",
                                                "unit_activity")), "the fact changed nothing to take out"
    planned.retract(stored.event_id, "录入错误")
    folded.catch_up()

    for day, expected in baseline.items():
        after = frames(folded, day)
        for name in ("activities", "targets", "milestones", "participation", "workload", "unit_activity", "plans"):
            assert_frame_equal(after[name], expected[name], obj=f"{name} as of {day}")
        assert after["log"]["retracted"].sum() == 1


# -- as_of and known_at ---------------------------------------------------------------------------


def test_as_of_cuts_by_occurred_on_not_by_recording(planned: EventStore) -> None:
    planned.append_many([report(1, 30, "2022-05-01"), report(1, 70, "2022-08-01"),
                         fact(1, "TargetAdvanced", {"target": "t2", "amount": 4}, "2022-08-01"),
                         fact(1, "ActivityCompleted", {}, "2022-11-30")])
    projector = project(planned)

    def seen(as_of: str) -> tuple:
        a = projector.activities(D(as_of)).set_index("seq").loc[1]
        t = projector.targets(D(as_of)).set_index("key").loc["t2", "achieved"]
        return a["status"], a["percent"], t

    assert seen("2022-04-30") == ("at_risk", 0.0, 0)     # 33 % of the year gone, nothing reported yet
    assert seen("2022-05-01") == ("on_track", 30.0, 0)
    assert seen("2022-08-01") == ("on_track", 70.0, 4)
    assert seen("2022-11-30") == ("done", 100.0, 4)


def test_known_at_replays_what_the_board_showed_then(planned: EventStore) -> None:
    first = planned.append(report(1, 40, "2022-06-01"))
    done = planned.append(fact(2, "ActivityCompleted", {}, "2022-05-30"))
    meeting = moment()
    # After the meeting: a correction, a new report and a new activity.
    planned.retract(first.event_id, "数字有误")
    planned.retract(done.event_id, "尚未验收")
    planned.append(report(1, 55, "2022-06-10"))
    planned.append(activity_event(4, "2022-06-01", "2022-06-30"))
    projector = project(planned)

    then = projector.activities(D("2022-06-20"), known_at=meeting).set_index("seq")
    now = projector.activities(D("2022-06-20")).set_index("seq")

    # The retractions were recorded after the meeting: at the meeting both facts still stood.
    assert then.loc[1, "percent"] == 40.0
    assert then.loc[2, "status"] == "done"
    assert list(then.index) == [1, 2, 3]
    assert now.loc[1, "percent"] == 55.0
    assert now.loc[2, "status"] == "overdue"
    assert list(now.index) == [1, 2, 3, 4]
    # The event log replays the same way.
    log_then = projector.log(known_at=meeting)
    assert len(log_then) == 6
    assert not log_then["retracted"].any()
    assert projector.log()["retracted"].sum() == 2
    # A naive known_at is taken as UTC.
    naive = meeting.replace(tzinfo=None)
    assert_frame_equal(projector.activities(D("2022-06-20"), known_at=naive),
                       projector.activities(D("2022-06-20"), known_at=meeting))


def test_activity_revised_changes_the_window_as_of_its_occurred_on(planned: EventStore) -> None:
    planned.append(fact(2, "ActivityRevised", {"reason": "疫情顺延", "end": "2022-07-31",
                                               "window_text": "4月至7月"}, "2022-05-20"))
    projector = project(planned)

    before = projector.activities(D("2022-05-19")).set_index("seq").loc[2]
    after = projector.activities(D("2022-06-15")).set_index("seq").loc[2]

    assert before["end"] == pd.Timestamp("2022-05-31")
    assert after["end"] == pd.Timestamp("2022-07-31")
    assert after["window_text"] == "4月至7月"
    assert after["status"] != "overdue"
    # Without the revision 2022-06-15 would be overdue; as of a day before it took effect, the old end holds.
    assert projector.activities(D("2022-05-19")).set_index("seq").loc[2, "status"] == "at_risk"


def test_a_retracted_revision_restores_the_plan(planned: EventStore) -> None:
    revision = planned.append(fact(2, "ActivityRevised", {"reason": "顺延", "end": "2022-07-31"}, "2022-05-20"))
    planned.retract(revision.event_id, "未获批准")

    assert row(planned, 2, "2022-06-15")["end"] == pd.Timestamp("2022-05-31")
    assert status(planned, 2, "2022-06-15") == "overdue"


def test_revisions_apply_in_business_date_order(planned: EventStore) -> None:
    planned.append(fact(3, "ActivityRevised", {"reason": "再次调整", "start": "2022-08-15"}, "2022-08-10"))
    planned.append(fact(3, "ActivityRevised", {"reason": "第一次调整", "start": "2022-08-20",
                                               "lead_units": ["省总宣传部"]}, "2022-08-01"))

    revised = row(planned, 3, "2022-08-31")
    assert revised["start"] == pd.Timestamp("2022-08-15")
    assert revised["lead_units"] == ["省总宣传部"]
    assert row(planned, 3, "2022-08-05")["start"] == pd.Timestamp("2022-08-20")


# -- targets, milestones, participation -------------------------------------------------------------


def test_targets_planned_vs_achieved(planned: EventStore) -> None:
    planned.append_many([
        fact(1, "TargetAdvanced", {"target": "t1", "amount": 5, "note": "第一批"}, "2022-04-20"),
        fact(1, "TargetAdvanced", {"target": "t1", "amount": 7}, "2022-04-28"),
        fact(1, "TargetAdvanced", {"target": "t2", "amount": 10}, "2022-04-28"),
    ])
    wrong = planned.append(fact(1, "TargetAdvanced", {"target": "t2", "amount": 3}, "2022-04-29"))
    planned.retract(wrong.event_id, "重复录入")

    targets = project(planned).targets(D("2022-05-01")).set_index("key")

    assert targets.loc["t1", ["label", "unit", "planned", "achieved"]].tolist() == ["奖章", "个", 20, 12]
    assert targets.loc["t2", ["label", "planned", "achieved"]].tolist() == ["奖状", 10, 10]
    assert set(targets["seq"]) == {1}
    assert project(planned).targets(D("2022-04-27")).set_index("key").loc["t1", "achieved"] == 5


def test_a_revision_of_the_targets_changes_what_is_planned(planned: EventStore) -> None:
    planned.append(fact(1, "ActivityRevised", {"reason": "追加名额", "targets": [
        {"key": "t1", "label": "奖章", "quantity": 25, "unit": "个"},
        {"key": "t2", "label": "奖状", "quantity": 10, "unit": "个"}]}, "2022-06-01"))

    projector = project(planned)
    assert projector.targets(D("2022-05-31")).set_index("key").loc["t1", "planned"] == 20
    assert projector.targets(D("2022-06-01")).set_index("key").loc["t1", "planned"] == 25


def test_milestones_planned_and_reached(planned: EventStore) -> None:
    planned.append_many([
        fact(2, "MilestonePlanned", {"key": "m1", "title": "启动仪式", "due": "2022-04-10"}, "2022-03-20"),
        fact(2, "MilestonePlanned", {"key": "m2", "title": "总结表彰", "due": "2022-05-30"}, "2022-03-20"),
        fact(2, "MilestoneReached", {"key": "m1", "note": "已举行"}, "2022-04-12"),
    ])

    projector = project(planned)
    before = projector.milestones(D("2022-04-11")).set_index("key")
    after = projector.milestones(D("2022-05-01")).set_index("key")

    assert list(after.index) == ["m1", "m2"]
    assert after.loc["m1", "title"] == "启动仪式"
    assert after.loc["m1", "due"] == pd.Timestamp("2022-04-10")
    assert after.loc["m1", "reached_on"] == pd.Timestamp("2022-04-12")
    assert pd.isna(after.loc["m2", "reached_on"])
    assert pd.isna(before.loc["m1", "reached_on"])
    assert set(after["seq"]) == {2}
    assert projector.milestones(D("2022-03-01")).empty


def test_participation_is_summed_per_unit_date_and_day(planned: EventStore) -> None:
    planned.append_many([
        fact(2, "ParticipationRecorded", {"unit": "西宁市总工会", "date": "2022-04-20", "participants": 300,
                                          "sessions": 3, "place": "西宁", "note": "技能竞赛"}, "2022-04-21",
             actor="李四", unit="西宁市总工会"),
        fact(2, "ParticipationRecorded", {"unit": "西宁市总工会", "date": "2022-04-20", "participants": 50,
                                          "sessions": 1}, "2022-04-21", unit="西宁市总工会"),
        fact(2, "ParticipationRecorded", {"unit": "海东市总工会", "date": "2022-04-22", "participants": 120},
             "2022-04-22", unit="海东市总工会"),
        fact(3, "ParticipationRecorded", {"unit": "西宁市总工会", "date": "2022-09-10", "participants": 40,
                                          "sessions": 1}, "2022-09-10"),
    ])

    rows = project(planned).participation(D("2022-05-01"))

    assert len(rows) == 2
    first = rows.iloc[0]
    assert (first["seq"], first["unit"], first["participants"], first["sessions"], first["reports"]) == (
        2, "西宁市总工会", 350, 4, 2)
    assert (first["date"], first["occurred_on"]) == (pd.Timestamp("2022-04-20"), pd.Timestamp("2022-04-21"))
    assert (rows.iloc[1]["unit"], rows.iloc[1]["sessions"], rows.iloc[1]["reports"]) == ("海东市总工会", 0, 1)
    assert row(planned, 2, "2022-05-01")["participants"] == 470
    assert project(planned).participation(D("2022-03-01")).empty


def test_a_retracted_participation_report_leaves_the_sums(planned: EventStore) -> None:
    kept = planned.append(fact(2, "ParticipationRecorded", {"unit": "西宁市总工会", "date": "2022-04-20",
                                                            "participants": 300}, "2022-04-21", unit="西宁市总工会"))
    wrong = planned.append(fact(2, "ParticipationRecorded", {"unit": "西宁市总工会", "date": "2022-04-20",
                                                             "participants": 3000}, "2022-04-21", unit="西宁市总工会"))
    projector = project(planned)
    assert projector.participation(D("2022-05-01"))["participants"].tolist() == [3300]

    planned.retract(wrong.event_id, "多打了一个零")
    projector.catch_up()

    rows = projector.participation(D("2022-05-01"))
    assert (rows["participants"].tolist(), rows["reports"].tolist()) == ([300], [1])
    assert projector.unit_activity(D("2022-05-01"))["participants"].tolist() == [300]
    assert row(planned, 2, "2022-05-01")["participants"] == 300
    assert kept.event_id not in set(projector.log().loc[lambda f: f["retracted"], "event_id"])


# -- workload ---------------------------------------------------------------------------------------


def _cell(frame: pd.DataFrame, unit: str, month: str, role: str) -> tuple[int, float] | None:
    """(active activities, summed weight) of one unit, month and role; None when it has no work there."""
    hit = frame[(frame["unit"] == unit) & (frame["month"] == pd.Timestamp(month)) & (frame["role"] == role)]
    if hit.empty:
        return None
    return int(hit["stream"].nunique()), float(hit["weight"].sum())


def test_workload_by_month_with_lead_and_partner_apart(planned: EventStore) -> None:
    work = project(planned).workload(D("2022-12-31"))

    assert _cell(work, "省总经济技术部", "2022-01-01", "lead") == (1, 1.0)
    assert _cell(work, "省总经济技术部", "2022-04-01", "lead") == (2, 2.0)    # activities 1 and 2
    assert _cell(work, "省总经济技术部", "2022-06-01", "lead") == (1, 1.0)
    assert _cell(work, "省总宣传部", "2022-05-01", "lead") == (1, 1.0)
    assert _cell(work, "省总宣传部", "2022-06-01", "lead") is None
    assert _cell(work, "各市（州）总工会", "2022-01-01", "partner") == (1, 0.5)
    assert _cell(work, "各市（州）总工会", "2022-04-01", "partner") == (2, 1.0)
    assert _cell(work, "各市（州）总工会", "2022-04-01", "lead") is None
    assert _cell(work, "西宁市总工会", "2022-09-01", "partner") == (1, 0.5)
    assert _cell(work, "省总女职工委员会办公室", "2022-10-01", "lead") == (1, 1.0)
    assert _cell(work, "省总女职工委员会办公室", "2022-11-01", "lead") is None
    assert work.loc[work["unit"] == "省总经济技术部", "month"].nunique() == 12
    assert set(work["role"]) == {"lead", "partner"}


def test_workload_expands_a_group_to_the_members_that_reported(planned: EventStore) -> None:
    planned.append(fact(2, "ParticipationRecorded", {"unit": "西宁市总工会", "date": "2022-04-20",
                                                     "participants": 80}, "2022-04-20", unit="西宁市总工会"))

    plain = project(planned).workload(D("2022-12-31"))
    grouped = project(planned).workload(D("2022-12-31"), groups=GROUPS)

    # Without groups, 西宁 works only where it is named (activity 3).
    assert _cell(plain, "西宁市总工会", "2022-04-01", "partner") is None
    # With groups, it also takes the group's partner role in activity 2, where it reported …
    assert _cell(grouped, "西宁市总工会", "2022-04-01", "partner") == (1, 0.5)
    assert _cell(grouped, "西宁市总工会", "2022-05-01", "partner") == (1, 0.5)
    # … but not in activity 1, where it did not report, and members that never reported get nothing.
    assert _cell(grouped, "西宁市总工会", "2022-01-01", "partner") is None
    assert grouped[grouped["unit"].isin(["海东市总工会", "海西州总工会"])].empty
    # The group stays as named in the plan.
    assert _cell(grouped, "各市（州）总工会", "2022-04-01", "partner") == (2, 1.0)
    assert _cell(grouped, "西宁市总工会", "2022-09-01", "partner") == (1, 0.5)


def test_unit_activity_counts_events_and_participants_per_month(planned: EventStore) -> None:
    planned.append_many([
        fact(2, "ParticipationRecorded", {"unit": "西宁市总工会", "date": "2022-04-20", "participants": 80},
             "2022-04-20", unit="西宁市总工会"),
        fact(2, "ParticipationRecorded", {"unit": "西宁市总工会", "date": "2022-04-25", "participants": 20},
             "2022-04-25", unit="西宁市总工会"),
        report(2, 30, "2022-04-26", unit="省总宣传部"),
    ])

    frame = (project(planned).unit_activity(D("2022-12-31"))
             .groupby(["unit", "month"])[["events", "participants"]].sum())

    assert frame.loc[("西宁市总工会", pd.Timestamp("2022-04-01")), "events"] == 2
    assert frame.loc[("西宁市总工会", pd.Timestamp("2022-04-01")), "participants"] == 100
    assert frame.loc[("省总宣传部", pd.Timestamp("2022-04-01")), "events"] == 1
    assert frame.loc[("省总宣传部", pd.Timestamp("2022-04-01")), "participants"] == 0


def test_unit_days_are_the_days_a_unit_recorded_on_less_retractions(planned: EventStore) -> None:
    planned.append(report(1, 10, "2022-07-05", unit="海东市总工会"))
    wrong = planned.append(report(3, 10, "2022-09-06", unit="海东市总工会"))
    planned.append(report(3, 20, "2022-09-07", unit="西宁市总工会"))
    planned.retract(wrong.event_id, "报错了活动")
    projector = project(planned)

    days = projector.unit_days("海东市总工会", D("2022-12-31"))
    assert days[["stream", "occurred_on"]].values.tolist() == [[activity_stream(PLAN, 1), pd.Timestamp("2022-07-05")]]
    assert projector.unit_days("海东市总工会", D("2022-07-04")).empty
    assert projector.last_fact_on(PLAN) == D("2022-09-07")


def test_unit_days_count_reports_as_the_supervision_loop_does(planned: EventStore) -> None:
    """An extension request is no report (催办 does not count it): 部门自查 once said the unit had
    reported that day while 催办 listed it as missing."""
    planned.append(report(3, 10, "2022-09-05", unit="省总女职工委员会办公室"))
    planned.append(NewEvent("ExtensionRequested", activity_stream(PLAN, 3), {"end": "2022-11-30", "reason": "场地未落实"},
                            occurred_on=D("2022-09-06"), unit="省总女职工委员会办公室"))
    projector = project(planned)
    days = projector.unit_days("省总女职工委员会办公室", D("2022-12-31"))
    assert days[["stream", "occurred_on"]].values.tolist() == [[activity_stream(PLAN, 3), pd.Timestamp("2022-09-05")]]
    assert projector.report_days()[(activity_stream(PLAN, 3), "省总女职工委员会办公室")] == [D("2022-09-05")]


# -- the incremental fold -------------------------------------------------------------------------


def frames(projector: Projector, as_of: str = "2022-06-15") -> dict[str, pd.DataFrame]:
    day = D(as_of)
    return {
        "activities": projector.activities(day), "targets": projector.targets(day),
        "milestones": projector.milestones(day), "participation": projector.participation(day),
        "workload": projector.workload(day, groups=GROUPS), "unit_activity": projector.unit_activity(day),
        "log": projector.log(), "plans": projector.plan_frame(),
    }


def test_catching_up_folds_only_new_events_and_equals_a_full_rebuild(planned: EventStore) -> None:
    planned.append_many([
        report(1, 20, "2022-04-01", unit="省总经济技术部"),
        fact(1, "TargetAdvanced", {"target": "t1", "amount": 3}, "2022-04-02"),
        fact(2, "MilestonePlanned", {"key": "m1", "title": "启动", "due": "2022-04-10"}, "2022-03-25"),
    ])
    incremental = Projector(planned)
    assert incremental.catch_up() == 7
    assert incremental.position == 7
    frames(incremental)   # fill the caches that the next catch-up must not leave stale
    assert incremental.catch_up() == 0

    wrong = planned.append(report(1, 90, "2022-05-01"))
    planned.append_many([
        fact(2, "ParticipationRecorded", {"unit": "西宁市总工会", "date": "2022-04-20", "participants": 80},
             "2022-04-20", unit="西宁市总工会"),
        fact(2, "MilestoneReached", {"key": "m1"}, "2022-04-11"),
        fact(2, "ActivityRevised", {"reason": "顺延", "end": "2022-06-30"}, "2022-05-15"),
        fact(2, "ActivityCompleted", {}, "2022-06-01"),
        activity_event(4, "2022-06-01", "2022-08-31", partners=["海东市总工会"]),
    ])
    planned.retract(wrong.event_id, "填错")

    assert incremental.catch_up() == 7
    assert incremental.position == 14
    fresh = Projector(planned)
    assert fresh.catch_up() == 14

    for as_of in ("2022-06-15", "2022-03-01", "2022-05-20", "2022-12-31"):
        mine, theirs = frames(incremental, as_of), frames(fresh, as_of)
        for name, frame in theirs.items():
            assert_frame_equal(mine[name], frame, obj=f"{name} as of {as_of}")
    now = fresh.activities(D("2022-06-15")).set_index("seq")
    assert now.loc[1, "percent"] == 20.0          # the 90 % report was retracted
    assert now.loc[2, "status"] == "done"
    assert list(now.index) == [1, 2, 3, 4]


def test_a_projector_of_an_empty_store_gives_empty_frames(store: EventStore) -> None:
    projector = Projector(store)
    assert projector.catch_up() == 0
    for name, frame in frames(projector).items():
        assert frame.empty, name


def test_a_stream_outside_any_plan_does_not_disturb_the_frames(planned: EventStore) -> None:
    planned.append(NewEvent("RiskFlagged", "board/general", {"note": "全局风险"}, occurred_on=D("2022-04-01")))
    projector = project(planned)

    assert list(projector.activities(D("2022-04-02"))["seq"]) == [1, 2, 3]
    assert len(projector.log()) == 5
    assert projector.log()["stream"].iloc[-1] == "board/general"
    assert activity_stream(PLAN, 1) in set(projector.log()["stream"])


def test_the_log_built_in_small_chunks_is_the_log_built_at_once(planned: EventStore) -> None:
    """A large log is turned into a frame a chunk at a time (to bound memory); the frame must not show it."""
    from store.reading.projections import log_frame as _log_frame

    planned.append_many([report(1, 20, "2022-04-01"), report(2, 30, "2022-04-02", unit="省总宣传部"),
                         fact(2, "ParticipationRecorded", {"unit": "西宁市总工会", "date": "2022-04-20",
                                                          "participants": 80}, "2022-04-20")])
    wrong = planned.append(report(1, 90, "2022-04-03"))
    planned.retract(wrong.event_id, "填错")

    assert_frame_equal(_log_frame(planned.read(), chunk=2), _log_frame(planned.read(), chunk=1_000))
    assert len(_log_frame(planned.read(), chunk=2)) == planned.head()[0]
