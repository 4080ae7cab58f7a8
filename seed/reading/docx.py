"""A .docx package -> blocks (python-docx), in document order."""

from __future__ import annotations

import io
import zipfile

from seed.errors import PlanParseError
from seed.reading.blocks import Block, Para, Table

__all__ = ["MAX_UNPACKED_MB", "check_package", "docx_blocks"]

# A plan's Word file unpacks to a few MB; a package that unpacks to more is refused unread
# (a 1.5 MB zip bomb can hold a 1.5 GB document.xml).
MAX_UNPACKED_MB = 64
_CHUNK = 1 << 20


def check_package(data: bytes, limit: int = MAX_UNPACKED_MB << 20) -> None:
    """Refuse a .docx whose parts unpack to more than ``limit`` bytes, by what the zip declares
    and by what it actually yields (read in bounded chunks, so a lying header cannot pass)."""
    too_big = PlanParseError(
        f"无法读取 .docx 文件：解压后超过 {limit >> 20} MB，不像一份方案（可能是压缩炸弹），已拒绝"
    )
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            infos = package.infolist()
            if sum(info.file_size for info in infos) > limit:
                raise too_big
            total = 0
            for info in infos:
                with package.open(info) as part:
                    while chunk := part.read(_CHUNK):
                        total += len(chunk)
                        if total > limit:
                            raise too_big
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise PlanParseError("无法读取 .docx 文件：文件已损坏，或不是 Word 文档") from None


def _docx_cell_text(cell) -> str:
    return "\n".join(p.text.strip() for p in cell.paragraphs if p.text.strip())


def docx_blocks(data: bytes) -> list[Block]:
    """Paragraphs and tables of a .docx in document order (python-docx), once the package is
    known to unpack to a sane size."""
    check_package(data)
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
