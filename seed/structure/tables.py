"""Rows of a task table -> raw activities, each column known by its role."""

from __future__ import annotations

import re

from seed.errors import PlanParseError
from seed.labels import header_role
from seed.reading.blocks import Table
from seed.structure.raw import RawActivity, join_lines, title_of

__all__ = ["ROLE_NAMES", "activities_from_table", "column_roles"]


ROLE_NAMES = {"seq": "序号", "task": "工作任务", "lead": "牵头单位", "partner": "配合单位",
              "resp": "责任单位", "window": "完成时限"}


def column_roles(table: Table, chosen: dict[str, int] | None = None) -> tuple[dict[str, list[int]], list[str]]:
    """Which column plays which role, and the warnings of a guess.

    Headers are known by their words; a task column spelled some other way (推进举措, 工作清单 …)
    is the column left over with the longest text.  ``chosen`` (role -> column index, from the
    review page or a reviewed JSON) overrides the header.
    """
    header = table.rows[0]
    roles: dict[str, list[int]] = {}
    warnings: list[str] = []
    if chosen:
        for role, index in chosen.items():
            if index is not None and 0 <= int(index) < len(header):
                roles[role] = [int(index)]
        return roles, warnings
    for index, cell in enumerate(header):
        role = header_role(cell)
        if role:
            roles.setdefault(role, []).append(index)
    if "task" not in roles:
        taken = {i for cols in roles.values() for i in cols}
        free = [i for i in range(len(header)) if i not in taken]
        if not free:
            shown = "｜".join(c for c in header if c)
            raise PlanParseError(f"任务表缺少“工作任务”列（表头为：{shown}），无法确定每项任务的内容")

        def length(i: int) -> float:
            cells = [r[i] for r in table.rows[1:] if i < len(r)]
            return sum(len(c) for c in cells) / max(1, len(cells))

        task = max(free, key=length)
        for cols in roles.values():
            if task in cols:
                cols.remove(task)
        roles = {r: c for r, c in roles.items() if c}
        roles["task"] = [task]
        name = header[task].strip() or f"第{task + 1}列"
        warnings.append(f"任务表没有“工作任务”列，已把内容最长的“{name}”列当作工作任务，请核对")
    return roles, warnings


def activities_from_table(table: Table, chosen: dict[str, int] | None = None) -> tuple[list[RawActivity], list[str]]:
    """Rows of a task table -> activities (and warnings); see ``column_roles`` for the columns."""
    header = table.rows[0]
    roles, warnings = column_roles(table, chosen)
    task_col = roles["task"][-1]
    category_col = roles["task"][0] if len(roles["task"]) > 1 else None
    out: list[RawActivity] = []
    category: str | None = None

    def cell(row: list[str], role: str) -> str | None:
        if role not in roles or roles[role][0] >= len(row):
            return None
        return row[roles[role][0]].strip() or None

    width = len(header)
    for number, row in enumerate(table.rows[1:], start=2):
        row = [c.replace("\x00", "\n") for c in _merge_wrapped(row, task_col)]
        if table.plain and 2 <= len(row) < width:
            # a blank cell vanished between spaces: keep the last cell in the last column
            where = f"序号为 {row[0].strip()} 的一行" if "seq" in roles else f"第{number}行"
            warnings.append(
                f"文本表格{where}只有{len(row)}列（表头{width}列），已把最后一格当作“{header[-1]}”，"
                "请核对（建议用 Tab 分隔各列）"
            )
            row = row[:-1] + [""] * (width - len(row)) + row[-1:]
        filled = [c.strip() for c in row if c.strip()]
        if not filled:
            continue
        task = row[task_col].strip() if task_col < len(row) else ""
        merged = len(set(filled)) == 1 and len(filled) > 1 and width > 2
        lone = len(filled) == 1 and not task
        heading = (
            not any(cell(row, r) for r in ("lead", "partner", "resp", "window"))
            and re.fullmatch(r"[一二三四五六七八九十]{1,3}[、.．]?", cell(row, "seq") or "") is not None
        )
        if merged or lone or heading:
            category = task or filled[-1]  # a row naming a group of tasks
            category = re.sub(r"^[一二三四五六七八九十]{1,3}[、.．]\s*", "", category)
            continue
        if category_col is not None and category_col < len(row) and row[category_col].strip():
            category = row[category_col].strip()
        if not task:
            continue
        body = join_lines(task.split("\n"))
        out.append(
            RawActivity(
                number=cell(row, "seq") or "",
                title=title_of(body),
                body=body,
                window_text=_window_cell(cell(row, "window")),
                lead_text=cell(row, "lead"),
                partner_text=cell(row, "partner"),
                resp_text=cell(row, "resp"),
                category=category,
            )
        )
    return out, warnings


def _merge_wrapped(row: list[str], task_col: int) -> list[str]:
    """Plain-text rows may carry wrapped task text (marked \\x00) at the end: fold it back."""
    wrapped = [c[1:] for c in row if c.startswith("\x00")]
    row = [c for c in row if not c.startswith("\x00")]
    if wrapped and task_col < len(row):
        row[task_col] += "\x00".join([""] + wrapped)
    return row


def _window_cell(text: str | None) -> str | None:
    """A window cell without its spaces; deadlines on separate lines stay on separate lines."""
    lines = ["".join(line.split()) for line in (text or "").split("\n")]
    return "\n".join(line for line in lines if line) or None
