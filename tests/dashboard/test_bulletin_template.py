"""The template is the office's: its edits survive (a placeholder Word split over runs, a restyled body,
a line of its own), a foot is added when the office deleted its placeholder, and what is filled in is
never read as a placeholder again. Early in a plan no reporting cycle is due: the bulletin says so."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

from docx import Document
from docx.shared import Pt

from dashboard.brief import gather, sources
from dashboard.render import bulletin
from dashboard.render.bulletin_template import build
from seed.units import load_registry
from store.log import EventStore
from store.reading.projections import Projector
from store.reading.supervision import Supervision

HASH = "ab" * 32


def sample(**changes) -> bulletin.Bulletin:
    item = bulletin.Item(seq=3, title="开展领导送奖到基层活动", leads=("省总办公室",), status="overdue", reason=None,
                         percent=75, end=dt.date(2022, 5, 31), done_on=None)
    fields = {"title": "某某工作进展情况通报", "issue": 2, "office": "某某办公室", "since": dt.date(2022, 9, 1),
              "as_of": dt.date(2022, 9, 28), "counts": {"done": 1, "overdue": 1}, "reasons": {}, "completed": (),
              "attention": (item,), "cycle_due": dt.date(2022, 9, 25), "silent": (("海东市总工会", (2, 4)),),
              "targets": (), "gantt_png": None, "next_steps": "", "head_position": 7, "head_hash": HASH}
    return bulletin.Bulletin(**{**fields, **changes})


def paragraphs(data: bytes) -> list:
    return Document(io.BytesIO(data)).paragraphs


def test_an_edited_template_keeps_the_offices_edits(tmp_path: Path) -> None:
    path = build(tmp_path / "mine.docx")
    doc = Document(str(path))
    title = next(p for p in doc.paragraphs if p.text == "{{标题}}")
    title.runs[0].text = "{{标"
    title.add_run("题}}").bold = True                       # Word splits a placeholder it reformats
    doc.styles["通报正文"].font.size = Pt(14)
    foot = next(p for p in doc.paragraphs if p.text == "{{日志锚点}}")
    foot._p.getparent().remove(foot._p)                    # the office deleted the foot's placeholder
    doc.paragraphs[0].insert_paragraph_before("某某市总工会（盖章）")
    doc.save(str(path))

    shown = paragraphs(bulletin.docx_bytes(sample(), path))
    texts = [p.text for p in shown]

    assert texts[0] == "某某市总工会（盖章）"
    assert "某某工作进展情况通报" in texts and "{{标题}}" not in "".join(texts)
    body = next(p for p in shown if p.text.startswith("截至"))
    assert body.style.font.size.pt == 14
    assert texts[-1].startswith(f"本通报据督办看板事件日志生成：日志位置 7，哈希 {HASH}")


def test_what_is_filled_in_is_never_read_as_a_placeholder() -> None:
    made = sample(title="标题里写着{{日志锚点}}", office="{{正文}}{{日期}}", next_steps="{{期号}}\n第二段\x00")
    texts = [p.text for p in paragraphs(bulletin.docx_bytes(made))]

    assert "标题里写着{{日志锚点}}" in texts
    assert "{{正文}}{{日期}}\t2022年9月28日" in texts
    assert texts[texts.index("六、下一步工作要求") + 1:][:2] == ["{{期号}}", "第二段"]
    assert sum("日志位置 7" in t for t in texts) == 1


def test_the_sections_say_what_the_bulletin_holds() -> None:
    texts = [p.text for p in paragraphs(bulletin.docx_bytes(sample()))]

    assert "截至2022年9月28日，方案所列活动共2项，已完成1项，占50%；正常0项；预警0项（临近截止0项、进度滞后0项）；逾期1项。" in texts
    assert "第3项　开展领导送奖到基层活动。牵头：省总办公室；逾期，完成时限5月31日，进度75%。" in texts
    silent = next(t for t in Document(io.BytesIO(bulletin.docx_bytes(sample()))).tables if len(t.columns) == 3)
    assert [[c.text for c in row.cells] for row in silent.rows] == [["序号", "单位", "未报送的活动"],
                                                                    ["1", "海东市总工会", "第2、4项"]]
    assert "方案未设数量目标。" in texts


def test_before_any_reporting_cycle_is_due_the_bulletin_says_so(store_files) -> None:
    store = EventStore(f"sqlite:///{store_files['plan']}", read_only=True)
    try:
        projector, loop = Projector(store), Supervision(store)
        projector.catch_up()
        loop.catch_up()
        src = sources(projector, loop, "2022-27", dt.date(2022, 1, 10), load_registry().groups)
        made = gather(src, dt.date(2022, 1, 1), dt.date(2022, 1, 10), with_gantt=False)
    finally:
        store.close()
    texts = [p.text for p in paragraphs(bulletin.docx_bytes(made))]

    assert made.cycle_due is None and "截至2022年1月10日尚无到期的报送周期。" in texts
    assert made.office == "青海省总工会办公室" and made.head_position == src.position > 0
