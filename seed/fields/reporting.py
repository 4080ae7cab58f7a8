"""Recurring dates (每月25日前报送, 每周五前, 每季度末): a reporting cycle, never a window.

Shape (the ``reporting`` field of ``parse --json`` and an activity's ``recurring``):
``{"kind": "monthly", "day": 25}``, ``{"kind": "weekly", "weekday": 4}`` (0 = Monday … 6 = Sunday, the
one convention of the board: Python's ``date.weekday()`` and ``store.domain.events.ReportingCycle``),
``{"kind": "quarterly", "day": None}`` / ``{"kind": "half_yearly", "day": None}`` (``None``: by the
period's last day), or ``None`` when the text states no cycle.
"""

from __future__ import annotations

import re

from seed.fields.numbers import chinese_to_int

__all__ = ["cycle_text", "parse_cycle", "plan_reporting"]

_WEEKDAY_NAMES = "一二三四五六日"   # 0 = Monday
_WEEKDAY = {name: day for day, name in enumerate(_WEEKDAY_NAMES)} | {"天": 6}
_DAY = r"(\d{1,2}|[一二三四五六七八九十]{1,3})\s*[日号]"
_MONTHLY = re.compile(r"每(?:个)?月(?:的)?(?:" + _DAY + r"|(底|末))?")
_WEEKLY = re.compile(r"每(?:个)?(?:周|星期|礼拜)([一二三四五六日天])?")
_PERIOD = re.compile(r"每(?:个)?(季度|半年)(?:(?:末|底)|(?:第一个月|首月)?" + _DAY + r")?")
_REPORT_WORDS = re.compile(r"报送|上报|报告|汇报|报给|报至|报区|报市|报县|报省|报[\u4e00-\u9fff]{0,6}(?:办|室|局|部|会)")


def _day(text: str | None) -> int | None:
    if not text:
        return None
    value = chinese_to_int(text)
    return value if value is not None and 1 <= value <= 31 else None


def cycle_text(cycle: dict | None) -> str:
    """A cycle the board holds (monthly by a day, weekly by a weekday) as a notice writes it: 每周五,
    每月25日; the board's default when None."""
    if not cycle:
        return "默认周期"
    return f"每周{_WEEKDAY_NAMES[cycle['weekday']]}" if cycle["kind"] == "weekly" else f"每月{cycle['day']}日"


def parse_cycle(text: str | None) -> dict | None:
    """The cycle a short text states (每月10日前 -> monthly, day 10), else None."""
    s = re.sub(r"\s+", "", text or "")
    if not s or "每" not in s:
        return None
    m = _PERIOD.search(s)
    if m:
        kind = "quarterly" if m.group(1) == "季度" else "half_yearly"
        return {"kind": kind, "day": _day(m.group(2))}
    m = _WEEKLY.search(s)
    if m:
        return {"kind": "weekly", "weekday": _WEEKDAY[m.group(1) or "五"]}
    m = _MONTHLY.search(s)
    if m:
        return {"kind": "monthly", "day": _day(m.group(1))}
    return None


def plan_reporting(sentences: list[str]) -> dict | None:
    """The reporting cycle of a notice: the first sentence that asks for reports at a cycle."""
    for text in sentences:
        for sentence in re.split(r"[。；;！!\n]", text):
            if "每" in sentence and _REPORT_WORDS.search(sentence):
                cycle = parse_cycle(sentence)
                if cycle:
                    return cycle
    return None
