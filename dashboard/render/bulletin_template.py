"""The default 通报 template (``templates/bulletin.docx``), laid out after GB/T 9704, and how it was made.

The office edits the .docx itself in Word or WPS (fonts, sizes, the masthead, a logo, the red rule);
this module only rebuilds the shipped default: ``python -m dashboard.render.bulletin_template [OUT]``.
The bulletin writer (``bulletin.py``) needs of a template only its named paragraph styles and the
placeholders ``{{期号}} {{发文单位}} {{日期}} {{标题}} {{正文}} {{日志锚点}}``: ``{{正文}}`` alone in a
paragraph is where the sections go; the others are replaced where they stand.

GB/T 9704-2012: A4, 版心 156 × 225 mm with 天头 37 mm and 订口 28 mm (so bottom 35 mm, right 26 mm),
22 lines of 28 characters; title 2号 (22 pt) 小标宋, body 3号 (16 pt) 仿宋, first-level headings 黑体,
page numbers 4号 宋体 as "— 1 —". Fonts are named as Windows and WPS name them (方正小标宋简体, 仿宋,
黑体, 宋体); a machine without one substitutes its nearest CJK font.
"""

from __future__ import annotations

import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

TEMPLATE = Path(__file__).with_name("templates") / "bulletin.docx"

TITLE_FONT, BODY_FONT, HEADING_FONT, NUMBER_FONT = "方正小标宋简体", "仿宋", "黑体", "宋体"
RED = RGBColor(0xE6, 0x00, 0x12)
LINE = Pt(29)          # 225 mm over 22 lines


def _fonts(style, east_asian: str, size: float, *, bold: bool = False, color: RGBColor | None = None) -> None:
    """Word keeps the Chinese face apart (w:eastAsia); set it, or Chinese falls back to the theme font."""
    style.font.name = east_asian
    style.font.size = Pt(size)
    style.font.bold = bold
    if color is not None:
        style.font.color.rgb = color
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), east_asian)


def _paragraph_style(doc, name: str, east_asian: str, size: float, *, align=None, indent: bool = False,
                     exact: bool = True, bold: bool = False, color: RGBColor | None = None, before: float = 0,
                     after: float = 0):
    style = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles["Normal"]
    _fonts(style, east_asian, size, bold=bold, color=color)
    fmt = style.paragraph_format
    if align is not None:
        fmt.alignment = align
    fmt.first_line_indent = Pt(size * 2) if indent else Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY if exact else WD_LINE_SPACING.SINGLE
    if exact:
        fmt.line_spacing = LINE if size <= 16 else Pt(size * 1.5)
    fmt.space_before, fmt.space_after = Pt(before), Pt(after)
    return style


def _chinese(doc) -> None:
    """Text is 简体中文 (w:lang zh-CN) in the document defaults and Normal: Word and WPS choose proofing,
    glyph forms and a fallback font by it, whatever language the office's machine runs in."""
    for rpr in (doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")),
                doc.styles["Normal"].element.get_or_add_rPr()):
        lang = rpr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            rpr.append(lang)
        for key in ("w:val", "w:eastAsia"):
            lang.set(qn(key), "zh-CN")


def _red_rule_below(paragraph) -> None:
    """The red line under the masthead (版头中的分隔线), a bottom border of the office/date line."""
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "16"), ("w:space", "6"), ("w:color", str(RED))):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _page_number(paragraph) -> None:
    """"— PAGE —" as a Word field, so every page numbers itself."""
    paragraph.add_run("— ")
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    paragraph.add_run(" —")


def build(out: Path = TEMPLATE) -> Path:
    doc = Document()
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(20)

    normal = doc.styles["Normal"]
    _fonts(normal, BODY_FONT, 16)
    _chinese(doc)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = LINE
    normal.paragraph_format.space_after = Pt(0)

    centre = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph_style(doc, "通报版头", TITLE_FONT, 36, align=centre, color=RED, exact=False, after=12)
    _paragraph_style(doc, "通报期号", BODY_FONT, 16, align=centre)
    office = _paragraph_style(doc, "通报发文", BODY_FONT, 16, after=6)
    office.paragraph_format.tab_stops.add_tab_stop(Mm(156), WD_TAB_ALIGNMENT.RIGHT)
    _paragraph_style(doc, "通报标题", TITLE_FONT, 22, align=centre, before=24, after=24)
    _paragraph_style(doc, "通报正文", BODY_FONT, 16, indent=True, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    heading = _paragraph_style(doc, "通报一级标题", HEADING_FONT, 16, indent=True)
    heading.paragraph_format.keep_with_next = True     # never a heading alone at the foot of a page
    _paragraph_style(doc, "通报表格", BODY_FONT, 12, exact=False)
    _paragraph_style(doc, "通报图片", BODY_FONT, 16, align=centre, exact=False)
    foot = _paragraph_style(doc, "通报脚注", BODY_FONT, 9, exact=False, before=12)
    foot.paragraph_format.keep_together = True         # the anchor is read whole, never across two pages
    _paragraph_style(doc, "通报页码", NUMBER_FONT, 14, align=centre, exact=False)

    doc.add_paragraph("督办通报", style="通报版头")
    doc.add_paragraph("第{{期号}}期", style="通报期号")
    _red_rule_below(doc.add_paragraph("{{发文单位}}\t{{日期}}", style="通报发文"))
    doc.add_paragraph("{{标题}}", style="通报标题")
    doc.add_paragraph("{{正文}}", style="通报正文")
    doc.add_paragraph("{{日志锚点}}", style="通报脚注")
    footer = section.footer.paragraphs[0]
    footer.style = doc.styles["通报页码"]
    _page_number(footer)
    doc.core_properties.title = "工作进展情况通报"
    doc.core_properties.author = "督办看板"
    out.parent.mkdir(parents=True, exist_ok=True)
    doc.save(str(out))
    return out


if __name__ == "__main__":
    print(build(Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATE))
