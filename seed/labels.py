"""The words of the plan family every stage shares: field labels (牵头单位：…) and task-table headers."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from seed.reading.blocks import Table

__all__ = ["CHAPTER", "FIELD", "FIELD_NAMES", "ITEM_A", "ITEM_B", "LABELS", "header_index", "header_role", "is_header"]


# An activity's fields as the plan names them, for the import's warnings.
FIELD_NAMES = {
    "title": "名称", "body": "内容", "window_text": "完成时限", "start": "开始日期", "end": "截止日期",
    "lead_units": "牵头单位", "partner_units": "配合单位", "targets": "目标",
}

LABELS = {
    "lead": "牵头部门|牵头单位|主办单位|主责部门|主责单位|牵头处室",
    "partner": "配合单位|配合部门|协办单位|参与单位|协同单位|配合处室|协助单位|配合",
    # 责任单位 alone names who does the task (the leads); beside 牵头单位 it names the partners
    "resp": "责任单位|责任部门|承办单位|责任处室|责任主体|实施单位|落实单位",
    "window": "完成时限|完成时间|时间安排|活动时间|时间节点|实施时间|办结时限|完成期限|时限要求|进度安排",
}
_SUFFIX = r"(?:[（(][^（）()]{1,8}[）)])?"
FIELD = re.compile(
    "(?P<label>" + "|".join(f"(?P<{k}>{v})" for k, v in LABELS.items()) + ")" + _SUFFIX + r"\s*[：:]"
)
_TASK_HEADERS = (
    "工作任务|重点任务|主要任务|具体任务|任务内容|任务名称|任务|工作内容|活动内容|活动名称|活动项目|"
    "工作事项|事项|项目名称|项目|具体措施|工作措施|主要措施|重点工作|工作项目|内容|目标任务"
)
_HEADER_ROLES = {
    "seq": re.compile(r"(?:序号|编号|序)"),
    "task": re.compile(f"(?:{_TASK_HEADERS})"),
    "lead": re.compile(f"(?:{LABELS['lead']})"),
    "partner": re.compile(f"(?:{LABELS['partner']})"),
    "resp": re.compile(f"(?:{LABELS['resp']})"),
    "window": re.compile(f"(?:{LABELS['window']}|时限|时间)"),
}


# A header spelled some other way is known by the word in it (县直责任部门, 计划完成时间 …).
_LOOSE_ROLES = (
    ("seq", re.compile(r"序号|编号")),
    ("lead", re.compile(r"牵头|主责|主办")),
    ("partner", re.compile(r"配合|协办|参与|协同|协助")),
    ("resp", re.compile(r"责任|承办|单位|部门|主体")),
    ("window", re.compile(r"时限|时间|期限|节点|进度|日期")),
)
UNIT_ROLES = ("lead", "partner", "resp")


def header_role(cell: str) -> str | None:
    """The role of a header cell: seq, task, lead, partner, resp (责任单位), window, or None."""
    key = re.sub(r"[\s*：:]", "", cell)
    key = re.sub(r"[（(][^（）()]*[）)]$", "", key)
    for role, pattern in _HEADER_ROLES.items():
        if pattern.fullmatch(key):
            return role
    if 0 < len(key) <= 10:
        for role, pattern in _LOOSE_ROLES:
            if pattern.search(key):
                return role
    return None


def is_header(cells: list[str]) -> bool:
    """A task-table header names who does it (牵头/配合) and one more known column.

    A schedule (序号｜时间｜地点｜内容) names nobody and is not a task table.
    """
    roles = {header_role(c) for c in cells} - {None}
    return bool(roles & set(UNIT_ROLES)) and len(roles) >= 2


def header_index(table: Table) -> int | None:
    """Index of the header row; a .docx table often starts with a merged title row."""
    for index, row in enumerate(table.rows[:3]):
        if is_header(row):
            return index
    return None

CHAPTER = re.compile(r"^(?:第[一二三四五六七八九十]+(?:部分|章)|[一二三四五六七八九十]{1,3}\s*[、.．])\s*(.*)$")
ITEM_A = re.compile(r"^[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]\s*(.*)$")
ITEM_B = re.compile(r"^(\d{1,2})\s*[.．、](?!\d)\s*(.*)$")
