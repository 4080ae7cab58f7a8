"""Lines of a .md/.txt file -> paragraphs, markdown tables and plain-text tables (tab or 2+ spaces)."""

from __future__ import annotations

import re

from seed.labels import CHAPTER, is_header
from seed.reading.blocks import Block, Para, Table

__all__ = ["text_blocks"]


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


def text_blocks(text: str) -> list[Block]:
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
        if len(cells) >= 3 and is_header(cells):
            rows, i = [cells], i + 1
            after_blank = False
            while i < len(lines):
                if not lines[i].strip(" \t\u3000"):
                    after_blank, i = True, i + 1
                    continue
                row = _plain_cells(lines[i])
                if len(row) >= 2:
                    rows.append(row)
                elif not after_blank and len(rows) > 1 and not CHAPTER.match(row[0]):
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
