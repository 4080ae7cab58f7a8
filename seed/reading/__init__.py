"""Stage 1, reading: bytes of a .md/.txt/.docx file -> blocks (``Para`` and ``Table``).

Encodings, Word packages and table syntax are dealt with here; nothing here knows what an
activity is, beyond telling a task table's header row from other rows.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from seed.errors import PlanParseError
from seed.labels import header_index
from seed.reading.blocks import Block, Para, Table
from seed.reading.decode import decode_text, read_source
from seed.reading.docx import docx_blocks
from seed.reading.text import text_blocks

__all__ = ["Block", "Para", "Table", "decode_text", "read_blocks", "read_source"]


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
        blocks = docx_blocks(data)
    else:
        blocks = text_blocks(decode_text(data))
    if not blocks:
        raise PlanParseError("文件为空")
    return _lift_table_titles(blocks)


def _lift_table_titles(blocks: list[Block]) -> list[Block]:
    """Rows above a task table's header (a merged title row in Word) become paragraphs before it,
    so the title is found where titles are looked for."""
    out: list[Block] = []
    for block in blocks:
        index = header_index(block) if isinstance(block, Table) else None
        if isinstance(block, Table) and index:
            for row in block.rows[:index]:
                for text in dict.fromkeys(c.strip() for c in row if c.strip()):
                    out.append(Para(text, heading=True))
            block = Table(block.rows[index:], block.plain)
        out.append(block)
    return out

