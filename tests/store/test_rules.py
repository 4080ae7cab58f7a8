"""Who reports what (DESIGN.md, store/domain/rules.py): the rules hold for every writer, here the store's own API
and its command line, on both backends; the projections compute what they say."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from store.domain.events import activity_stream
from store.log import EventStore, RuleRefused, business_today
from store.reading.projections import Projector, status_table
from tests.factories import PLAN, fact
from tests.store.helpers import cli

LEAD, PARTNER, MEMBER = "省总经济技术部", "海东市总工会", "西宁市总工会"   # activity 1: lead 省总经济技术部, partner 各市（州）总工会
GROUPS = {"各市（州）总工会": [PARTNER, MEMBER]}
D = dt.date.fromisoformat


def percent_of(store: EventStore, seq: int, as_of: str) -> float:
    projector = Projector(store)
    projector.catch_up()
    return float(projector.activities(D(as_of)).set_index("seq").loc[seq, "percent"])


def report(percent: int, on: str, unit: str):
    return fact(1, "ProgressReported", {"percent": percent, "note": ""}, on, unit=unit)


def test_a_partners_report_is_kept_per_unit_and_never_replaces_the_leads_percent(planned: EventStore) -> None:
    planned.use_groups(GROUPS)
    planned.append(report(35, "2022-05-10", LEAD))
    planned.append(report(40, "2022-05-12", PARTNER))
    assert percent_of(planned, 1, "2022-05-20") == 35
    projector = Projector(planned)
    projector.catch_up()
    parts = projector.unit_progress(D("2022-05-20")).set_index("unit")
    assert parts.loc[PARTNER, "percent"] == 40 and parts.loc[PARTNER, "role"] == "partner"
    assert parts.loc[LEAD, "percent"] == 35 and parts.loc[LEAD, "role"] == "lead"
    planned.append(report(50, "2022-05-14", ""))   # the office (an admin) counts like a lead
    assert percent_of(planned, 1, "2022-05-20") == 50


def test_only_a_lead_or_the_office_closes_an_activity(planned: EventStore) -> None:
    planned.use_groups(GROUPS)
    with pytest.raises(RuleRefused) as refused:
        planned.append(fact(1, "ActivityCompleted", {"note": "完成"}, "2022-05-20", unit=PARTNER))
    assert "牵头单位" in refused.value.zh and PARTNER in refused.value.zh
    before = planned.head()
    with pytest.raises(RuleRefused):   # a unit the plan does not name at all, too
        planned.append(fact(1, "ActivityCompleted", {"note": ""}, "2022-05-20", unit="某某局"))
    assert planned.head() == before
    # 办结需审核 is on by default: a lead's completion is a request, the office's confirmation closes it.
    with pytest.raises(RuleRefused, match="review"):
        planned.append(fact(1, "ActivityCompleted", {"note": ""}, "2022-05-21", unit=LEAD))
    request = planned.append(fact(1, "CompletionRequested", {"note": "总结材料已报"}, "2022-05-21", unit=LEAD))
    planned.append(fact(1, "ActivityCompleted", {"note": "", "request_event_id": request.event_id}, "2022-05-21",
                        unit=""))
    projector = Projector(planned)
    projector.catch_up()
    assert projector.activities(D("2022-05-31")).set_index("seq").loc[1, "status"] == "done"


def test_a_completion_recorded_by_a_partner_before_the_rule_does_not_close_it(planned: EventStore) -> None:
    """The projection applies the rule too: an old log with a partner's completion shows the lead's numbers."""
    from store.log import NewEvent

    planned.append(report(35, "2022-05-10", LEAD))
    # as if written before the rule: the store's insert path without the check
    planned._check_rules = lambda *a, **k: None  # type: ignore[method-assign]
    planned.append(NewEvent("ActivityCompleted", activity_stream(PLAN, 1), {"note": ""},
                            occurred_on=D("2022-05-11"), unit=PARTNER))
    del planned._check_rules
    row = status_table(_caught_up(planned), D("2022-05-20"))[0]
    assert (row["status"], row["percent"]) != ("done", 100.0)
    assert row["percent"] == 35


def test_a_fact_dated_after_today_is_refused(planned: EventStore) -> None:
    before = planned.head()
    tomorrow = business_today() + dt.timedelta(days=1)
    with pytest.raises(RuleRefused) as refused:
        planned.append(fact(1, "ProgressReported", {"percent": 10, "note": ""}, tomorrow.isoformat(), unit=LEAD))
    assert "晚于今天" in refused.value.zh
    assert planned.head() == before
    planned.append(fact(1, "ProgressReported", {"percent": 10, "note": ""}, business_today().isoformat(), unit=LEAD))


def test_the_date_a_past_plan_opens_at_is_its_last_standing_fact(planned: EventStore) -> None:
    planned.append(report(35, "2022-09-28", LEAD))
    late = planned.append(report(35, "2022-12-31", LEAD))
    assert _caught_up(planned).last_fact_on(PLAN) == D("2022-12-31")
    planned.retract(late.event_id, "日期填错")
    assert _caught_up(planned).last_fact_on(PLAN) == D("2022-09-28")


def test_store_status_after_a_partner_report_and_a_refused_partner_completion(db_url: str, planned: EventStore) -> None:
    stream = activity_stream(PLAN, 1)

    def append(kind: str, payload: dict, unit: str):
        return cli("--db", db_url, "append", "--type", kind, "--stream", stream, "--payload",
                   json.dumps(payload, ensure_ascii=False), "--occurred-on", "2022-05-10", "--unit", unit)

    def percent() -> tuple[str, float]:
        done = cli("--db", db_url, "status", "--as-of", "2022-05-20", "--json")
        assert done.returncode == 0, done.stderr
        row = next(r for r in json.loads(done.stdout) if r["seq"] == 1)
        return row["status"], row["percent"]

    assert append("ProgressReported", {"percent": 35}, LEAD).returncode == 0
    assert append("ProgressReported", {"percent": 90}, PARTNER).returncode == 0
    assert percent()[1] == 35
    done = append("ActivityCompleted", {"note": ""}, PARTNER)
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert done.returncode == 2 and len(lines) == 1 and lines[0].startswith("error:")
    assert lines[0] == f"error: 「{PARTNER}」不是该活动的牵头单位，只有牵头单位或管理员可以确认活动完成"
    assert "Traceback" not in done.stderr and done.stdout == ""
    assert percent() != ("done", 100.0)


def _caught_up(store: EventStore) -> Projector:
    projector = Projector(store)
    projector.catch_up()
    return projector
