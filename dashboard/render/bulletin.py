"""The 通报 as a Word document: a ``Bulletin`` (what dashboard.brief gathered) poured into a template.

Pure (no Streamlit, no store): the template's placeholders are filled where they stand and the
sections go where ``{{正文}}`` stood (see ``bulletin_template``), so the office's own edits to the
template (fonts, masthead, margins) survive. Every text from a document or a user — plan and
activity titles, unit names, the office's 下一步工作要求 — goes in as a run's plain text: Word shows
it as written, nothing in it is read as a placeholder, a field or markup.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentType
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.shared import Mm
from docx.text.paragraph import Paragraph

from dashboard.render.bulletin_template import TEMPLATE
from dashboard.render.labels import REASON_LABELS, STATUS_LABELS, date_label, ui

BODY_MARK = "{{正文}}"
ANCHOR_MARK = "{{日志锚点}}"
TEXT_WIDTH = Mm(156)            # GB/T 9704's 版心
TARGET_WIDTHS = (Mm(18), Mm(64), Mm(26), Mm(26), Mm(22))   # 活动 目标 计划 完成 完成率: 156 mm
SILENT_WIDTHS = (Mm(16), Mm(62), Mm(78))                    # 序号 单位 未报送的活动
GANTT_WIDTH = 640               # px: narrower than the page's 900, so its labels stay legible at 156 mm
# Characters XML 1.0 cannot hold (Word would refuse the file): dropped from any text put in.
_PLACEHOLDER = re.compile(r"\{\{(.+?)\}\}")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@dataclass(frozen=True)
class Item:
    """One activity as the bulletin names it."""

    seq: int
    title: str
    leads: tuple[str, ...]
    status: str
    reason: str | None
    percent: float
    end: dt.date | None
    done_on: dt.date | None


@dataclass(frozen=True)
class TargetLine:
    seq: int
    label: str
    unit: str
    planned: int
    achieved: int


@dataclass(frozen=True)
class Table:
    """A table of the bulletin: a header row, then rows; columns from ``right_from`` on are figures."""

    rows: tuple[tuple[str, ...], ...]
    widths: tuple[Mm, ...]
    right_from: int | None = None


@dataclass(frozen=True)
class Bulletin:
    """Everything the document says, numbers already taken from the projections."""

    title: str
    issue: int
    office: str
    since: dt.date
    as_of: dt.date
    counts: dict[str, int]              # status -> activities
    reasons: dict[str, int]             # 预警 reason -> activities
    completed: tuple[Item, ...]
    attention: tuple[Item, ...]         # overdue first, then at risk
    cycle_due: dt.date | None           # the reporting cycle judged (None: none due yet)
    silent: tuple[tuple[str, tuple[int, ...]], ...]   # unit -> activities it did not report on
    targets: tuple[TargetLine, ...]
    gantt_png: bytes | None
    next_steps: str
    head_position: int
    head_hash: str

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def plain_text(text: object) -> str:
    """Text as Word can hold it: XML-illegal control characters dropped, nothing else touched."""
    return _NOT_XML.sub("", str(text))


def share(part: int, whole: int) -> str:
    """``20%``, ``33.3%``: a whole number where it is one."""
    if not whole:
        return "0%"
    value = round(part * 100 / whole, 1)
    return f"{value:.0f}%" if value == int(value) else f"{value}%"


def summary(b: Bulletin) -> str:
    """共N项，已完成a项，占x%；正常b项；预警c项（临近截止c1、进度滞后c2）；逾期d项."""
    c = b.counts
    rest = c.get("not_started", 0)
    return ui("brief_summary").format(
        as_of=date_label(b.as_of, with_year=True), total=b.total, done=c.get("done", 0),
        share=share(c.get("done", 0), b.total), on_track=c.get("on_track", 0), at_risk=c.get("at_risk", 0),
        near=b.reasons.get("near_deadline", 0), lagging=b.reasons.get("lagging", 0), overdue=c.get("overdue", 0),
        not_started=ui("brief_not_started").format(count=rest) if rest else "")


def _state(item: Item) -> str:
    label = STATUS_LABELS.get(item.status, item.status)
    return f"{label}（{REASON_LABELS[item.reason]}）" if item.reason in REASON_LABELS else label


def _leads(item: Item) -> str:
    return "、".join(item.leads) or ui("brief_unknown")


def _period(b: Bulletin) -> dict[str, str]:
    return {"since": date_label(b.since, with_year=True), "as_of": date_label(b.as_of, with_year=b.since.year != b.as_of.year)}


def sections(b: Bulletin) -> list[tuple[str, list[object]]]:
    """(heading, blocks) in order; a block is a paragraph's text, a ``Table`` or picture bytes."""
    period = _period(b)
    completed: list[object] = [ui("brief_none_completed").format(**period)]
    if b.completed:
        completed = [ui("brief_completed").format(count=len(b.completed), **period)] + [
            ui("brief_completed_item").format(seq=i.seq, title=i.title, leads=_leads(i), done_on=date_label(i.done_on))
            for i in b.completed]
    attention: list[object] = [ui("brief_none_attention")]
    if b.attention:
        attention = [ui("brief_attention").format(overdue=b.counts.get("overdue", 0), at_risk=b.counts.get("at_risk", 0))]
        attention += [ui("brief_attention_item").format(
            seq=i.seq, title=i.title, leads=_leads(i), state=_state(i), percent=f"{i.percent:.0f}",
            end=date_label(i.end, with_year=i.end is not None and i.end.year != b.as_of.year) or ui("brief_unknown"))
            for i in b.attention]
    if b.cycle_due is None:
        silent: list[object] = [ui("brief_no_cycle").format(as_of=date_label(b.as_of, with_year=True))]
    else:
        cycle = {"month": f"{b.cycle_due.month}月", "due": date_label(b.cycle_due)}
        silent = [ui("brief_none_silent").format(**cycle)]
        if b.silent:   # a table: a run of "第1、2、4项" in justified prose spreads into gaps
            silent = [ui("brief_silent").format(count=len(b.silent), **cycle), Table(
                (tuple(ui("brief_silent_header").split("|")),) + tuple(
                    (str(n), u, ui("brief_silent_seqs").format(seqs="、".join(map(str, s))))
                    for n, (u, s) in enumerate(b.silent, start=1)), SILENT_WIDTHS)]
    targets: list[object] = [ui("brief_no_targets")]
    if b.targets:
        targets = [Table((tuple(ui("brief_targets_header").split("|")),) + tuple(
            (f"第{t.seq}项", t.label, f"{t.planned}{t.unit}", f"{t.achieved}{t.unit}", share(t.achieved, t.planned))
            for t in b.targets), TARGET_WIDTHS, right_from=2)]
    out = [(ui("brief_h_summary"), [summary(b)]), (ui("brief_h_completed"), completed),
           (ui("brief_h_attention"), attention), (ui("brief_h_silent"), silent), (ui("brief_h_targets"), targets)]
    if b.gantt_png:
        out.append((ui("brief_h_gantt"), [b.gantt_png]))
    lines = [line.strip() for line in b.next_steps.splitlines() if line.strip()]
    if lines:
        out.append((ui("brief_h_next"), lines))
    return out


def anchor_text(b: Bulletin) -> str:
    return ui("brief_anchor").format(position=b.head_position, hash=b.head_hash)


def file_name(b: Bulletin) -> str:
    return ui("brief_file_name").format(issue=b.issue, date=date_label(b.as_of, with_year=True))


# -- Word -------------------------------------------------------------------------------------------

def _paragraphs(doc: DocumentType) -> Iterator[Paragraph]:
    """Every paragraph a placeholder may sit in: the body, its tables, headers and footers."""
    yield from doc.paragraphs
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs
    for section in doc.sections:
        for part in (section.header, section.footer, section.first_page_header, section.first_page_footer):
            yield from part.paragraphs


def _fill(paragraph: Paragraph, values: dict[str, str]) -> bool:
    """Replace the placeholders of one paragraph, in the formatting of its first run (Word may split
    ``{{标题}}`` over runs when the office edits it, so the paragraph's whole text is matched)."""
    text = paragraph.text
    filled = _PLACEHOLDER.sub(lambda m: values.get(m.group(1), m.group(0)), text)   # one pass: a value
    if filled == text:                                                               # is never read again
        return False
    runs = paragraph.runs
    runs[0].text = filled
    for run in runs[1:]:
        run._r.getparent().remove(run._r)
    return True


def _style(doc: DocumentType, name: str) -> object:
    """A style of the template by name; Normal where the office removed it."""
    try:
        return doc.styles[name]
    except KeyError:
        return doc.styles["Normal"]


def _table(doc: DocumentType, before: Paragraph, table_of: Table) -> None:
    rows = table_of.rows
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    try:
        table.style = doc.styles["Table Grid"]
    except KeyError:
        pass
    table.alignment = 1  # centred on the page
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            cell = table.cell(r, c).paragraphs[0]
            cell.style = _style(doc, "通报表格")
            run = cell.add_run(plain_text(value))
            run.bold = r == 0
            if table_of.right_from is not None and c >= table_of.right_from:
                cell.alignment = WD_ALIGN_PARAGRAPH.RIGHT if r else WD_ALIGN_PARAGRAPH.CENTER
    header = table.rows[0]._tr.get_or_add_trPr()       # the header row again on every page the table runs to
    header.append(OxmlElement("w:tblHeader"))
    table.autofit = False
    for column, width in zip(table.columns, table_of.widths):   # the grid (LibreOffice, WPS) and each cell (Word)
        column.width = width
        for cell in column.cells:
            cell.width = width
    before._p.addprevious(table._tbl)


def _body(doc: DocumentType, marker: Paragraph, b: Bulletin) -> None:
    numerals = ui("brief_numerals")
    for n, (heading, blocks) in enumerate(sections(b)):
        marker.insert_paragraph_before(f"{numerals[n]}、{heading}", style=_style(doc, "通报一级标题"))
        for block in blocks:
            if isinstance(block, bytes):
                picture = marker.insert_paragraph_before(style=_style(doc, "通报图片"))
                picture.add_run().add_picture(io.BytesIO(block), width=TEXT_WIDTH)
            elif isinstance(block, Table):
                _table(doc, marker, block)
            else:
                marker.insert_paragraph_before(plain_text(block), style=_style(doc, "通报正文"))
    last = marker._p.getprevious()
    if last is not None and last.tag.endswith("}p"):   # the foot that follows never stands alone on a page
        Paragraph(last, marker._parent).paragraph_format.keep_with_next = True
    marker._p.getparent().remove(marker._p)


def docx_bytes(b: Bulletin, template: Path | None = None) -> bytes:
    """The bulletin as .docx bytes, laid out by ``template`` (the shipped GB/T 9704 default)."""
    doc = Document(str(template or TEMPLATE))
    marker = next((p for p in doc.paragraphs if p.text.strip() == BODY_MARK), None)
    if marker is None:                   # a template without the mark: the sections go at its end
        marker = doc.add_paragraph(BODY_MARK)
    values = {"期号": str(b.issue), "发文单位": plain_text(b.office),
              "日期": date_label(b.as_of, with_year=True), "标题": plain_text(b.title),
              ANCHOR_MARK[2:-2]: anchor_text(b)}
    anchored = False
    for paragraph in list(_paragraphs(doc)):
        if paragraph._p is marker._p:
            continue
        holds_anchor = ANCHOR_MARK in paragraph.text
        if _fill(paragraph, values) and holds_anchor:
            anchored = True
    _body(doc, marker, b)
    if not anchored:                     # the foot must be on the paper whatever the template says
        doc.add_paragraph(anchor_text(b), style=_style(doc, "通报脚注"))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
