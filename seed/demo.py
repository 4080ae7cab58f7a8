"""A reproducible course of the 2022 May Day plan, March to September 2022, for trying the board.

What it shows on the board as of 30 September 2022: activities 7 and 8 done in April (the lead's
request confirmed by the office), activity 3
(4—5月) overdue, activities 6 and 10 revised to run into October, one at-risk activity (2)
lagging its reports, a risk flagged and resolved, targets part-way, milestones of the speech
contest reached, the eight city/prefecture unions reporting participation, and one participation
report retracted and recorded again. Every payload carries ``demo: true``; event ids are derived
from the seed, so running it twice appends nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import replace

from seed.importer import event_id
from seed.units import load_registry
from store.domain.events import activity_stream
from store.log import EventStore, NewEvent
from store.reading.projections import Projector

DEMO_PLAN_ID = "2022-27"
CITY_GROUP = "各市（州）总工会"
PLACES = ("职工之家", "劳动人民文化宫", "企业车间", "社区服务中心", "工人文化宫", "职工书屋")
DEMO_END = dt.date(2022, 9, 30)

# seq -> the percent the lead reports at the end of each month (March..September)
PROGRESS: dict[int, dict[int, int]] = {
    1: {3: 5, 4: 15, 5: 30, 6: 40, 7: 50, 8: 55, 9: 62},
    2: {4: 5, 5: 12, 6: 20, 7: 25, 8: 30, 9: 35},
    3: {4: 40, 5: 70, 6: 75},
    4: {3: 5, 4: 15, 5: 25, 6: 40, 7: 50, 8: 60, 9: 70},
    5: {4: 10, 5: 25, 6: 35, 7: 45, 8: 60, 9: 72},
    6: {3: 15, 4: 30, 5: 45, 6: 60, 7: 70, 8: 80, 9: 88},
    7: {4: 60},
    8: {4: 50},
    9: {3: 5, 4: 15, 5: 25, 6: 35, 7: 45, 8: 55, 9: 65},
    10: {5: 20, 6: 40, 7: 55, 8: 65, 9: 80},
}
# (seq, target key, month, amount)
ADVANCES = [
    (1, "青海省五一劳动奖状", 4, 10), (1, "奖章", 4, 12), (1, "青海高原“工人先锋号”", 4, 25),
    (1, "“青海高原工匠”", 9, 6), (1, "青海省“工人技术明星”", 9, 4), (5, "系列活动", 5, 2),
    (5, "系列活动", 6, 1), (5, "系列活动", 8, 2),
]


def demo_events(store: EventStore, seed: int = 2022, plan_id: str = DEMO_PLAN_ID) -> list[NewEvent]:
    """The demo course for the plan as it stands in the store (its activities, units, targets)."""
    projector = Projector(store)
    projector.catch_up()
    # The plan as imported, not as revised: the course must not change once it has revised it.
    activities = {a["seq"]: a for a in projector.planned.values() if a["plan_id"] == plan_id}
    if not activities:
        raise ValueError(f"事件库中没有方案 {plan_id}：请先导入该方案（python -m seed import 方案文件）")
    rng = random.Random(seed)
    cities = load_registry().members(CITY_GROUP)
    counter = iter(range(1_000_000))

    def new(seq: int, event_type: str, payload: dict, on: dt.date, unit: str) -> NewEvent:
        return NewEvent(event_type, activity_stream(plan_id, seq), {**payload, "demo": True}, occurred_on=on,
                        event_id=event_id("demo", plan_id, seed, next(counter)), actor=f"演示:{unit}", unit=unit)

    def lead(seq: int) -> str:
        return activities[seq]["lead_units"][0]

    batch: list[NewEvent] = []
    batch += _revisions(activities, new)
    for seq, months in PROGRESS.items():
        if seq not in activities:
            continue
        for month, percent in months.items():
            day = dt.date(2022, month, rng.randint(24, 28))
            batch.append(new(seq, "ProgressReported", {"percent": percent, "note": f"{month}月进展：按计划推进"}, day, lead(seq)))
    for seq, key, month, amount in ADVANCES:
        if seq in activities and any(t["key"] == key for t in activities[seq]["targets"]):
            batch.append(new(seq, "TargetAdvanced", {"target": key, "amount": amount, "note": "评选结果公布"},
                             dt.date(2022, month, 28), lead(seq)))
    batch += list(_participation(activities, cities, rng, new))
    batch += _contest(activities, new)
    if 5 in activities:
        batch.append(new(5, "RiskFlagged", {"note": "线上知识竞答平台未按期上线"}, dt.date(2022, 7, 12), lead(5)))
        batch.append(new(5, "RiskResolved", {"note": "平台已上线，参与人数回升"}, dt.date(2022, 8, 5), lead(5)))
    for seq, day in ((7, dt.date(2022, 4, 28)), (8, dt.date(2022, 4, 30))):
        if seq in activities:   # 办结需审核: the lead asks, the office confirms the same day
            request = new(seq, "CompletionRequested", {"note": "活动已圆满完成"}, day, lead(seq))
            batch.append(request)
            confirmed = new(seq, "ActivityCompleted", {"note": "经审核，确认办结", "request_event_id": request.event_id},
                            day, "")
            batch.append(replace(confirmed, actor="演示:办公室"))
    batch.sort(key=lambda e: e.occurred_on)
    return batch


def _revisions(activities: dict, new) -> list[NewEvent]:
    """Two activities run longer than planned: the plan says so, with the reason."""
    out = []
    for seq, reason in ((6, "疫情影响，春风行动延长至10月"), (10, "联谊活动受疫情影响顺延至10月")):
        if seq in activities:
            out.append(new(seq, "ActivityRevised", {"end": "2022-10-31", "window_text": "延至10月底", "reason": reason},
                           dt.date(2022, 7, 20), activities[seq]["lead_units"][0]))
    return out


def _participation(activities: dict, cities: list[str], rng: random.Random, new) -> Iterator[NewEvent]:
    """City unions report participation monthly for the activities they partner in."""
    for seq, a in sorted(activities.items()):
        if CITY_GROUP not in a["partner_units"] or not a.get("start") or not a.get("end"):
            continue
        start, end = dt.date.fromisoformat(a["start"]), dt.date.fromisoformat(a["end"])
        for month in range(3, 10):
            first = dt.date(2022, month, 1)
            if not (start <= first.replace(day=28) and first <= end):
                continue
            for city in cities:
                if rng.random() < 0.35:
                    continue
                day = dt.date(2022, month, rng.randint(3, 27))
                people = rng.randint(40, 1500)
                payload = {"unit": city, "date": day.isoformat(), "participants": people,
                           "sessions": rng.randint(1, 12), "place": rng.choice(PLACES), "note": "基层单位组织参与"}
                if seq == 4 and month == 5 and city == cities[1]:
                    wrong = new(seq, "ParticipationRecorded", {**payload, "participants": people * 10,
                                                               "note": "误将人次填为人数"}, day, city)
                    yield wrong
                    yield new(seq, "EventRetracted", {"retracted_event_id": wrong.event_id,
                                                      "reason": "人数多填一位，撤回后重报"}, day + dt.timedelta(days=2), city)
                    day = day + dt.timedelta(days=2)
                yield new(seq, "ParticipationRecorded", payload, day, city)


def _contest(activities: dict, new) -> list[NewEvent]:
    """Activity 8's speech contest: preliminaries in the cities, then semi-final and final."""
    if 8 not in activities:
        return []
    lead = activities[8]["lead_units"][0]
    steps = (("初赛", dt.date(2022, 4, 10)), ("复赛", dt.date(2022, 4, 20)), ("决赛", dt.date(2022, 4, 27)))
    out = [new(8, "MilestonePlanned", {"key": title, "title": title, "due": due.isoformat()}, dt.date(2022, 3, 25), lead)
           for title, due in steps]
    out += [new(8, "MilestoneReached", {"key": title, "note": f"{title}顺利举行"}, due, lead) for title, due in steps]
    return out


def run_demo(store: EventStore, seed: int = 2022, plan_id: str = DEMO_PLAN_ID) -> int:
    """Append the demo course; returns how many events were new."""
    before = store.head()[0]
    store.append_many(demo_events(store, seed, plan_id))
    return store.head()[0] - before
