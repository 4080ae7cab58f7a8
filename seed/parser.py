"""Plan documents (方案, 任务分解表) -> a plain dict of the plan and its activities.

Two shapes of notice are read:
- prose: numbered items （一）（二）… under the content chapter (二、活动内容 / 主要任务 …), each
  followed by field lines (牵头部门：… 配合单位：… 完成时限：…) or an inline （牵头单位：…）;
  the 工作要求 / 保障措施 chapters are numbered the same way and are never read as activities;
  when the （一） items are only headings over numbered tasks 1. 2. that carry the fields, the
  tasks are the activities and the heading becomes their ``category``;
- task tables (| 序号 | 工作任务 | 牵头单位 | 配合单位 | 完成时限 |) in markdown, plain text (tab
  or 2+ spaces between columns) or .docx tables.  A document with a task table is read from
  the table.

The result is pure data (``parse_document``): nothing here touches a store.  Fatal problems
raise ``PlanParseError`` with one Chinese sentence; everything else becomes a warning.
"""

from __future__ import annotations

import codecs
import io
import re
import unicodedata
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from seed.targets import extract_milestones, extract_targets
from seed.units import Registry, load_registry, split_units
from seed.windows import Window, parse_window

__all__ = ["PlanParseError", "parse_document", "read_blocks", "Para", "Table"]


class PlanParseError(Exception):
    """A document that cannot be read as a plan; ``str(exc)`` is one Chinese sentence."""


# ── reading bytes into blocks ────────────────────────────────────────────


@dataclass
class Para:
    """One paragraph (a line of a text file, a paragraph of a .docx)."""

    text: str
    heading: bool = False


@dataclass
class Table:
    """A table: rows of cell texts (a cell may hold several lines)."""

    rows: list[list[str]]
    plain: bool = False  # read from plain text: column counts may be unreliable


Block = Para | Table


def _read_source(source: str | Path | bytes, filename: str | None) -> tuple[bytes, str]:
    if isinstance(source, (bytes, bytearray)):
        return bytes(source), filename or ""
    path = Path(source)
    try:
        return path.read_bytes(), filename or path.name
    except FileNotFoundError:
        raise PlanParseError(f"找不到文件：{path}") from None
    except IsADirectoryError:
        raise PlanParseError(f"{path} 是目录，不是方案文件") from None
    except OSError as exc:
        raise PlanParseError(f"无法读取文件 {path}：{exc.strerror or exc}") from None


def _looks_garbled(text: str) -> bool:
    """Text decoded without error can still be noise: count control/unassigned characters."""
    if not text:
        return False
    bad = sum(
        1
        for ch in text
        if ch == "\ufffd" or (ch not in "\t\n\r\f\v" and unicodedata.category(ch) in ("Cc", "Cs", "Co", "Cn"))
    )
    return bad / len(text) > 0.02


def _common_share(text: str) -> float:
    """Share of characters in GB2312 or ASCII: real Chinese prose is almost all of them."""
    chars = [ch for ch in text if not ch.isspace()]
    if not chars:
        return 1.0
    ok = 0
    for ch in chars:
        try:
            ch.encode("gb2312")
            ok += 1
        except UnicodeEncodeError:
            pass
    return ok / len(chars)


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030/GBK, each strictly; anything else is an error."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise PlanParseError("文件内容无法识别：UTF-16 编码有误") from None
    if b"\x00" in data:
        raise PlanParseError("文件内容无法识别：这是二进制文件，不是文本或 .docx 方案")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            raise PlanParseError(
                "文件内容无法识别：既不是 UTF-8 也不是 GBK/GB18030 编码，请另存为 UTF-8 文本"
            ) from None
        if _common_share(text) < 0.9:
            raise PlanParseError("文件内容无法识别：内容是乱码或二进制数据，请另存为 UTF-8 文本")
    if _looks_garbled(text):
        raise PlanParseError("文件内容无法识别：含有大量控制字符，可能是二进制文件")
    return text


def _docx_cell_text(cell) -> str:
    return "\n".join(p.text.strip() for p in cell.paragraphs if p.text.strip())


def _docx_blocks(data: bytes) -> list[Block]:
    """Paragraphs and tables of a .docx in document order (python-docx)."""
    try:
        import docx  # python-docx
        from docx.table import Table as DocxTable

        document = docx.Document(io.BytesIO(data))
    except Exception:  # python-docx raises several types for a broken package
        raise PlanParseError("无法读取 .docx 文件：文件已损坏，或不是 Word 文档") from None
    blocks: list[Block] = []
    for item in document.iter_inner_content():
        if isinstance(item, DocxTable):
            rows = []
            for row in item.rows:
                cells = [_docx_cell_text(c) for c in row.cells]
                if any(cells):
                    rows.append(cells)
            if rows:
                blocks.append(Table(rows))
        else:
            text = item.text.strip()
            style = (item.style.name if item.style is not None else "") or ""
            if text:
                blocks.append(Para(text, heading=style.startswith(("Heading", "Title", "标题"))))
    return blocks


_MD_SEPARATOR = re.compile(r"^[\s|:：\-—–]+$")


def _md_cells(line: str) -> list[str]:
    line = line.strip()
    line = line[1:] if line.startswith("|") else line
    line = line[:-1] if line.endswith("|") and not line.endswith("\\|") else line
    cells = re.split(r"(?<!\\)\|", line)
    return [re.sub(r"<br\s*/?>", "\n", c.replace("\\|", "|")).strip() for c in cells]


def _plain_cells(line: str) -> list[str]:
    line = line.strip(" \u3000\r\n")
    if "\t" in line:
        return [c.strip(" \u3000") for c in line.split("\t")]
    return [c for c in re.split(r"[ \u3000]{2,}", line) if c]


def _clean_line(line: str) -> tuple[str, bool]:
    """Strip markdown decoration; True when the line was a markdown heading."""
    s = line.strip(" \t\u3000\r\n\ufeff")
    heading = s.startswith("#")
    s = s.lstrip("#").strip(" \t\u3000")
    s = re.sub(r"^(?:>\s*|[-*+]\s+)", "", s)
    s = s.replace("**", "").replace("__", "")
    return s.strip(" \t\u3000"), heading


def _text_blocks(text: str) -> list[Block]:
    """Lines -> paragraphs, markdown tables and plain-text tables with a known header."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        raw = lines[i]
        stripped = raw.strip(" \t\u3000\ufeff")
        if stripped.startswith("|") and stripped.count("|") >= 2:
            rows = []
            while i < len(lines) and lines[i].strip(" \t\u3000").startswith("|"):
                if not _MD_SEPARATOR.match(lines[i]):
                    rows.append(_md_cells(lines[i].strip(" \t\u3000")))
                i += 1
            blocks.append(Table(rows))
            continue
        cells = _plain_cells(raw)
        if len(cells) >= 3 and _is_header(cells):
            rows, i = [cells], i + 1
            after_blank = False
            while i < len(lines):
                if not lines[i].strip(" \t\u3000"):
                    after_blank, i = True, i + 1
                    continue
                row = _plain_cells(lines[i])
                if len(row) >= 2:
                    rows.append(row)
                elif not after_blank and len(rows) > 1 and not _CHAPTER.match(row[0]):
                    rows[-1].append("\x00" + row[0])  # wrapped text of the previous row
                else:
                    break
                after_blank, i = False, i + 1
            blocks.append(Table(rows, plain=True))
            continue
        line, heading = _clean_line(raw)
        if line:
            blocks.append(Para(line, heading))
        i += 1
    return blocks


def read_blocks(data: bytes, filename: str = "") -> list[Block]:
    """Bytes of a .md/.txt/.docx file -> blocks; raise PlanParseError for what cannot be read."""
    if not data.strip(b" \t\r\n\x0b\x0c\xef\xbb\xbf"):
        raise PlanParseError("文件为空")
    suffix = Path(filename).suffix.lower()
    if data.startswith(b"%PDF"):
        raise PlanParseError("不支持 PDF 文件：请先转换为 .docx 或文本（.md/.txt）")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        raise PlanParseError("不支持旧版 .doc 文件：请在 Word 中另存为 .docx")
    if data.startswith(b"PK\x03\x04") or suffix == ".docx":
        if not zipfile.is_zipfile(io.BytesIO(data)):
            raise PlanParseError("无法读取 .docx 文件：文件已损坏，或不是 Word 文档")
        blocks = _docx_blocks(data)
    else:
        blocks = _text_blocks(decode_text(data))
    if not blocks:
        raise PlanParseError("文件为空")
    return _lift_table_titles(blocks)


def _lift_table_titles(blocks: list[Block]) -> list[Block]:
    """Rows above a task table's header (a merged title row in Word) become paragraphs before it,
    so the title is found where titles are looked for."""
    out: list[Block] = []
    for block in blocks:
        index = _header_index(block) if isinstance(block, Table) else None
        if isinstance(block, Table) and index:
            for row in block.rows[:index]:
                for text in dict.fromkeys(c.strip() for c in row if c.strip()):
                    out.append(Para(text, heading=True))
            block = Table(block.rows[index:], block.plain)
        out.append(block)
    return out


# ── field labels and table headers ──────────────────────────────────────

_LABELS = {
    "lead": "牵头部门|牵头单位|主办单位|主责部门|主责单位|牵头处室",
    "partner": "配合单位|配合部门|责任单位|责任部门|协办单位|参与单位|承办单位|协同单位|配合处室",
    "window": "完成时限|完成时间|时间安排|活动时间|时间节点|实施时间|办结时限|完成期限|时限要求|进度安排",
}
_SUFFIX = r"(?:[（(][^（）()]{1,8}[）)])?"
_FIELD = re.compile(
    "(?P<label>" + "|".join(f"(?P<{k}>{v})" for k, v in _LABELS.items()) + ")" + _SUFFIX + r"\s*[：:]"
)
_TASK_HEADERS = (
    "工作任务|重点任务|主要任务|具体任务|任务内容|任务名称|任务|工作内容|活动内容|活动名称|活动项目|"
    "工作事项|事项|项目名称|项目|具体措施|工作措施|主要措施|重点工作|工作项目|内容|目标任务"
)
_HEADER_ROLES = {
    "seq": re.compile(r"(?:序号|编号|序)"),
    "task": re.compile(f"(?:{_TASK_HEADERS})"),
    "lead": re.compile(f"(?:{_LABELS['lead']})"),
    "partner": re.compile(f"(?:{_LABELS['partner']})"),
    "window": re.compile(f"(?:{_LABELS['window']}|时限|时间)"),
}


def _header_role(cell: str) -> str | None:
    key = re.sub(r"[\s*：:]", "", cell)
    key = re.sub(r"[（(][^（）()]*[）)]$", "", key)
    for role, pattern in _HEADER_ROLES.items():
        if pattern.fullmatch(key):
            return role
    return None


def _is_header(cells: list[str]) -> bool:
    """A task-table header names who does it (牵头/配合) and one more known column.

    A schedule (序号｜时间｜地点｜内容) names nobody and is not a task table.
    """
    roles = {_header_role(c) for c in cells} - {None}
    return bool(roles & {"lead", "partner"}) and len(roles) >= 2


def _header_index(table: Table) -> int | None:
    """Index of the header row; a .docx table often starts with a merged title row."""
    for index, row in enumerate(table.rows[:3]):
        if _is_header(row):
            return index
    return None


# ── document structure: chapters and numbered items ──────────────────────

_CHAPTER = re.compile(r"^(?:第[一二三四五六七八九十]+(?:部分|章)|[一二三四五六七八九十]{1,3}\s*[、.．])\s*(.*)$")
_ITEM_A = re.compile(r"^[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]\s*(.*)$")
_ITEM_B = re.compile(r"^(\d{1,2})\s*[.．、](?!\d)\s*(.*)$")
_CONTENT_WORDS = re.compile(
    "活动内容|活动安排|主要活动|具体活动|系列活动|活动项目|主要任务|重点任务|工作任务|具体任务|任务分工|"
    "任务分解|重点工作|主要工作|工作重点|主要内容|工作内容|实施内容|重点项目|主要措施|具体措施|活动主题"
)
_EXCLUDED_WORDS = re.compile("要求|保障|组织领导|指导思想|总体|目标|原则|步骤|阶段|意义|背景")
_SENTENCE_END = ("。", "！", "？", "；", "：", "!", "?", ";", "…", "。”", "！”", "？”")


def _chapter_kind(title: str) -> str:
    head = re.split(r"[。：:]", title, maxsplit=1)[0]
    if _CONTENT_WORDS.search(head):
        return "content"
    if _EXCLUDED_WORDS.search(head):
        return "excluded"
    return "other"


def _join(fragments: list[str]) -> str:
    """Join paragraph fragments: mid-sentence breaks (PDF conversion) close up, real paragraphs
    keep a newline."""
    out = ""
    for frag in fragments:
        frag = re.sub(r"[ \t\u3000]+", " ", frag.strip())
        if not frag:
            continue
        if not out:
            out = frag
        elif out.endswith(_SENTENCE_END) or out.endswith("\n"):
            out += "\n" + frag
        else:
            out += frag
    return out


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


@dataclass
class RawActivity:
    """An activity as written, before windows and units are read."""

    number: str
    title: str
    body: str
    window_text: str | None
    lead_text: str | None
    partner_text: str | None
    category: str | None = None


def _split_fields(text: str) -> list[tuple[str, str]]:
    """'牵头单位：A　配合单位：B；完成时限：C' -> [(lead, A), (partner, B), (window, C)]."""
    hits = list(_FIELD.finditer(text))
    out = []
    for i, m in enumerate(hits):
        end = hits[i + 1].start() if i + 1 < len(hits) else len(text)
        value = text[m.end() : end].strip(" \t\u3000；;，,。")
        kind = next(k for k in _LABELS if m.group(k))
        out.append((kind, value))
    return out


def _inline_fields(text: str) -> tuple[str, list[tuple[str, str]]]:
    """Take '（牵头单位：…；完成时限：…）' groups out of a body line (brackets may nest)."""
    found: list[tuple[str, str]] = []
    i = 0
    while True:
        starts = [m.start() for m in re.finditer(r"[（(]", text[i:])]
        start = next((i + s for s in starts if _FIELD.match(text, i + s + 1)), None)
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
    if _FIELD.match(line):
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
        node.fields[node.last_field] += line  # a field value broken over two lines
        return
    body, inline = _inline_fields(line)
    for kind, value in inline:
        node.fields[kind] = value
    node.last_field = None
    if body.strip():
        node.lines.append(body)


def _walk(blocks: list[Block]) -> tuple[list[_Node], bool]:
    """Top-level numbered items with their chapter kinds; True if chapters were seen."""
    nodes: list[_Node] = []
    chapter, seen_chapter = "none", False
    current_a: _Node | None = None
    current: _Node | None = None
    for block in blocks:
        if isinstance(block, Table):
            current_a = current = None
            continue
        text = block.text
        m_chapter = _CHAPTER.match(text)
        m_a = _ITEM_A.match(text)
        m_b = _ITEM_B.match(text)
        if m_chapter and not m_a:
            chapter, seen_chapter = _chapter_kind(m_chapter.group(1)), True
            current_a = current = None
        elif m_a:
            current_a = current = _Node(f"（{m_a.group(1)}）", chapter)
            nodes.append(current)
            _start_item(current, m_a.group(2))
        elif m_b:
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
    if node.lines and len(node.lines[0]) <= 40 and not node.lines[0].endswith(_SENTENCE_END):
        node.title_line = True  # （一）深化拓展建功立业活动 on its own line


def _title_of(text: str) -> str:
    first = re.split(r"[。！？!?]", text, maxsplit=1)[0]
    return first.strip().rstrip("：:；;，,")


def _raw_from_node(node: _Node, category: str | None = None, extra: list[str] | None = None) -> RawActivity:
    lines = node.lines + (extra or [])
    if node.title_line and lines:
        title = lines[0].strip().rstrip("：:；;，,。")
        body = title + ("\n" + _join(lines[1:]) if len(lines) > 1 else "")
    else:
        body = _join(lines)
        title = _title_of(body)
    return RawActivity(
        number=node.marker,
        title=title,
        body=body,
        window_text=node.fields.get("window"),
        lead_text=node.fields.get("lead"),
        partner_text=node.fields.get("partner"),
        category=category,
    )


def _activities_from_items(nodes: list[_Node], seen_chapter: bool) -> list[RawActivity]:
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
        if content:
            if node.chapter != "content":
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
            extra = [f"{c.marker}{_join(c.lines)}" for c in node.children]
            out.append(_raw_from_node(node, extra=extra))
    return out


def _activities_from_table(table: Table) -> tuple[list[RawActivity], list[str]]:
    """Rows of a task table -> activities (and warnings); a missing 工作任务 column is fatal."""
    header = table.rows[0]
    roles: dict[str, list[int]] = {}
    for index, cell in enumerate(header):
        role = _header_role(cell)
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
        body = _join(task.split("\n"))
        out.append(
            RawActivity(
                number=cell(row, "seq") or "",
                title=_title_of(body),
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


# ── header: title, issuer, document number, year ───────────────────────

UNTITLED = "未命名方案"
_DOC_NO = re.compile(
    r"[\u4e00-\u9fff]{1,12}\s*[〔\[［【(（]\s*((?:19|20)\d{2})\s*[〕\]］】)）]\s*第?\s*\d{1,4}\s*号"
)
_TITLE_END = re.compile(r"(?:方案|分解表|任务表|任务清单|清单|工作要点|要点|计划|安排|台账|分工)$")
_ORG_PREFIX = re.compile(r"^(.{2,20}?(?:总工会|工会|委员会|人民政府|政府|办公厅|办公室|局|厅))")


def _tidy_title(text: str) -> str:
    """Drop spaces PDF conversion put inside a title; keep single spaces inside “quotes”
    (“喜迎二十大 建功新时代” is two slogans) and between Latin words."""
    text = re.sub(r"\s+", " ", text.strip())
    out, depth = [], 0
    for i, ch in enumerate(text):
        if ch == "“":
            depth += 1
        elif ch == "”":
            depth = max(0, depth - 1)
        if ch == " ":
            prev, nxt = text[i - 1], text[i + 1 : i + 2]
            latin = prev.isascii() and prev.isalnum() and nxt.isascii() and nxt.isalnum()
            quoted = depth > 0 and prev != "“" and nxt != "”"
            if not (latin or quoted):
                continue
        out.append(ch)
    return "".join(out)


@dataclass
class _Header:
    title: str | None
    issuer: str | None
    doc_no: str | None
    doc_year: int | None


def _preamble(blocks: list[Block]) -> list[Para]:
    """Paragraphs before the first numbered item or table: where title, issuer and 文号 stand."""
    out: list[Para] = []
    for block in blocks:
        if isinstance(block, Table):
            break
        if _ITEM_A.match(block.text) or _ITEM_B.match(block.text):
            break
        out.append(block)
    return out


def _read_header(blocks: list[Block], filename: str) -> _Header:
    """Title (the 方案 line, else the 《…》 of a 关于印发 notice), issuer (红头, notice, 落款 or
    the title's organisation) and the document number with its year."""
    paras = _preamble(blocks)
    doc_no, doc_year, doc_index = None, None, -1
    for index, para in enumerate(paras[:12]):
        m = _DOC_NO.search(para.text)
        if m and len(para.text) <= 40:
            doc_no = re.sub(r"\s+", "", m.group(0))
            doc_year, doc_index = int(m.group(1)), index
            break

    def title_like(text: str) -> bool:
        core = re.sub(r"[（(](?:试行|草案|征求意见稿)[）)]$", "", text.strip())
        return (
            4 <= len(core) <= 100
            and not core.endswith(("。", "；", "：", "，", ":"))
            and bool(_TITLE_END.search(core))
            and "关于印发" not in core
            and not _CHAPTER.match(core)
        )

    title = next((_tidy_title(p.text) for p in paras if title_like(p.text)), None)
    notice = next((p.text for p in paras if "关于印发" in p.text), None)
    if title is None and notice:
        m = re.search(r"《(.+?)》", notice)
        title = _tidy_title(m.group(1)) if m else None
    if title is None:
        first = next((p.text for p in paras if p.heading), None) or (paras[0].text if paras else None)
        title = _tidy_title(first) if first and len(first) <= 100 else Path(filename).stem or None

    issuer = None
    first = paras[0].text if paras else ""
    if (
        paras
        and first != doc_no
        and _tidy_title(first) != title
        and len(first) <= 30
        and not first.endswith(("。", "：", ":", "，"))
        and "关于" not in first
        and (doc_index > 0 or paras[0].heading)
    ):
        issuer = re.sub(r"文件$", "", re.sub(r"\s+", "", first))
    if issuer is None and notice:
        m = re.match(r"^(.+?)\s*关于印发", notice)
        issuer = re.sub(r"\s+", "", m.group(1)) if m else None
    if issuer is None:
        issuer = _signature(blocks)
    if issuer is None and title:
        m = _ORG_PREFIX.match(title)
        issuer = m.group(1) if m else None
    return _Header(title, issuer, doc_no, doc_year)


def _signature(blocks: list[Block]) -> str | None:
    """The issuing body signed above the date at the end (落款)."""
    paras = [b.text for b in blocks[-6:] if isinstance(b, Para)]
    for i in range(1, len(paras)):
        if re.fullmatch(r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日", paras[i].strip()):
            candidate = re.sub(r"\s+", "", paras[i - 1])
            if len(candidate) <= 30 and re.search(r"(?:会|委|局|厅|办公室|政府)$", candidate):
                return candidate
    return None


def _all_text(blocks: list[Block]) -> str:
    parts = []
    for block in blocks:
        if isinstance(block, Para):
            parts.append(block.text)
        else:
            parts.extend(c for row in block.rows for c in row)
    return "\n".join(parts)


def _decide_year(header: _Header, blocks: list[Block], given: int | None) -> tuple[int, list[str]]:
    """Document number, then title, then --year, then the most frequent year in the text."""
    warnings: list[str] = []
    title_year = None
    if header.title:
        m = re.search(r"((?:19|20)\d{2})\s*年", header.title) or re.search(
            r"(?<!\d)((?:19|20)\d{2})(?!\d)", header.title
        )
        title_year = int(m.group(1)) if m else None
    stated = header.doc_year or title_year
    if stated is not None:
        if given is not None and given != stated:
            source = "文号" if header.doc_year else "标题"
            warnings.append(f"指定的年份 {given} 与文件{source}中的年份 {stated} 不一致，按 {stated} 年处理")
        return stated, warnings
    if given is not None:
        return given, warnings
    years = re.findall(r"((?:19|20)\d{2})\s*年", _all_text(blocks))
    if years:
        counts = Counter(years)
        best = max(counts.values())
        return int(next(y for y in years if counts[y] == best)), warnings
    raise PlanParseError("无法确定方案年份：文件中没有文号年份（如〔2022〕）或“2022年”字样，请用 --year 指定年份")


# ── assembling the result ────────────────────────────────────────────────


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _extract(blocks: list[Block]) -> tuple[list[RawActivity], list[str]]:
    """Activities from task tables if any, else from numbered items."""
    warnings: list[str] = []
    tables = [
        Table(b.rows[_header_index(b) :], b.plain)
        for b in blocks
        if isinstance(b, Table) and _header_index(b) is not None
    ]
    nodes, seen_chapter = _walk(_flatten_other_tables(blocks))
    items = _activities_from_items(nodes, seen_chapter)
    if tables:
        raws: list[RawActivity] = []
        for table in tables:
            rows, table_warnings = _activities_from_table(table)
            raws.extend(rows)
            warnings.extend(table_warnings)
        if items and any(a.lead_text or a.window_text for a in items):
            warnings.append("文件同时含有编号条目和任务表，已按任务表导入")
        return raws, warnings
    return items, warnings


def _flatten_other_tables(blocks: list[Block]) -> list[Block]:
    """Tables that are not task tables (layout tables in .docx) are read as paragraphs."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Table) and _header_index(block) is None:
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


def parse_document(
    source: str | Path | bytes,
    *,
    year: int | None = None,
    registry: Registry | None = None,
    filename: str | None = None,
) -> dict:
    """Parse a plan file (path or bytes) into the JSON-ready dict of ``parse --json``.

    ``filename`` names bytes (its suffix tells .docx from text); ``year`` is used when the
    document states none; ``registry`` defaults to ``seed/units.toml``.
    """
    registry = registry if registry is not None else load_registry()
    data, name = _read_source(source, filename)
    blocks = read_blocks(data, name)
    header = _read_header(blocks, name)
    raws, warnings = _extract(blocks)
    if not header.title:
        header.title = UNTITLED
        warnings.insert(0, f"没有找到方案标题，暂用“{UNTITLED}”")
    if not raws:
        raise PlanParseError(
            "文件中没有找到活动：既没有“活动内容/主要任务”等章节下的（一）（二）编号条目，也没有任务表"
        )
    plan_year, year_warnings = _decide_year(header, blocks, year)
    warnings = year_warnings + warnings

    windows = [parse_window(r.window_text, plan_year) for r in raws]
    windows = _fill_deadlines(windows, plan_year)
    unknown: dict[str, list[int]] = {}
    activities = []
    for seq, (raw, window) in enumerate(zip(raws, windows), start=1):
        activities.append(_activity(seq, raw, window, registry, unknown, warnings))
    for written, seqs in unknown.items():
        where = "、".join(str(s) for s in seqs)
        near = registry.closest(written)
        hint = f"最接近的已登记单位：{near}" if near else "登记表中没有相近的单位"
        warnings.append(f"未登记的单位「{written}」（活动{where}），{hint}")

    starts = [w.start for w in windows if w.start]
    ends = [w.end for w in windows if w.end]
    return {
        "plan": {
            "title": header.title,
            "issuer": header.issuer,
            "doc_no": header.doc_no,
            "year": plan_year,
            "start": _iso(min(starts) if starts else date(plan_year, 1, 1)),
            "end": _iso(max(ends) if ends else date(plan_year, 12, 31)),
        },
        "activities": activities,
        "warnings": warnings,
    }


def _fill_deadlines(windows: list[Window], year: int) -> list[Window]:
    """Deadlines start with the plan (earliest dated start, else Jan 1; Jan 1 if that is later)."""
    dated = [w.start for w in windows if w.start and not w.open_start]
    plan_start = min(dated) if dated else date(year, 1, 1)
    out = []
    for w in windows:
        if w.open_start and w.end is not None:
            start = plan_start if plan_start <= w.end else date(year, 1, 1)
            if start > w.end:
                start = date(w.end.year, 1, 1)
            w = Window(w.text, start, w.end, open_start=True)
        out.append(w)
    return out


def _activity(
    seq: int,
    raw: RawActivity,
    window: Window,
    registry: Registry,
    unknown: dict[str, list[int]],
    warnings: list[str],
) -> dict:
    label = f"活动{seq}「{raw.title}」"
    if raw.window_text is None:
        warnings.append(f"{label}没有写完成时限，未设起止日期")
    elif window.problem:
        warnings.append(f"{label}的完成时限「{raw.window_text}」{window.problem}，已按原文保留，未设起止日期")
    lead = split_units(raw.lead_text, registry)
    partners = split_units(raw.partner_text, registry)
    marked = [m for m in partners if m.lead]
    if marked:
        lead = lead + [m for m in marked if m.name not in {x.name for x in lead}]
        partners = [m for m in partners if not m.lead]
    if not lead:
        warnings.append(f"{label}没有写牵头单位")
    for mention in lead + partners:
        if not mention.known:
            seqs = unknown.setdefault(mention.written, [])
            if seq not in seqs:
                seqs.append(seq)
    lead_names = [m.name for m in lead]
    return {
        "seq": seq,
        "number": raw.number,
        "title": raw.title,
        "body": raw.body,
        "category": raw.category,
        "window_text": raw.window_text,
        "start": _iso(window.start),
        "end": _iso(window.end),
        "deadline": window.open_start,
        "lead_units": lead_names,
        "partner_units": [m.name for m in partners if m.name not in lead_names],
        "targets": [t.as_dict() for t in extract_targets(raw.body)],
        "milestones": [{"title": t, "due": None} for t in extract_milestones(raw.body)],
    }
