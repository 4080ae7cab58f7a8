"""Stage 2, structure: blocks -> raw activities (task tables first, else numbered items), and the header."""

from __future__ import annotations

from seed.labels import header_index
from seed.reading.blocks import Block, Para, Table
from seed.structure.items import activities_from_items, walk
from seed.structure.raw import RawActivity
from seed.structure.tables import activities_from_table, column_roles

__all__ = ["RawActivity", "extract_activities"]


def _task_tables(blocks: list[Block]) -> list[Table]:
    """Tables with a task header; failing those, wide tables whose header is not known at all
    (their roles must then be chosen by a person, see ``columns`` of ``extract_activities``)."""
    known = [Table(b.rows[header_index(b) :], b.plain) for b in blocks
             if isinstance(b, Table) and header_index(b) is not None]
    if known:
        return known
    return [b for b in blocks if isinstance(b, Table) and len(b.rows) >= 2 and len(b.rows[0]) >= 3]


def extract_activities(
    blocks: list[Block], columns: list[dict[str, int] | None] | None = None
) -> tuple[list[RawActivity], list[str], list[dict]]:
    """Activities from task tables if any, else from numbered items; and each table's columns.

    ``columns[i]`` (role -> column index) overrides what the header of task table ``i`` says.
    The third value describes the tables (header, roles, whether they had to be chosen).
    """
    warnings: list[str] = []
    tables = _task_tables(blocks)
    nodes, seen_chapter = walk(flatten_other_tables(blocks))
    items = activities_from_items(nodes, seen_chapter)
    raws: list[RawActivity] = []
    info: list[dict] = []
    for index, table in enumerate(tables):
        chosen = (columns or [])[index] if index < len(columns or []) else None
        if chosen is None and header_index(table) is None:
            if items:
                break  # a layout table beside numbered items: the items are the plan
            info.append({"header": table.rows[0], "roles": {}, "unknown": True})
            warnings.append("有一张表格的表头无法识别，请指明哪一列是工作任务、牵头单位、配合单位和完成时限")
            continue
        roles = column_roles(table, chosen)[0]
        rows, table_warnings = activities_from_table(table, chosen)
        raws.extend(rows)
        warnings.extend(table_warnings)
        info.append({"header": table.rows[0], "roles": {r: c[-1] if r == "task" else c[0] for r, c in roles.items()},
                     "unknown": False})
    if raws:
        if items and any(a.lead_text or a.resp_text or a.window_text for a in items):
            warnings.append("文件同时含有编号条目和任务表，已按任务表导入")
        return raws, warnings, info
    return items, warnings, info


def flatten_other_tables(blocks: list[Block]) -> list[Block]:
    """Tables that are not task tables (layout tables in .docx) are read as paragraphs."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Table) and header_index(block) is None:
            seen: set[str] = set()
            for row in block.rows:
                for text in row:
                    for line in text.split("\n"):
                        if line.strip() and line not in seen:
                            seen.add(line)
                            out.append(Para(line.strip()))
        else:
            out.append(block)
    return out
