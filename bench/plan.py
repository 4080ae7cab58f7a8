"""The plan a benchmark store starts from: the real 2022 plan, parsed and imported as users do.

The real parser is preferred so the benchmark carries the same activities, windows, units and
targets as the board users see. A built-in copy of its shape (ten activities, the same windows,
units and targets) stands in only when the parser cannot be imported, so the bench never depends
on a module being half-written by someone else; ``source`` says which one was used.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from seed.importer import import_plan
from store.log import EventStore

_CITIES = "各市（州）总工会"
_GROUPS = [_CITIES, "省级各产业工会", "省总各直属工会"]

# (seq, window, start, end, lead units, extra partners, targets (label, quantity, unit), milestones)
_ACTIVITIES: list[tuple[int, str, str, str, list[str], list[str], list[tuple[str, int, str]], list[str]]] = [
    (1, "全年", "2022-01-01", "2022-12-31", ["省总经济技术部"], [],
     [("青海省五一劳动奖状", 10, "个"), ("奖章", 20, "个"), ("青海高原“工人先锋号”", 40, "个"),
      ("“青海高原工匠”", 10, "人"), ("青海省“工人技术明星”", 10, "人"), ("省级劳模（职工）创新工作室", 10, "个")], []),
    (2, "4—12月", "2022-04-01", "2022-12-31", ["省总宣传部", "省总经济技术部"], [], [], []),
    (3, "4—5月", "2022-04-01", "2022-05-31", ["省总经济技术部", "省总权益保障部", "省总办公室"],
     ["省总宣传部", "省总网络和社会工作部"], [], []),
    (4, "全年", "2022-01-01", "2022-12-31", ["省总宣传部", "省总经济技术部", "省教科文卫体工会"], [], [], []),
    (5, "4—10月", "2022-04-01", "2022-10-31", ["省总宣传教育", "省总权益保障部", "省总干校"], [],
     [("系列活动", 7, "项")], []),
    (6, "3—7月", "2022-03-01", "2022-07-31", ["省总权益保障部", "省总网络和社会工作部"], [], [], []),
    (7, "4月", "2022-04-01", "2022-04-30", ["省总宣传部"], [], [], []),
    (8, "4月", "2022-04-01", "2022-04-30", ["省总宣传部"], [], [], ["初赛", "复赛", "决赛"]),
    (9, "全年", "2022-01-01", "2022-12-31", ["省总权益保障部", "省总经济技术部"], ["省总各部室"], [], []),
    (10, "5—7月", "2022-05-01", "2022-07-31", ["省总女职工委员会办公室"], [], [], []),
]


@dataclass(frozen=True)
class PlanSource:
    parsed: dict[str, Any]
    sha256: str
    name: str
    source: str  # "seed.parser" or "built-in"


def built_in_plan() -> dict[str, Any]:
    """The 2022 plan's shape as the parser returns it, for when the parser is unavailable."""
    activities = []
    for seq, window, start, end, lead, extra, targets, milestones in _ACTIVITIES:
        partners = [_CITIES] if seq == 8 else _GROUPS + extra
        activities.append({
            "seq": seq, "title": f"活动{seq}", "body": f"（{seq}）活动内容", "window_text": window,
            "start": start, "end": end, "lead_units": lead, "partner_units": partners,
            "targets": [{"label": label, "quantity": q, "unit": unit} for label, q, unit in targets],
            "milestones": [{"title": title, "due": None} for title in milestones],
        })
    plan = {"title": "青海省总工会喜迎党的二十大、省第十四次党代会暨庆祝“五一”系列活动方案", "issuer": "青海省总工会",
            "doc_no": "青总办通〔2022〕27号", "year": 2022, "start": "2022-01-01", "end": "2022-12-31"}
    return {"plan": plan, "activities": activities, "warnings": []}


def load_plan() -> PlanSource:
    """The 2022 plan through seed's parser when it imports, else the built-in copy of its shape."""
    try:
        from seed.cli import DEFAULT_PLAN, read_and_parse

        parsed, sha = read_and_parse(DEFAULT_PLAN, None)
        return PlanSource(parsed, sha, DEFAULT_PLAN.name, "seed.parser")
    except ImportError:
        parsed = built_in_plan()
        sha = hashlib.sha256(json.dumps(parsed, ensure_ascii=False).encode()).hexdigest()
        return PlanSource(parsed, sha, "qinghai-2022-may-day-plan (built-in)", "built-in")


def import_2022_plan(store: EventStore) -> tuple[str, str]:
    """Import the plan into ``store``; returns (plan_id, where the plan came from)."""
    plan = load_plan()
    result = import_plan(store, plan.parsed, source=plan.name, sha256=plan.sha256)
    return result.plan_id, plan.source
