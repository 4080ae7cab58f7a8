"""办结审核 and 延期申请 (DESIGN.md "The 督办 loop"): a lead asks, the office answers; the rules
(store/domain/rules.py) hold on both backends and the projections show where each request stands."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from store.domain.events import activity_stream, plan_stream
from store.log import EventStore, NewEvent, RuleRefused
from store.reading.projections import Projector, status_table
from store.recording.envelope import PayloadError
from tests.factories import PLAN, fact
from tests.store.helpers import cli

LEAD, PARTNER = "省总女职工委员会办公室", "西宁市总工会"   # activity 3: 2022-09-01..2022-10-31
D = dt.date.fromisoformat


def _row(store: EventStore, as_of: str, seq: int = 3) -> dict:
    projector = Projector(store)
    projector.catch_up()
    return projector.activities(D(as_of)).set_index("seq").loc[seq].to_dict()


def _requests(store: EventStore, as_of: str):
    projector = Projector(store)
    projector.catch_up()
    return projector.requests(D(as_of))


def _ask(store: EventStore, on: str = "2022-09-20", unit: str = LEAD):
    return store.append(fact(3, "CompletionRequested", {"note": "活动总结及照片已上传"}, on, unit=unit))


def test_a_leads_completion_waits_for_the_office(planned: EventStore) -> None:
    request = _ask(planned)
    row = _row(planned, "2022-09-25")
    assert row["status"] != "done" and row["review_pending"]
    assert _row(planned, "2022-09-19")["review_pending"] is False   # not yet asked on that day
    assert _row(planned, "2022-11-05")["status"] == "overdue"        # still 逾期 while it waits
    planned.append(fact(3, "ActivityCompleted", {"note": "确认", "request_event_id": request.event_id},
                        "2022-09-26", actor="office"))
    done = _row(planned, "2022-09-30")
    assert done["status"] == "done" and done["done_on"].date() == D("2022-09-26") and not done["review_pending"]
    states = _requests(planned, "2022-09-30")
    assert list(states["state"]) == ["confirmed"] and states.iloc[0]["unit"] == LEAD
    assert planned.verify().ok


def test_the_office_returns_a_request_with_a_reason_and_the_lead_may_ask_again(planned: EventStore) -> None:
    request = _ask(planned)
    with pytest.raises(RuleRefused, match="open completion request"):
        _ask(planned, "2022-09-21")
    with pytest.raises(PayloadError, match="reason"):
        planned.append(fact(3, "CompletionReturned", {"request_event_id": request.event_id, "reason": ""},
                            "2022-09-22"))
    with pytest.raises(RuleRefused) as not_office:   # a lead cannot answer its own request
        planned.append(fact(3, "CompletionReturned", {"request_event_id": request.event_id, "reason": "x"},
                            "2022-09-22", unit=LEAD))
    assert "办公室" in not_office.value.zh
    planned.append(fact(3, "CompletionReturned", {"request_event_id": request.event_id,
                                                   "reason": "缺少参与人数佐证"}, "2022-09-22"))
    returned = _requests(planned, "2022-09-30").iloc[0]
    assert (returned["state"], returned["answer_note"]) == ("returned", "缺少参与人数佐证")
    assert returned["answered_on"].date() == D("2022-09-22")
    assert not _row(planned, "2022-09-30")["review_pending"]
    with pytest.raises(RuleRefused, match="not an open request"):   # answered once: not again
        planned.append(fact(3, "ActivityCompleted", {"note": "", "request_event_id": request.event_id},
                            "2022-09-23"))
    _ask(planned, "2022-09-24")
    assert _row(planned, "2022-09-30")["review_pending"]


def test_the_office_answers_an_open_request_rather_than_closing_around_it(planned: EventStore) -> None:
    request = _ask(planned)
    with pytest.raises(RuleRefused) as refused:
        planned.append(fact(3, "ActivityCompleted", {"note": ""}, "2022-09-21"))
    assert "审核" in refused.value.zh
    planned.append(fact(3, "ActivityCompleted", {"note": "", "request_event_id": request.event_id}, "2022-09-21"))
    assert list(_requests(planned, "2022-09-30")["state"]) == ["confirmed"]


def test_only_a_lead_asks(planned: EventStore) -> None:
    for unit in (PARTNER, ""):
        with pytest.raises(RuleRefused):
            _ask(planned, unit=unit)


def test_a_retracted_confirmation_leaves_the_request_waiting_again(planned: EventStore) -> None:
    request = _ask(planned)
    confirmed = planned.append(fact(3, "ActivityCompleted", {"note": "", "request_event_id": request.event_id},
                                    "2022-09-26"))
    planned.retract(confirmed.event_id, "确认错了")
    row = _row(planned, "2022-09-30")
    assert row["status"] != "done" and row["review_pending"]
    planned.retract(request.event_id, "申请撤回")
    assert not _row(planned, "2022-09-30")["review_pending"] and _requests(planned, "2022-09-30").empty


def test_without_review_a_lead_closes_directly(planned: EventStore) -> None:
    planned.append(NewEvent("PlanSettingsChanged", plan_stream(PLAN), {"review_required": False},
                            occurred_on=D("2022-03-02"), actor="admin"))
    planned.append(fact(3, "ActivityCompleted", {"note": ""}, "2022-09-20", unit=LEAD))
    assert _row(planned, "2022-09-30")["status"] == "done"


def test_an_extension_asked_then_approved_moves_the_end_and_keeps_the_planned_one(planned: EventStore) -> None:
    asked = planned.append(fact(3, "ExtensionRequested", {"end": "2022-11-30", "reason": "场地未落实"},
                                "2022-10-20", unit=LEAD))
    row = _row(planned, "2022-10-25")
    assert row["extension_asked"].date() == D("2022-11-30") and row["end"].date() == D("2022-10-31")
    with pytest.raises(RuleRefused, match="open extension request"):
        planned.append(fact(3, "ExtensionRequested", {"end": "2022-12-10", "reason": "x"}, "2022-10-21", unit=LEAD))
    planned.append(fact(3, "ActivityRevised", {"end": "2022-11-30", "reason": "同意延期",
                                               "extension_request_id": asked.event_id}, "2022-10-22"))
    row = _row(planned, "2022-11-05")
    assert row["end"].date() == D("2022-11-30") and row["planned_end"].date() == D("2022-10-31")
    assert row["status"] != "overdue" and pd_isna(row["extension_asked"])
    assert list(_requests(planned, "2022-11-05")["state"]) == ["approved"]


def test_an_extension_refused_leaves_the_end(planned: EventStore) -> None:
    asked = planned.append(fact(3, "ExtensionRequested", {"end": "2022-11-30", "reason": "场地未落实"},
                                "2022-10-20", unit=LEAD))
    with pytest.raises(RuleRefused):   # a partner answers nothing
        planned.append(fact(3, "ExtensionRefused", {"request_event_id": asked.event_id, "reason": "x"},
                            "2022-10-21", unit=PARTNER))
    planned.append(fact(3, "ExtensionRefused", {"request_event_id": asked.event_id, "reason": "按原计划完成"},
                        "2022-10-21"))
    row = _row(planned, "2022-11-05")
    assert row["status"] == "overdue" and row["end"].date() == D("2022-10-31")
    refused = _requests(planned, "2022-11-05").iloc[0]
    assert (refused["kind"], refused["state"], refused["answer_note"]) == ("extension", "refused", "按原计划完成")


def test_store_status_json_shows_the_pending_review(db_url: str, planned: EventStore) -> None:
    stream = activity_stream(PLAN, 3)
    asked = cli("--db", db_url, "append", "--type", "CompletionRequested", "--stream", stream,
                "--payload", json.dumps({"note": "已完成"}, ensure_ascii=False), "--occurred-on", "2022-09-20",
                "--unit", LEAD)
    assert asked.returncode == 0, asked.stderr
    refused = cli("--db", db_url, "append", "--type", "ActivityCompleted", "--stream", stream,
                  "--payload", "{}", "--occurred-on", "2022-09-20", "--unit", LEAD)
    assert refused.returncode == 2 and refused.stderr.startswith("error:") and len(refused.stderr.splitlines()) == 1
    assert "办结需审核" in refused.stderr
    shown = cli("--db", db_url, "status", "--as-of", "2022-09-25", "--json")
    row = next(r for r in json.loads(shown.stdout) if r["seq"] == 3)
    assert row["review_pending"] is True and row["status"] != "done"
    text = cli("--db", db_url, "status", "--as-of", "2022-09-25")
    assert "(completion awaits review)" in next(line for line in text.stdout.splitlines() if line.startswith("  3 "))
    assert status_table(_caught(planned), D("2022-09-25"))[2]["review_pending"] is True


def test_an_old_export_with_a_leads_direct_completion_still_imports(planned: EventStore, twin: EventStore) -> None:
    """Schema 1 completions were written before review existed: imported, they close as they did;
    the same completion under schema 2 is a lead's unreviewed completion, refused."""
    from store.recording.chain import GENESIS_HASH, envelope_hash

    planned._check_rules = lambda *a, **k: None  # type: ignore[method-assign]
    planned.append(fact(3, "ActivityCompleted", {"note": ""}, "2022-09-20", unit=LEAD))
    del planned._check_rules
    lines = [json.loads(line) for line in planned.export()]
    with pytest.raises(Exception, match="review"):
        twin.import_lines(json.dumps(line, ensure_ascii=False) for line in lines)
    old = lines[-1]
    old["schema_version"], old["payload"] = 1, {"note": "", "demo": False}   # as written before review
    prev = GENESIS_HASH
    for line in lines:   # the exporter's chain, as that older installation computed it
        line["prev_hash"] = prev
        line["hash"] = prev = envelope_hash(line)
    twin.import_lines(json.dumps(line, ensure_ascii=False) for line in lines)
    assert _row(twin, "2022-09-30")["status"] == "done"


def pd_isna(value) -> bool:
    import pandas as pd

    return bool(pd.isna(value))


def _caught(store: EventStore) -> Projector:
    projector = Projector(store)
    projector.catch_up()
    return projector


def test_an_extension_must_ask_for_a_later_end_than_the_current_one(db_url: str, planned: EventStore) -> None:
    """The rule lives in the store, not only in the form: the command line (or any writer) cannot
    store an 'extension' to an earlier or the same end, and the end it is held to is the current one,
    after an approved extension too."""
    for end in ("2022-10-31", "2022-10-15"):   # activity 3 ends 2022-10-31
        with pytest.raises(RuleRefused) as refused:
            planned.append(fact(3, "ExtensionRequested", {"end": end, "reason": "x"}, "2022-10-20", unit=LEAD))
        assert "2022-10-31" in refused.value.zh and "晚于" in refused.value.zh
    asked = planned.append(fact(3, "ExtensionRequested", {"end": "2022-11-30", "reason": "场地未落实"},
                                "2022-10-20", unit=LEAD))
    planned.append(fact(3, "ActivityRevised", {"end": "2022-11-30", "reason": "同意延期",
                                               "extension_request_id": asked.event_id}, "2022-10-22"))
    with pytest.raises(RuleRefused, match="2022-11-30"):   # now held to the approved end
        planned.append(fact(3, "ExtensionRequested", {"end": "2022-11-20", "reason": "x"}, "2022-10-25", unit=LEAD))
    shown = cli("--db", db_url, "append", "--type", "ExtensionRequested", "--stream", activity_stream(PLAN, 3),
                "--payload", json.dumps({"end": "2022-11-01", "reason": "再延"}, ensure_ascii=False),
                "--occurred-on", "2022-10-26", "--unit", LEAD)
    assert shown.returncode == 2 and shown.stderr.startswith("error:") and len(shown.stderr.splitlines()) == 1
    assert shown.stderr == "error: 新的截止日期须晚于现在的截止日期（2022-11-30）\n"
    later = planned.append(fact(3, "ExtensionRequested", {"end": "2022-12-15", "reason": "再延"}, "2022-10-26",
                                unit=LEAD))
    assert later.position == planned.head()[0]
