"""Rows of a task table -> raw activities, each column known by its role."""

from __future__ import annotations

import re

from seed.errors import PlanParseError
from seed.labels import header_role
from seed.reading.blocks import Table
from seed.structure.raw import RawActivity, join_lines, title_of

__all__ = ["activities_from_table"]


def activities_from_table(table: Table) -> tuple[list[RawActivity], list[str]]:
    """Rows of a task table -> activities (and warnings); a missing 工作任务 column is fatal."""
    header = table.rows[0]
    roles: dict[str, list[int]] = {}
    for index, cell in enumerate(header):
        role = header_role(cell)
        if role:
            roles.setdefault(role, []).append(index)
    if "task" not in roles:
        shown = "｜".join(c for c in header if c)
        raise PlanParseError(f"任务表缺少“工作任务”列（表头为：{shown}），无法确定每项任务的内容")
    task_col = roles["task"][-1]
    category_col = roles["task"][0] if len(roles["task"]) > 1 else None
    out: list[RawActivity] = []
    warnings: list[str] = []
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
            not any(cell(row, r) for r in ("lead", "partner", "window"))
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
                window_text="".join((cell(row, "window") or "").split()) or None,
                lead_text=cell(row, "lead"),
                partner_text=cell(row, "partner"),
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
