"""`python -m dashboard.brief` on the demo store (the issue's "Done when"): the bulletin opened with
python-docx says what `store status`, `store reports` and `store stats` say for 2022-09-28, its foot
anchors the chain (`store verify --anchor` passes, and fails on a copy rewritten with every hash
recomputed), text from users goes in as written, and bad input is one `error:` line, exit 2."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Mm

from store.log import EventStore
from store.reading.projections import Projector
from tests.store.helpers import REPO, child_env, cli, rewrite_consistently

AS_OF, SINCE = "2022-09-28", "2022-09-14"
NEXT = "各牵头部门要对照方案抓紧推进。\n**各单位**按时报送 <b>进展</b> {{标题}} [链接](http://example.invalid)\x07"


def brief(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "dashboard.brief", *args], cwd=REPO, env=child_env(),
                          capture_output=True, text=True, timeout=180, check=False)


def store_json(url: str, *args: str) -> object:
    done = cli("--db", url, *args, "--json")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def made(store_files, tmp_path_factory) -> tuple[str, Path]:
    """One bulletin of the demo store for 2022-09-14..2022-09-28, 第3期."""
    url = f"sqlite:///{store_files['demo']}"
    out = tmp_path_factory.mktemp("brief") / "b.docx"
    done = brief("--db", url, "--since", SINCE, "--as-of", AS_OF, "--issue", "3", "--next", NEXT, "--out", str(out))
    assert done.returncode == 0, done.stderr
    return url, out


def texts(path: Path) -> list[str]:
    doc = Document(str(path))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return [p.text for p in doc.paragraphs] + cells


def test_the_counts_equal_store_status(made) -> None:
    url, path = made
    rows = store_json(url, "status", "--as-of", AS_OF)
    count = lambda status: sum(r["status"] == status for r in rows)
    reason = lambda why: sum(r["reason"] == why for r in rows)
    done = count("done")
    share = f"{round(done * 100 / len(rows), 1):g}%"
    expected = (f"共{len(rows)}项，已完成{done}项，占{share}；正常{count('on_track')}项；预警{count('at_risk')}项"
                f"（临近截止{reason('near_deadline')}项、进度滞后{reason('lagging')}项）；逾期{count('overdue')}项")

    summary = next(t for t in texts(path) if t.startswith("截至2022年9月28日"))

    assert expected in summary, summary
    assert count("overdue") and count("at_risk"), "the demo has overdue and at-risk activities on 2022-09-28"


def test_overdue_and_at_risk_activities_name_their_leads_and_percent(made) -> None:
    url, path = made
    rows = {r["seq"]: r for r in store_json(url, "status", "--as-of", AS_OF)}
    store = EventStore(url, read_only=True)
    try:
        projector = Projector(store)
        projector.catch_up()
        leads = {int(a.seq): list(a.lead_units) for a in projector.activities(dt.date(2022, 9, 28)).itertuples()}
    finally:
        store.close()
    lines = [t for t in texts(path) if re.match(r"第\d+项　", t) and "牵头：" in t]
    named = {int(re.match(r"第(\d+)项", t).group(1)): t for t in lines}

    assert set(named) == {s for s, r in rows.items() if r["status"] in ("overdue", "at_risk")}
    for seq, line in named.items():
        assert f"牵头：{'、'.join(leads[seq])}" in line
        assert f"进度{rows[seq]['percent']:.0f}%" in line
        assert ("逾期" if rows[seq]["status"] == "overdue" else "预警（进度滞后）" if rows[seq]["reason"] == "lagging"
                else "预警（临近截止）") in line


def test_units_that_did_not_report_are_named(made) -> None:
    url, path = made
    owed = store_json(url, "reports", "--as-of", AS_OF)
    silent = sorted({r["unit"] for r in owed if r["state"] == "missing"})
    missing = {u: sorted(r["seq"] for r in owed if r["unit"] == u and r["state"] == "missing") for u in silent}
    table = next(t for t in Document(str(path)).tables if t.rows[0].cells[1].text == "单位")
    listed = {row.cells[1].text: row.cells[2].text for row in table.rows[1:]}

    assert f"9月报送（截止9月25日）有未报送事项的单位共{len(silent)}个：" in texts(path)
    assert sorted(listed) == silent
    assert all(listed[u] == f"第{'、'.join(map(str, missing[u]))}项" for u in silent)


def test_targets_achieved_against_planned(made) -> None:
    url, path = made
    planned = [(f"第{r['seq']}项", t["label"], f"{t['planned']}{t['unit']}", f"{t['achieved']}{t['unit']}")
               for r in store_json(url, "status", "--as-of", AS_OF) for t in r["targets"]]
    table = next(t for t in Document(str(path)).tables if t.rows[0].cells[0].text == "活动")

    assert [tuple(c.text for c in row.cells[:4]) for row in table.rows[1:]] == planned


def test_the_foot_carries_the_head_and_anchors_the_chain(made, tmp_path, monkeypatch) -> None:
    url, path = made
    stats = store_json(url, "stats")
    foot = texts(path)
    found = [re.search(r"日志位置 (\d+)，哈希 ([0-9a-f]{64})", t) for t in foot]
    position, digest = next((int(m.group(1)), m.group(2)) for m in found if m)

    assert (position, digest) == (stats["head_position"], stats["head_hash"])
    last = Document(str(path)).paragraphs[-1]
    assert "日志位置" in last.text and last.style.font.size.pt < 12, "the foot, in small type"
    ok = cli("--db", url, "verify", "--anchor", f"{position}:{digest}")
    assert ok.returncode == 0 and ok.stdout.startswith(f"ok {position} events"), ok.stdout + ok.stderr

    copy = tmp_path / "rewritten.db"
    copy.write_bytes(Path(url.removeprefix("sqlite:///")).read_bytes())
    reader = EventStore(f"sqlite:///{copy}")
    progress = next(e.position for e in reader.read(types=["ProgressReported"]))
    reader.close()
    rewrite_consistently(f"sqlite:///{copy}", progress, 99)
    monkeypatch.setenv("DUBAN_STATE_DIR", str(tmp_path / "an-installation-that-never-saw-it"))
    assert cli("--db", f"sqlite:///{copy}", "verify").returncode == 0, "the rewritten chain verifies by itself"

    refused = cli("--db", f"sqlite:///{copy}", "verify", "--anchor", f"{position}:{digest}")

    assert refused.returncode == 1
    assert refused.stdout.startswith(f"broken at position {position}: ") and "rewritten" in refused.stdout


def test_text_from_users_goes_in_as_written(made) -> None:
    _, path = made
    paragraphs = texts(path)
    heading = next(i for i, t in enumerate(paragraphs) if t.endswith("下一步工作要求"))

    assert paragraphs[heading + 1:heading + 3] == [
        "各牵头部门要对照方案抓紧推进。", "**各单位**按时报送 <b>进展</b> {{标题}} [链接](http://example.invalid)"]
    assert not any("{{" in t for t in paragraphs[:heading]), "every placeholder of the template is filled"


def test_layout_after_gb_t_9704(made) -> None:
    _, path = made
    doc = Document(str(path))
    section = doc.sections[0]
    paragraphs = doc.paragraphs
    title = next(p for p in paragraphs if p.text.endswith("工作进展情况通报"))
    body = next(p for p in paragraphs if p.text.startswith("截至"))
    east_asian = lambda style: style.element.rPr.rFonts.get(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")

    assert [round(v.mm) for v in (section.page_width, section.page_height)] == [210, 297]
    assert [round(v.mm) for v in (section.top_margin, section.bottom_margin, section.left_margin,
                                  section.right_margin)] == [37, 35, 28, 26]
    assert title.text == "喜迎党的二十大、省第十四次党代会暨庆祝“五一”系列活动工作进展情况通报"
    assert title.style.font.size.pt == 22 and "小标宋" in east_asian(title.style)
    assert body.style.font.size.pt == 16 and "仿宋" in east_asian(body.style)
    lang = doc.styles["Normal"].element.rPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}lang")
    assert lang.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == "zh-CN"
    assert "第3期" in [p.text for p in paragraphs]
    assert "青海省总工会办公室\t2022年9月28日" in [p.text for p in paragraphs]
    pictures = doc.inline_shapes
    assert len(pictures) == 1 and abs(pictures[0].width - Mm(156)) < Mm(1)
    blob = doc.part.related_parts[pictures[0]._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
    assert blob.startswith(b"\x89PNG")


@pytest.mark.slow
def test_it_renders_to_pdf_and_png_with_libreoffice(made, tmp_path) -> None:
    """The page as printed: LibreOffice headless opens the file, the PDF's text holds the title."""
    import shutil

    office, pdftoppm, pdftotext = (shutil.which(n) for n in ("libreoffice", "pdftoppm", "pdftotext"))
    if not (office and pdftoppm and pdftotext):
        pytest.skip("LibreOffice or poppler-utils not installed (.ci/run installs them)")
    _, path = made
    source = tmp_path / "b.docx"
    source.write_bytes(path.read_bytes())
    subprocess.run([office, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=180)
    pdf = tmp_path / "b.pdf"
    subprocess.run([pdftoppm, "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
                   check=True, timeout=60)
    text = subprocess.run([pdftotext, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    flat = re.sub(r"\s+", "", text)

    assert "喜迎党的二十大、省第十四次党代会暨庆祝“五一”系列活动工作进展情况通报" in flat
    assert "第3期" in flat and "青海省总工会办公室" in flat
    page = next(tmp_path.glob("page*.png"))
    assert page.read_bytes().startswith(b"\x89PNG") and page.stat().st_size > 10_000
    # the foot is read whole on one page, beside the body's last words, never alone on a page
    pages = [re.sub(r"\s+", "", p) for p in text.split("\f") if p.strip()]
    last = next(p for p in pages if "日志位置" in p)
    stats_hash = re.search(r"哈希([0-9a-f]{64})", last)
    assert stats_hash and "[链接](http://example.invalid)" in last


def test_the_foot_travels_with_the_last_words_and_long_tables_repeat_their_header(made) -> None:
    _, path = made
    doc = Document(str(path))
    foot = doc.paragraphs[-1]

    assert doc.paragraphs[-2].paragraph_format.keep_with_next and foot.style.paragraph_format.keep_together
    assert all(t.rows[0]._tr.trPr is not None and t.rows[0]._tr.trPr.find(
        "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader") is not None for t in doc.tables)


@pytest.mark.parametrize("args, says", [
    (["--since", "2022-09-29", "--as-of", AS_OF], "--since 2022-09-29 晚于 --as-of"),
    (["--since", SINCE, "--as-of", "2022-13-01"], "参数 --as-of：不是 YYYY-MM-DD 格式的日期"),
    (["--since", SINCE, "--as-of", AS_OF, "--issue", "0"], "--issue"),
    (["--since", SINCE, "--as-of", AS_OF, "--plan", "nope"], "没有方案 'nope'"),
    (["--since", SINCE, "--as-of", AS_OF, "--out", "b.pdf"], ".docx"),
    (["--since", SINCE, "--as-of", AS_OF, "--out", "/no/such/folder/b.docx"], "找不到文件夹：/no/such/folder"),
    (["--as-of", AS_OF], "--since"),
])
def test_bad_input_is_one_error_line(store_files, tmp_path, args, says) -> None:
    out = ["--out", str(tmp_path / "b.docx")] if "--out" not in args else []
    done = brief("--db", f"sqlite:///{store_files['demo']}", *args, *out)

    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1 and says in done.stderr, done.stderr
    assert not (tmp_path / "b.docx").exists()


def test_a_store_without_events_is_refused(tmp_path) -> None:
    for says in ("找不到数据库文件：", "没有事件表（请先运行 python -m store init）"):
        done = brief("--db", f"sqlite:///{tmp_path / 'none.db'}", "--since", SINCE, "--as-of", AS_OF,
                     "--out", str(tmp_path / "b.docx"))

        assert done.returncode == 2 and done.stderr.startswith("error: ") and done.stderr.count("\n") == 1
        assert says in done.stderr, done.stderr
        (tmp_path / "none.db").touch()   # then a database file without the events table
