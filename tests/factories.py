"""Small plans for tests: a plan and its activities as the importer would append them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from store.domain.events import activity_stream, plan_stream
from store.log import EventStore, NewEvent

PLAN = "t2022"


def plan_event(plan_id: str = PLAN, year: int = 2022) -> NewEvent:
    return NewEvent("PlanImported", plan_stream(plan_id), {
        "plan_id": plan_id, "title": "测试方案", "issuer": "测试总工会", "doc_no": f"测〔{year}〕1号",
        "year": year, "start": f"{year}-01-01", "end": f"{year}-12-31", "source": "test", "source_sha256": "",
    }, occurred_on=dt.date(year, 3, 1), actor="importer")


def activity_event(seq: int, start: str | None, end: str | None, *, plan_id: str = PLAN,
                   lead: list[str] | None = None, partners: list[str] | None = None,
                   targets: list[dict[str, Any]] | None = None, title: str | None = None) -> NewEvent:
    return NewEvent("ActivityPlanned", activity_stream(plan_id, seq), {
        "plan_id": plan_id, "seq": seq, "title": title or f"活动{seq}", "body": f"活动{seq}的内容",
        "window_text": f"{start}—{end}", "start": start, "end": end,
        "lead_units": lead or ["省总宣传部"], "partner_units": partners or ["各市（州）总工会"],
        "targets": targets or [],
    }, occurred_on=dt.date(2022, 3, 1), actor="importer")


def small_plan(store: EventStore) -> None:
    """Three activities: a whole-year one with targets, a spring one, an autumn one."""
    store.append_many([
        plan_event(),
        activity_event(1, "2022-01-01", "2022-12-31", lead=["省总经济技术部"],
                       targets=[{"key": "t1", "label": "奖章", "quantity": 20, "unit": "个"},
                                {"key": "t2", "label": "奖状", "quantity": 10, "unit": "个"}]),
        activity_event(2, "2022-04-01", "2022-05-31", lead=["省总宣传部", "省总经济技术部"]),
        activity_event(3, "2022-09-01", "2022-10-31", lead=["省总女职工委员会办公室"], partners=["西宁市总工会"]),
    ])


def fact(seq: int, event_type: str, payload: dict[str, Any], on: str, **kw: Any) -> NewEvent:
    return NewEvent(event_type, activity_stream(PLAN, seq), payload, occurred_on=dt.date.fromisoformat(on), **kw)
