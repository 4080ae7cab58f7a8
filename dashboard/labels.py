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

# Words of the pages themselves: headings, filter names, messages.
_ZH_CN["ui"] = {
    "filters": "筛选",
    "filter_plan": "方案",
    "filter_as_of": "截至日期",
    "filter_units": "单位",
    "all_units": "全部单位",
    "filter_role": "单位角色",
    "filter_status": "状态",
    "all_statuses": "全部状态",
    "filter_months": "月份范围",
    "filter_keyword": "关键词",
    "keyword_hint": "标题或内容中的词",
    "section_leadership": "领导看板",
    "overview_title": "总览",
    "no_plan": "暂无方案。请先在“导入”页导入方案，或运行 make run 载入 2022 年方案。",
    "needs_attention": "需要关注",
    "nothing_needs_attention": "没有逾期或预警的活动。",
    "targets": "目标完成情况",
    "no_targets": "所选活动没有数量目标。",
    "since_last_meeting": "上次会议以来的变化",
    "last_meeting_on": "上次会议日期",
    "no_changes": "这段时间没有变化。",
    "changes_completed": "新完成的活动",
    "changes_overdue": "转为逾期的活动",
    "changes_at_risk": "转为预警的活动",
    "changes_milestones": "达成的节点",
    "changes_participation": "新增参与记录",
    "all_activities": "全部活动",
    "gantt_title": "甘特图",
    "sort_by": "排序",
    "sort_seq": "按序号",
    "sort_end": "按截止日期",
    "sort_status": "按状态",
    "no_match": "没有符合筛选条件的活动。",
    "undated_activities": "以下活动的完成时限未能识别为日期，未画入甘特图：",
    "timeline_title": "时间线",
    "no_events": "所选范围内还没有记录。",
    "latest_events": "最新记录",
    "workload_title": "部门工作量",
    "workload_role": "角色",
    "activities_per_unit": "各单位承担的活动数",
    "participation_by_city": "各市（州）参与情况",
    "no_participation": "所选范围内还没有参与记录。",
    "download_csv": "下载 CSV",
    "download_xlsx": "下载 Excel",
    "download_png": "下载图片",
    "invalid_value": "填写的内容不符合要求",
    "conflict": "这项活动刚被别人更新过，请刷新后再提交。",
    "unknown_activity": "找不到这项活动。",
    "already_retracted": "这条记录已经撤回过了。",
    "retract_retraction": "撤回记录本身不能再撤回；如需恢复，请重新填报。",
    "no_such_event": "找不到要撤回的记录。",
    "refused": "提交未被接受，内容没有保存。",
    "store_unavailable": "暂时无法保存，请稍后再试（数据库忙或无法连接）。",
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

_GROUP_ORDER = ("column", "status", "event_type", "role", "page", "text", "ui", "month")


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


def ui(key: str, lang: str | None = None) -> str:
    """A word of the pages (headings, filter names, messages), else any label with that key."""
    groups = catalog(lang)
    return groups["ui"].get(key) or label(key, lang=lang)
