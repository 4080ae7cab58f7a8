"""Numbered items of a prose notice （一）… 1. … with their field lines -> raw activities."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from seed.labels import CHAPTER, FIELD, ITEM_A, ITEM_B, LABELS
from seed.reading.blocks import Block, Table
from seed.structure.raw import SENTENCE_END, RawActivity, join_lines, title_of

__all__ = ["activities_from_items", "walk"]

_CONTENT_WORDS = re.compile(
    "活动内容|活动安排|主要活动|具体活动|系列活动|活动项目|主要任务|重点任务|工作任务|具体任务|任务分工|"
    "任务分解|重点工作|主要工作|工作重点|主要内容|工作内容|实施内容|重点项目|主要措施|具体措施|活动主题"
)
# Never activities, labels or not (工作要求, 保障措施, 组织领导 …).
_EXCLUDED_WORDS = re.compile(
    "要求$|要求和|保障措施|组织保障|保障机制|工作保障|机制保障|政策保障|组织领导|组织实施|实施步骤|"
    "指导思想|原则|意义|背景|工作机制|推进机制|督查|考核|附则"
)
# Judged by their items: a 发展目标 / 目标任务 chapter can hold tasks with 牵头单位 lines.
_LABELLED_WORDS = re.compile("总体|目标|步骤|阶段")
_ITEM_B_DECIMAL = re.compile(r"^(\d{1,2})\s*[.．](\d.*)$")  # 7.100个示范点建设 (or 1.5万人次)


def _chapter_kind(title: str) -> str:
    """content (its items are activities), excluded (never), labelled (items with labels) or other."""
    head = re.split(r"[。：:]", title, maxsplit=1)[0]
    if _EXCLUDED_WORDS.search(head):
        return "excluded"
    if _CONTENT_WORDS.search(head):
        return "content"
    if _LABELLED_WORDS.search(head):
        return "labelled"
    return "other"


@dataclass
class _Node:
    """A numbered item while the document is walked."""

    marker: str
    chapter: str  # content / excluded / other / none
    lines: list[str] = field(default_factory=list)
    fields: dict[str, str] = field(default_factory=dict)
    children: list[_Node] = field(default_factory=list)
    title_line: bool = False
    last_field: str | None = None

    @property
    def has_fields(self) -> bool:
        return bool(self.fields)


def _split_fields(text: str) -> list[tuple[str, str]]:
    """'牵头单位：A　配合单位：B；完成时限：C' -> [(lead, A), (partner, B), (window, C)]."""
    hits = list(FIELD.finditer(text))
    out = []
    for i, m in enumerate(hits):
        end = hits[i + 1].start() if i + 1 < len(hits) else len(text)
        value = text[m.end() : end].strip(" \t\u3000；;，,。")
        kind = next(k for k in LABELS if m.group(k))
        out.append((kind, value))
    return out


def _inline_fields(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Take '（牵头单位：…；完成时限：…）' groups out of a body line (brackets may nest)."""
    found: list[tuple[str, str]] = []
    i = 0
    while True:
        starts = [m.start() for m in re.finditer(r"[（(]", text[i:])]
        start = next((i + s for s in starts if FIELD.match(text, i + s + 1)), None)
        if start is None:
            return text, found
        depth, j = 0, start
        while j < len(text):
            if text[j] in "（(":
                depth += 1
            elif text[j] in "）)":
                depth -= 1
                if depth == 0:
                    break
            j += 1
        found.extend(_split_fields(text[start + 1 : j]))
        text = text[:start] + text[j + 1 :]
        i = start


def _add_line(node: _Node, line: str) -> None:
    """A line inside an item: field line, continuation of a field, or body text."""
    if FIELD.match(line):
        for kind, value in _split_fields(line):
            node.fields[kind] = value
            node.last_field = kind
        return
    if (
        node.last_field
        and len(line) <= 30
        and "。" not in line
        and not node.fields[node.last_field].endswith("。")
    ):
        # a field value broken over two lines; a window's second line is a second deadline
        node.fields[node.last_field] += ("\n" if node.last_field == "window" else "") + line
        return
    body, inline = _inline_fields(line)
    for kind, value in inline:
        node.fields[kind] = value
    node.last_field = None
    if body.strip():
        node.lines.append(body)


def walk(blocks: list[Block]) -> tuple[list[_Node], bool]:
    """Top-level numbered items with their chapter kinds; True if chapters were seen."""
    nodes: list[_Node] = []
    chapter, seen_chapter = "none", False
    current_a: _Node | None = None
    current: _Node | None = None
    last_number, restart = 0, True  # numbers 1. 2. …: tell item 7.100个 from 1.5万人次
    for block in blocks:
        if isinstance(block, Table):
            current_a = current = None
            continue
        text = block.text
        m_chapter = CHAPTER.match(text)
        m_a = ITEM_A.match(text)
        m_b = ITEM_B.match(text)
        if m_b is None:
            m_dec = _ITEM_B_DECIMAL.match(text)
            if m_dec and (int(m_dec.group(1)) == last_number + 1 or (restart and m_dec.group(1) == "1")):
                m_b = m_dec
        if m_chapter and not m_a:
            chapter, seen_chapter = _chapter_kind(m_chapter.group(1)), True
            current_a = current = None
            restart = True
        elif m_a:
            current_a = current = _Node(f"（{m_a.group(1)}）", chapter)
            nodes.append(current)
            _start_item(current, m_a.group(2))
            restart = True
        elif m_b:
            last_number, restart = int(m_b.group(1)), False
            node = _Node(f"{m_b.group(1)}.", chapter)
            if current_a is not None:
                current_a.children.append(node)
            else:
                nodes.append(node)
            current = node
            _start_item(node, m_b.group(2))
        elif current is not None:
            _add_line(current, text)
    return nodes, seen_chapter


def _start_item(node: _Node, first: str) -> None:
    first = first.strip()
    if not first:
        return
    _add_line(node, first)
    if node.lines and len(node.lines[0]) <= 40 and not node.lines[0].endswith(SENTENCE_END):
        node.title_line = True  # （一）深化拓展建功立业活动 on its own line



def _raw_from_node(node: _Node, category: str | None = None, extra: list[str] | None = None) -> RawActivity:
    lines = node.lines + (extra or [])
    if node.title_line and lines:
        title = lines[0].strip().rstrip("：:；;，,。")
        body = title + ("\n" + join_lines(lines[1:]) if len(lines) > 1 else "")
    else:
        body = join_lines(lines)
        title = title_of(body)
    return RawActivity(
        number=node.marker,
        title=title,
        body=body,
        window_text=node.fields.get("window"),
        lead_text=node.fields.get("lead"),
        partner_text=node.fields.get("partner"),
        resp_text=node.fields.get("resp"),
        category=category,
    )


def activities_from_items(nodes: list[_Node], seen_chapter: bool) -> list[RawActivity]:
    """Choose which numbered items are activities (see the module docstring)."""
    content = any(n.chapter == "content" for n in nodes)
    out: list[RawActivity] = []
    for node in nodes:
        fielded = [c for c in node.children if c.has_fields]
        if len(fielded) == 1 and len(node.children) > 1 and fielded[0] is node.children[-1]:
            # （一）… 1. … 2. … 牵头单位：… — the fields close the whole item, not its last point
            node.fields = {**fielded[0].fields, **node.fields}
            fielded[0].fields = {}
            fielded = []
        fielded_children = bool(fielded)
        labelled = node.has_fields or fielded_children
        if node.chapter == "excluded":
            continue
        if content:
            if node.chapter != "content" and not labelled:
                continue
        elif seen_chapter:
            if node.chapter == "excluded" or not (node.has_fields or fielded_children):
                continue
        elif node.marker[0].isdigit() and not node.has_fields:
            continue
        if node.children and fielded_children and not node.has_fields:
            category = _raw_from_node(node).title
            out.extend(_raw_from_node(child, category) for child in node.children)
        else:
            extra = [f"{c.marker}{join_lines(c.lines)}" for c in node.children]
            out.append(_raw_from_node(node, extra=extra))
    return out
