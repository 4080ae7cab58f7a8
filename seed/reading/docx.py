"""A .docx package -> blocks (python-docx), in document order."""

from __future__ import annotations

import io

from seed.errors import PlanParseError
from seed.reading.blocks import Block, Para, Table

__all__ = ["docx_blocks"]


def _docx_cell_text(cell) -> str:
    return "\n".join(p.text.strip() for p in cell.paragraphs if p.text.strip())


def docx_blocks(data: bytes) -> list[Block]:
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
