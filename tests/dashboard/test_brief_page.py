"""通报 under AppTest on the demo store at 2022-09-28: the office picks the period and the issue,
writes 下一步工作要求 and gets the Word file (a Chinese name with the date) that the command writes;
a reader who is not the office cannot make one."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from docx import Document

from dashboard.access.accounts import add_user
from store.log import EventStore
from tests.dashboard.apptest import FAST, open_app, shown

AS_OF = "2022-09-28"


def account(tmp_path: Path, name: str, role: str):
    units = ("省总宣传部",) if role == "editor" else ()
    return add_user(name, "password-123", role, units, path=tmp_path / "accounts.json", hasher=FAST)


def open_page(monkeypatch, url: str, who=None):
    return open_app(monkeypatch, url, "content/brief.py", who, {"as_of": AS_OF})


def test_the_office_downloads_the_bulletin_it_asked_for(monkeypatch, store_files, tmp_path):
    url = f"sqlite:///{store_files['demo']}"
    at = open_page(monkeypatch, url, account(tmp_path, "office", "admin"))
    assert at.date_input(key="brief_as_of").value == dt.date(2022, 9, 28)
    assert at.text_input(key="brief_office").value == "青海省总工会办公室"
    assert not at.get("download_button"), "nothing is offered before it is made"

    at.date_input(key="brief_since").set_value(dt.date(2022, 9, 14))
    at.number_input(key="brief_issue").set_value(3)
    at.text_area(key="brief_next").set_value("一要压实责任。\n二要<b>按时</b>报送 {{标题}}")
    at.button(key="brief_make").click().run()
    assert not at.exception, [e.message for e in at.exception]

    name = "工作进展情况通报（第3期）2022年9月28日.docx"
    assert [shown(s.value) for s in at.success] == [f"已生成：{name}"]
    assert [b.label for b in at.get("download_button")] == ["下载通报（Word）"]
    _, file_name, docx, *_ = at.session_state["brief_result"]
    assert file_name == name
    doc = Document(io.BytesIO(docx))
    paragraphs = [p.text for p in doc.paragraphs]
    assert "第3期" in paragraphs and "喜迎党的二十大、省第十四次党代会暨庆祝“五一”系列活动工作进展情况通报" in paragraphs
    assert any(p.startswith("2022年9月14日至9月28日") for p in paragraphs)
    assert paragraphs[paragraphs.index("七、下一步工作要求") + 1:][:2] == ["一要压实责任。", "二要<b>按时</b>报送 {{标题}}"]
    store = EventStore(url, read_only=True)
    position, head_hash = store.head()
    store.close()
    assert f"日志位置 {position}，哈希 {head_hash}" in paragraphs[-1]
    summary = next(p for p in paragraphs if p.startswith("截至2022年9月28日"))
    assert summary in [shown(m.value) for m in at.markdown], "the page shows the numbers the paper says"
    assert any(head_hash in c.value for c in at.caption)

    # changing a choice withdraws the file made from the old ones until it is made again
    at.number_input(key="brief_issue").set_value(4).run()
    assert not at.get("download_button") and not at.success


def test_a_period_that_ends_before_it_starts_is_refused(monkeypatch, store_files, tmp_path):
    at = open_page(monkeypatch, f"sqlite:///{store_files['demo']}", account(tmp_path, "office", "admin"))
    at.date_input(key="brief_since").set_value(dt.date(2022, 9, 29)).run()

    assert [e.value for e in at.error] == ["起始日期晚于截至日期。"]
    assert not any(b.label == "生成通报" for b in at.button)


@pytest.mark.parametrize("role", [None, "viewer", "editor"])
def test_only_the_office_makes_a_bulletin(monkeypatch, store_files, tmp_path, role):
    who = account(tmp_path, "reader", role) if role else None
    at = open_page(monkeypatch, f"sqlite:///{store_files['demo']}", who)

    assert not any(b.label == "生成通报" for b in at.button)
    assert "只有管理员（省总办公室）可以生成通报。" in [i.value for i in at.info]

