"""The pure rules behind every page: filtering, the attention list, what changed, self-check."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from dashboard.board.views import (Filters, attention_list, changes_since, filter_activities, moves_since, self_check,
                                   status_counts)

GROUPS = {"各市（州）总工会": ["西宁市总工会", "海东市总工会"]}


def frame(rows: list[dict]) -> pd.DataFrame:
    base = {"plan_id": "p", "body": "", "percent": 0.0, "attention": 2, "window_text": ""}
    out = pd.DataFrame([{**base, **r} for r in rows])
    for c in ("start", "end"):
        out[c] = pd.to_datetime(out[c])
    out["stream"] = [f"activity/p/{s}" for s in out["seq"]]
    return out


ACTS = frame([
    {"seq": 1, "title": "春风行动", "start": "2022-03-01", "end": "2022-07-31", "status": "overdue", "attention": 0,
     "lead_units": ["省总权益保障部"], "partner_units": ["各市（州）总工会"]},
    {"seq": 2, "title": "读书展示", "start": "2022-04-01", "end": "2022-04-30", "status": "done", "attention": 4,
     "lead_units": ["省总宣传部"], "partner_units": ["西宁市总工会"]},
    {"seq": 3, "title": "家风活动", "start": "2022-09-01", "end": "2022-12-31", "status": "at_risk", "attention": 1,
     "lead_units": ["海东市总工会"], "partner_units": []},
])


def seqs(f: pd.DataFrame) -> list[int]:
    return sorted(f["seq"].tolist())


def test_unit_filter_respects_role_and_groups():
    assert seqs(filter_activities(ACTS, Filters(units=("海东市总工会",)), 2022, GROUPS)) == [1, 3]
    assert seqs(filter_activities(ACTS, Filters(units=("海东市总工会",), role="lead"), 2022, GROUPS)) == [3]
    assert seqs(filter_activities(ACTS, Filters(units=("海东市总工会",), role="partner"), 2022, GROUPS)) == [1]
    assert seqs(filter_activities(ACTS, Filters(units=("西宁市总工会",), role="partner"), 2022, GROUPS)) == [1, 2]


def test_status_months_and_keyword_filters():
    assert seqs(filter_activities(ACTS, Filters(statuses=("done", "overdue")), 2022)) == [1, 2]
    assert seqs(filter_activities(ACTS, Filters(months=(8, 12)), 2022)) == [3]
    assert seqs(filter_activities(ACTS, Filters(months=(4, 4)), 2022)) == [1, 2]
    assert seqs(filter_activities(ACTS, Filters(keyword="春风"), 2022)) == [1]
    assert seqs(filter_activities(ACTS, Filters(keyword="  "), 2022)) == [1, 2, 3]


def test_attention_is_worst_first_and_counts_every_status():
    assert attention_list(ACTS)["seq"].tolist() == [1, 3]
    assert status_counts(ACTS, ["done", "overdue", "not_started"]) == {"done": 1, "overdue": 1, "not_started": 0}


def test_changes_since_the_last_meeting():
    before = ACTS.assign(status=["on_track", "on_track", "on_track"])
    milestones = pd.DataFrame({"seq": [2, 2], "title": ["初赛", "决赛"],
                               "reached_on": pd.to_datetime(["2022-04-10", "2022-05-20"])})
    participation = pd.DataFrame({"seq": [1], "unit": ["海东市总工会"], "occurred_on": pd.to_datetime(["2022-05-02"])})
    changes = changes_since(before, ACTS, milestones, participation, dt.date(2022, 4, 30), dt.date(2022, 5, 31))
    assert changes.completed["seq"].tolist() == [2]
    assert changes.turned_overdue["seq"].tolist() == [1]
    assert changes.turned_at_risk["seq"].tolist() == [3]
    assert changes.milestones_reached["title"].tolist() == ["决赛"]
    assert len(changes.participation_added) == 1
    assert changes_since(ACTS, ACTS, milestones.iloc[0:0], participation.iloc[0:0],
                         dt.date(2022, 4, 30), dt.date(2022, 5, 31)).is_empty()


def test_moves_since_the_last_meeting_are_from_to_pairs():
    before = ACTS.assign(percent=[40.0, 100.0, 0.0], risk_open=[True, False, False])
    now = ACTS.assign(percent=[60.0, 100.0, 0.0], risk_open=[False, False, True])
    now.loc[now["seq"] == 1, "end"] = pd.Timestamp("2022-10-31")
    targets = pd.DataFrame({"stream": ["activity/p/1", "activity/p/1"], "seq": [1, 1], "key": ["场次", "人数"],
                            "label": ["场次", "人数"], "planned": [10, 500], "achieved": [3, 200]})
    moves = moves_since(before, now, targets, targets.assign(achieved=[5, 200]))
    assert moves.progress[["seq", "percent_from", "percent_to"]].values.tolist() == [[1, 40, 60]]
    assert moves.targets[["label", "achieved_from", "achieved_to"]].values.tolist() == [["场次", 3, 5]]
    assert moves.revisions["seq"].tolist() == [1]
    assert "2022-07-31" in moves.revisions["window_from"][0] and "2022-10-31" in moves.revisions["window_to"][0]
    assert dict(zip(moves.risks["seq"], moves.risks["risk_change"])) == {1: "resolved", 3: "flagged"}
    assert moves_since(now, now, targets, targets).is_empty()


def test_self_check_flags_what_the_unit_has_not_reported():
    # What the projector's unit_days gives: the July report to activity 3 was retracted, so only 1's is left.
    days = pd.DataFrame({"stream": ["activity/p/1"], "occurred_on": pd.to_datetime(["2022-07-05"]), "events": [1]})
    acts = ACTS.assign(status=["on_track", "done", "not_started"], end=pd.to_datetime(["2022-07-20", "2022-04-30", "2022-12-31"]),
                       start=pd.to_datetime(["2022-03-01", "2022-04-01", "2022-07-01"]))
    mine = self_check(acts, days, "海东市总工会", dt.date(2022, 7, 10), GROUPS).set_index("seq")
    assert sorted(mine.index) == [1, 3]
    assert mine.loc[1, "role"] == "partner" and mine.loc[3, "role"] == "lead"
    assert mine.loc[1, "days_left"] == 10 and bool(mine.loc[1, "due_soon"])
    assert not mine.loc[1, "not_reported"]  # reported in July
    assert mine.loc[3, "not_reported"]  # its only July report was retracted
