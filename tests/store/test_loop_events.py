"""Plan settings and reminders are facts of the log: validated, hash-chained, in the right stream."""

from __future__ import annotations

import datetime as dt

import pytest

from store.domain.events import plan_stream, reminder_stream
from store.log import EventStore, NewEvent, StreamRuleError
from store.recording.envelope import PayloadError
from tests.factories import PLAN


def _settings(payload: dict, plan_id: str = PLAN) -> NewEvent:
    return NewEvent("PlanSettingsChanged", plan_stream(plan_id), payload, occurred_on=dt.date(2022, 3, 2),
                    actor="admin")


def test_a_settings_change_is_appended_with_only_what_it_names(planned: EventStore) -> None:
    stored = planned.append(_settings({"reporting": {"kind": "weekly", "weekday": 4}}))
    assert stored.payload["reporting"] == {"kind": "weekly", "day": None, "weekday": 4}
    assert stored.payload["review_required"] is None and stored.payload["scoring"] is None
    assert planned.verify().ok


@pytest.mark.parametrize("payload, field", [
    ({}, "payload"),
    ({"reporting": {"kind": "monthly"}}, "reporting"),
    ({"reporting": {"kind": "monthly", "day": 31}}, "reporting.day"),
    ({"reporting": {"kind": "weekly", "weekday": 7}}, "reporting.weekday"),
    ({"reporting": {"kind": "daily", "day": 1}}, "reporting.kind"),
    ({"scoring": {"missing": -5}}, "scoring.missing"),
    ({"scoring": {"bands": {"red_below": 90, "yellow_below": 80}}}, "scoring.bands"),
])
def test_bad_settings_are_refused_naming_the_field(planned: EventStore, payload: dict, field: str) -> None:
    head = planned.head()
    with pytest.raises(PayloadError) as caught:
        planned.append(_settings(payload))
    assert caught.value.field.startswith(field)
    assert planned.head() == head


def test_settings_need_an_imported_plan(planned: EventStore) -> None:
    with pytest.raises(StreamRuleError, match="imported plan"):
        planned.append(_settings({"review_required": False}, plan_id="nosuch"))


def test_a_reminder_and_its_delivery_are_chained(planned: EventStore) -> None:
    reminder = planned.append(NewEvent("ReminderIssued", reminder_stream(PLAN), {
        "plan_id": PLAN, "unit": "西宁市总工会", "cycle_start": "2022-08-26", "due": "2022-09-25",
        "activities": [3], "message": "请于9月25日前报送"}, occurred_on=dt.date(2022, 9, 26), actor="office"))
    delivered = planned.append(NewEvent("ReminderDelivered", reminder_stream(PLAN), {
        "reminder_event_id": reminder.event_id,
        "deliveries": [{"channel": "企业微信", "ok": False, "detail": "HTTP 500"}]},
        occurred_on=dt.date(2022, 9, 26), actor="office"))
    assert delivered.payload["deliveries"][0]["ok"] is False
    with pytest.raises(PayloadError, match="activities"):
        planned.append(NewEvent("ReminderIssued", reminder_stream(PLAN), {
            "plan_id": PLAN, "unit": "西宁市总工会", "cycle_start": "2022-08-26", "due": "2022-09-25",
            "activities": [], "message": "x"}, occurred_on=dt.date(2022, 9, 26)))
    assert planned.verify().ok
