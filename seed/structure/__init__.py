"""Stage 2, structure: blocks -> raw activities (task tables first, else numbered items), and the header."""

from __future__ import annotations

from seed.labels import header_index
from seed.reading.blocks import Block, Para, Table
from seed.structure.items import activities_from_items, walk
from seed.structure.raw import RawActivity
from seed.structure.tables import activities_from_table

__all__ = ["RawActivity", "extract_activities"]


def extract_activities(blocks: list[Block]) -> tuple[list[RawActivity], list[str]]:
    """Activities from task tables if any, else from numbered items."""
    warnings: list[str] = []
    tables = [
        Table(b.rows[header_index(b) :], b.plain)
        for b in blocks
        if isinstance(b, Table) and header_index(b) is not None
    ]
    nodes, seen_chapter = walk(flatten_other_tables(blocks))
    items = activities_from_items(nodes, seen_chapter)
    if tables:
        raws: list[RawActivity] = []
        for table in tables:
            rows, table_warnings = activities_from_table(table)
            raws.extend(rows)
            warnings.extend(table_warnings)
        if items and any(a.lead_text or a.window_text for a in items):
            warnings.append("文件同时含有编号条目和任务表，已按任务表导入")
        return raws, warnings
    return items, warnings


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
