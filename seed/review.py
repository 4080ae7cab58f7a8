"""A reviewed parse: the JSON of ``parse --json`` after a person corrected it (the 导入 page's
table, or a file edited by hand) -> the same dict, checked, with what was changed.

``seed import plan.json`` and the 导入 page both go through here, so a reviewed plan is checked
the same way wherever it comes from.  Problems raise ``PlanParseError`` with one Chinese sentence.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from seed.errors import PlanParseError
from seed.fields.mentions import split_names

__all__ = ["REVIEWED_FIELDS", "edited_fields", "load_reviewed", "check_reviewed"]

# The fields of an activity a person may correct before import.
REVIEWED_FIELDS = ("title", "window_text", "start", "end", "lead_units", "partner_units", "targets")


def _date(value: Any, where: str) -> str | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise PlanParseError(f"{where}的日期「{value}」不是 YYYY-MM-DD 格式") from None


def _names(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = split_names(value)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise PlanParseError(f"{where}应是单位名称的列表")
    return [v.strip() for v in value if v.strip()]


def _targets(value: Any, where: str) -> list[dict]:
    out = []
    for t in value or []:
        if not isinstance(t, dict) or not str(t.get("label", "")).strip():
            raise PlanParseError(f"{where}的目标应写明名称、数量和单位")
        quantity = t.get("quantity")
        if isinstance(quantity, bool) or not isinstance(quantity, (int, float)) or quantity < 0:
            raise PlanParseError(f"{where}的目标「{t.get('label')}」数量应是不小于 0 的数")
        if not t.get("rate") and not float(quantity).is_integer():
            raise PlanParseError(f"{where}的目标「{t.get('label')}」数量应是整数")
        out.append({**t, "label": str(t["label"]).strip(), "unit": str(t.get("unit") or "")})
    return out


def check_reviewed(parsed: Any) -> dict:
    """The reviewed parse, checked and normalised (dates ISO, unit lists)."""
    if not isinstance(parsed, dict) or not isinstance(parsed.get("plan"), dict) \
            or not isinstance(parsed.get("activities"), list):
        raise PlanParseError("不是 parse --json 输出的格式：需要 plan 和 activities 两项")
    plan = dict(parsed["plan"])
    if not str(plan.get("title") or "").strip():
        raise PlanParseError("方案缺少标题（plan.title）")
    if not isinstance(plan.get("year"), int):
        raise PlanParseError("方案缺少年份（plan.year 应是四位整数）")
    plan["start"], plan["end"] = _date(plan.get("start"), "方案起始"), _date(plan.get("end"), "方案结束")
    if not plan["start"] or not plan["end"] or plan["end"] < plan["start"]:
        raise PlanParseError("方案的起止日期缺失，或结束早于开始")
    if not parsed["activities"]:
        raise PlanParseError("方案中没有活动")
    activities, seqs = [], set()
    for index, raw in enumerate(parsed["activities"], start=1):
        if not isinstance(raw, dict):
            raise PlanParseError(f"第{index}项活动格式有误")
        seq = raw.get("seq")
        if isinstance(seq, bool) or not isinstance(seq, int) or seq < 1 or seq in seqs:
            raise PlanParseError(f"第{index}项活动的序号（seq）应是不重复的正整数")
        seqs.add(seq)
        where = f"活动{seq}"
        title = str(raw.get("title") or "").strip()
        if not title:
            raise PlanParseError(f"{where}缺少标题")
        act = {**raw, "title": title, "start": _date(raw.get("start"), where), "end": _date(raw.get("end"), where),
               "lead_units": _names(raw.get("lead_units"), f"{where}的牵头单位"),
               "partner_units": _names(raw.get("partner_units"), f"{where}的配合单位"),
               "targets": _targets(raw.get("targets"), where),
               "window_text": str(raw.get("window_text") or ""), "body": str(raw.get("body") or title),
               "milestones": list(raw.get("milestones") or [])}
        if act["start"] and act["end"] and act["end"] < act["start"]:
            raise PlanParseError(f"{where}的结束日期早于开始日期")
        activities.append(act)
    plan["start"], plan["end"] = _covering(plan["start"], plan["end"], activities)
    return {**parsed, "plan": plan, "activities": activities, "warnings": list(parsed.get("warnings") or [])}


def _covering(start: str, end: str, activities: list[dict]) -> tuple[str, str]:
    """The plan's period widened to every activity's window: a person who moves a deadline past
    the last one the parser read (10月底 → 11月20日) moves the plan's end with it, so the board
    does not call the plan over while one of its activities still runs."""
    starts = [a["start"] for a in activities if a["start"]]
    ends = [a["end"] for a in activities if a["end"]]
    return min([start, *starts]), max([end, *ends])


def load_reviewed(data: bytes) -> dict:
    """A reviewed JSON file's bytes -> the checked parse."""
    try:
        parsed = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise PlanParseError(f"JSON 文件无法读取：{exc}") from None
    return check_reviewed(parsed)


def edited_fields(original: dict, reviewed: dict) -> list[str]:
    """What a person changed, as "<seq>.<field>" (the parser's reading against the reviewed one)."""
    before = {a["seq"]: a for a in original.get("activities", [])}
    out = []
    for act in reviewed.get("activities", []):
        old = before.get(act["seq"])
        for name in REVIEWED_FIELDS:
            if old is None or old.get(name) != act.get(name):
                out.append(f"{act['seq']}.{name}")
    return out
