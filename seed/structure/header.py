"""The notice's header: title, issuer, document number (文号) and the plan year."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from seed.errors import PlanParseError
from seed.labels import CHAPTER, ITEM_A, ITEM_B
from seed.reading.blocks import Block, Para, Table

__all__ = ["UNTITLED", "Header", "decide_year", "read_header"]

UNTITLED = "未命名方案"
_DOC_NO = re.compile(
    r"[\u4e00-\u9fff]{1,12}\s*[〔\[［【(（]\s*((?:19|20)\d{2})\s*[〕\]］】)）]\s*第?\s*\d{1,4}\s*号"
)
_TITLE_END = re.compile(r"(?:方案|分解表|任务表|任务清单|清单|工作要点|要点|计划|安排|台账|分工|意见|办法)$")
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
class Header:
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
        if ITEM_A.match(block.text) or ITEM_B.match(block.text):
            break
        out.append(block)
    return out


def read_header(blocks: list[Block], filename: str) -> Header:
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
            and not CHAPTER.match(core)
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
    return Header(title, issuer, doc_no, doc_year)


def _signature(blocks: list[Block]) -> str | None:
    """The issuing body signed above the date at the end (落款)."""
    paras = [b.text for b in blocks[-6:] if isinstance(b, Para)]
    for i in range(1, len(paras)):
        if re.fullmatch(r"(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日", paras[i].strip()):
            candidate = re.sub(r"\s+", "", paras[i - 1])
            if len(candidate) <= 30 and re.search(r"(?:会|委|局|厅|办公室|政府)$", candidate):
                return candidate
    return None


def all_text(blocks: list[Block]) -> str:
    parts = []
    for block in blocks:
        if isinstance(block, Para):
            parts.append(block.text)
        else:
            parts.extend(c for row in block.rows for c in row)
    return "\n".join(parts)


def decide_year(header: Header, blocks: list[Block], given: int | None) -> tuple[int, list[str]]:
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
    years = re.findall(r"((?:19|20)\d{2})\s*年", all_text(blocks))
    if years:
        counts = Counter(years)
        best = max(counts.values())
        return int(next(y for y in years if counts[y] == best)), warnings
    raise PlanParseError("无法确定方案年份：文件中没有文号年份（如〔2022〕）或“2022年”字样，请用 --year 指定年份")
