"""Every user-facing word of the dashboard, in one place.

Code identifiers stay English; what the user reads comes from here. The catalogue is keyed by
language so another one can be added beside ``zh-CN``: add a dict with the same groups and keys,
then pass ``lang=`` to :func:`label` (the module-level constants are the default language's).

Colours of the statuses and event types live here too: they are part of the board's vocabulary
(the legend of every chart and the badge of every table must agree).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

DEFAULT_LANGUAGE = "zh-CN"

_ZH_CN: dict[str, dict[Any, str]] = {
    "status": {
        "done": "已完成",
        "on_track": "正常",
        "at_risk": "预警",
        "overdue": "逾期",
        "not_started": "未开始",
    },
    "event_type": {
        "PlanImported": "导入方案",
        "ActivityPlanned": "活动计划",
        "ActivityRevised": "调整计划",
        "MilestonePlanned": "计划节点",
        "MilestoneReached": "节点达成",
        "ProgressReported": "进展上报",
        "ParticipationRecorded": "参与情况",
        "TargetAdvanced": "目标推进",
        "RiskFlagged": "风险预警",
        "RiskResolved": "风险解除",
        "ActivityCompleted": "活动完成",
        "EventRetracted": "撤回更正",
    },
    "role": {
        "lead": "牵头",
        "partner": "配合",
        "either": "牵头或配合",
        "both": "牵头与配合",
    },
    "month": {m: f"{m}月" for m in range(1, 13)},
    "column": {
        # activities
        "plan_id": "方案",
        "seq": "序号",
        "stream": "事件流",
        "title": "活动",
        "body": "内容",
        "window_text": "完成时限",
        "start": "开始",
        "end": "截止",
        "lead_units": "牵头部门",
        "partner_units": "配合单位",
        "status": "状态",
        "percent": "进度(%)",
        "last_report_on": "最近上报",
        "done_on": "完成日期",
        "risk_open": "风险未解除",
        "reports": "上报次数",
        "participants": "参与人数",
        "attention": "关注顺序",
        # targets
        "key": "编号",
        "label": "目标",
        "unit": "单位",
        "planned": "计划",
        "achieved": "完成",
        # milestones
        "due": "计划日期",
        "reached_on": "达成日期",
        # participation
        "event_id": "事件编号",
        "date": "日期",
        "sessions": "场次",
        "place": "地点",
        "note": "备注",
        "actor": "填报人",
        "occurred_on": "发生日期",
        # workload / unit activity
        "month": "月份",
        "role": "角色",
        "activities": "活动数",
        "weight": "加权工作量",
        "events": "事件数",
        # log
        "position": "位置",
        "type": "事件类型",
        "recorded_at": "记录时间",
        "demo": "演示数据",
        "retracted": "已撤回",
        "hash": "哈希",
        # plan
        "issuer": "发文单位",
        "doc_no": "文号",
        "year": "年度",
    },
    "page": {
        "overview": "总览",
        "gantt": "甘特图",
        "timeline": "时间线",
        "workload": "部门工作量",
        "selfcheck": "部门自查",
        "log": "事件日志",
        "import": "导入",
    },
    # Words of charts and pages that are not a column, a status or a type.
    "text": {
        "app_title": "督办看板",
        "as_of": "截至",
        "activity": "活动",
        "activities_count": "活动数",
        "count": "数量",
        "date": "日期",
        "week_of": "周起始",
        "month": "月份",
        "unit": "单位",
        "department": "部门",
        "status": "状态",
        "progress": "进度",
        "milestone": "节点",
        "milestone_due": "计划日期",
        "milestone_reached": "达成日期",
        "milestone_open": "未达成",
        "reached": "已达成",
        "not_reported": "未上报",
        "none": "无",
        "target": "目标",
        "planned": "计划",
        "achieved": "完成",
        "event_type": "事件类型",
        "events": "事件数",
        "participants": "参与人数",
        "role": "角色",
        "workload": "工作量",
        "weight": "加权工作量",
        "weighted": "加权",
        "actor": "填报人",
        "note": "备注",
        "retracted": "已撤回",
        "yes": "是",
        "no": "否",
        "no_data": "暂无数据",
        "no_dates": "未能识别完成时限",
        "sheet": "数据",
    },
}

_CATALOG: dict[str, dict[str, dict[Any, str]]] = {"zh-CN": _ZH_CN}

STATUS_LABELS: dict[str, str] = _ZH_CN["status"]
EVENT_TYPE_LABELS: dict[str, str] = _ZH_CN["event_type"]
ROLE_LABELS: dict[str, str] = _ZH_CN["role"]
MONTH_LABELS: dict[int, str] = _ZH_CN["month"]
COLUMN_LABELS: dict[str, str] = _ZH_CN["column"]
PAGE_TITLES: dict[str, str] = _ZH_CN["page"]
TEXT: dict[str, str] = _ZH_CN["text"]

# High contrast and colour-blind aware: done and on-track differ in hue family AND lightness
# (dark green vs blue), at-risk is amber, overdue a deep red, not-started neutral grey.
STATUS_COLORS: dict[str, str] = {
    "done": "#1b7837",
    "on_track": "#2c7bb6",
    "at_risk": "#f0a202",
    "overdue": "#c0392b",
    "not_started": "#9e9e9e",
}
# Text drawn on top of a status colour: dark on amber and grey, white elsewhere.
STATUS_TEXT_COLORS: dict[str, str] = {
    "done": "#ffffff",
    "on_track": "#ffffff",
    "at_risk": "#1a1a1a",
    "overdue": "#ffffff",
    "not_started": "#1a1a1a",
}
# Lists and tables: worst first (what leadership should look at before anything else).
STATUS_ORDER: tuple[str, ...] = ("overdue", "at_risk", "on_track", "not_started", "done")
# Legends: the life of an activity from done to not started, the same in every chart.
STATUS_LEGEND_ORDER: tuple[str, ...] = ("done", "on_track", "at_risk", "overdue", "not_started")

EVENT_TYPE_ORDER: tuple[str, ...] = tuple(EVENT_TYPE_LABELS)
# Twelve distinguishable colours (Tableau 10 + two), in EVENT_TYPE_ORDER.
EVENT_TYPE_COLORS: dict[str, str] = dict(zip(EVENT_TYPE_ORDER, (
    "#7f7f7f", "#bab0ac", "#9467bd", "#17becf", "#1f77b4", "#2ca02c",
    "#ff7f0e", "#8c564b", "#d62728", "#e377c2", "#006d2c", "#393b79",
)))

ROLE_COLORS: dict[str, str] = {"lead": "#08519c", "partner": "#9ecae1"}

_GROUP_ORDER = ("column", "status", "event_type", "role", "page", "text", "month")


def catalog(lang: str | None = None) -> dict[str, dict[Any, str]]:
    """All label groups of a language (``KeyError`` for a language not in the catalogue)."""
    return _CATALOG[lang or DEFAULT_LANGUAGE]


def languages() -> tuple[str, ...]:
    return tuple(_CATALOG)


def label(key: Any, group: str | None = None, lang: str | None = None) -> str:
    """The label of ``key``: in ``group`` when given, else the first group that knows it.

    Unknown keys come back as ``str(key)`` so a new status or column never breaks a page.
    """
    groups = catalog(lang)
    if group is not None:
        return groups[group].get(key, str(key))
    for name in _GROUP_ORDER:
        if key in groups[name]:
            return groups[name][key]
    return str(key)


def status_label(status: str, lang: str | None = None) -> str:
    return label(status, "status", lang)


def event_type_label(event_type: str, lang: str | None = None) -> str:
    return label(event_type, "event_type", lang)


def role_label(role: str, lang: str | None = None) -> str:
    return label(role, "role", lang)


def month_label(month: int, year: int | None = None, lang: str | None = None) -> str:
    """``5月``, or ``2022年5月`` when a year is given."""
    text = label(int(month), "month", lang)
    return f"{year}年{text}" if year is not None else text


def column_label(column: str, lang: str | None = None) -> str:
    return label(column, "column", lang)


def page_title(page: str, lang: str | None = None) -> str:
    return label(page, "page", lang)


def date_label(day: dt.date | Any, with_year: bool = False) -> str:
    """``5月20日`` (or ``2022年5月20日``); empty for a missing date (None, NaT)."""
    if day is None:
        return ""
    try:
        import pandas as pd  # local: labels stays importable without pandas
        if pd.isna(day):
            return ""
    except (TypeError, ValueError, ImportError):
        pass
    prefix = f"{day.year}年" if with_year else ""
    return f"{prefix}{day.month}月{day.day}日"


def as_of_label(day: dt.date) -> str:
    """``截至 5月20日`` — the caption of the as-of rule."""
    return f"{TEXT['as_of']} {date_label(day)}"
