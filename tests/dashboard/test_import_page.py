"""导入 under AppTest: uploads through the file uploader, into real SQLite stores."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.access.accounts import add_user, load_accounts
from dashboard.board import views
from dashboard.entry.import_review import review_frame
from seed.cli import DEFAULT_PLAN
from store.log import EventStore, NewEvent
from tests.dashboard.apptest import FAST, head, open_app

PAGE = "content/import_plan.py"
PLAN_BYTES = DEFAULT_PLAN.read_bytes()


@pytest.fixture
def accounts(tmp_path, monkeypatch):
    path = tmp_path / "accounts.json"
    monkeypatch.setenv("DUBAN_ACCOUNTS", str(path))
    for name, role, units in (("haidong", "editor", ["海东市总工会"]), ("boss", "admin", []),
                              ("reader", "viewer", [])):
        add_user(name, "correct horse battery", role, units, path=path, hasher=FAST)
    return load_accounts(path)


@pytest.fixture
def empty_copy(store_files, tmp_path):
    target = tmp_path / "empty.db"
    shutil.copy(store_files["empty"], target)
    return f"sqlite:///{target}"


def open_import(monkeypatch, url: str, account=None) -> AppTest:
    return open_app(monkeypatch, url, PAGE, account)


def upload(at: AppTest, name: str, content: bytes, mime: str = "text/markdown") -> AppTest:
    at.file_uploader(key="import_file").set_value((name, content, mime))
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def click_import(at: AppTest) -> AppTest:
    at.button(key="import_submit").click().run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def preview_table(at: AppTest):
    return next(f.value for f in at.dataframe if "完成时限" in f.value.columns)


@pytest.mark.parametrize("who", ["haidong", "reader", None])
def test_only_admins_may_import(monkeypatch, store_files, accounts, who):
    at = open_import(monkeypatch, f"sqlite:///{store_files['empty']}", accounts[who] if who else None)
    assert not at.file_uploader
    message = at.warning[0].value
    assert ("只有管理员" in message) if who else ("管理员" in message and "登录" in message)


def test_admin_previews_imports_and_reimports(monkeypatch, empty_copy, accounts):
    at = open_import(monkeypatch, empty_copy, accounts["boss"])
    assert "请先上传方案文件" in at.info[0].value
    upload(at, DEFAULT_PLAN.name, PLAN_BYTES)
    table = preview_table(at)
    assert len(table) == 10 and list(table["序号"]) == list(range(1, 11))
    assert {"牵头部门", "配合单位", "开始", "截止", "数量目标"} <= set(table.columns)
    details = "\n".join(m.value for m in at.markdown)
    assert "青海省总工会" in details and "2022" in details and "识别出活动 10 项" in details
    assert any("省总宣传教育" in w.value for w in at.warning)
    assert head(empty_copy) == 0  # the preview writes nothing

    click_import(at)
    assert "已导入新方案 2022-27：活动 10 项" in at.success[0].value
    appended = head(empty_copy)
    assert appended > 10
    assert "2022-27" in at.sidebar.selectbox(key="plan").options or any(
        "五一" in option for option in at.sidebar.selectbox(key="plan").options)
    store = EventStore(empty_copy)
    imported = next(store.read(types=["PlanImported"]))
    store.close()
    assert imported.actor == "boss" and imported.payload["source"] == DEFAULT_PLAN.name

    click_import(at)
    assert "相同，没有新增记录" in at.success[0].value
    assert head(empty_copy) == appended


def test_changed_version_records_revisions(monkeypatch, empty_copy, accounts):
    at = open_import(monkeypatch, empty_copy, accounts["boss"])
    click_import(upload(at, DEFAULT_PLAN.name, PLAN_BYTES))
    before = head(empty_copy)
    changed = PLAN_BYTES.decode("utf-8").replace("完成时限：5—7月", "完成时限：5—8月", 1).encode("utf-8")
    assert changed != PLAN_BYTES
    click_import(upload(at, "qinghai-2022-v2.md", changed))
    assert "已导入修订版本 2022-27：修订活动" in at.success[0].value
    assert head(empty_copy) > before


def test_a_revised_notice_with_another_reporting_cycle_says_the_new_cycle(monkeypatch, empty_copy, accounts):
    """The office re-imports a notice whose 报送 rule became weekly: the page says the board follows it."""
    notice = (Path(__file__).resolve().parent.parent / "seed" / "docs" / "offices" / "city-2024-practical-matters.txt")
    text = notice.read_text(encoding="utf-8")
    at = open_import(monkeypatch, empty_copy, accounts["boss"])
    click_import(upload(at, "民生实事.txt", text.encode("utf-8")))
    click_import(upload(at, "民生实事（修订）.txt", text.replace("每月25日前", "每周五前").encode("utf-8")))
    assert at.success[0].value.endswith("报送周期按新版本改为每周五。"), at.success[0].value


@pytest.mark.parametrize("name, content", [
    ("empty.md", b""),
    ("garbled.txt", bytes(range(256)) * 40),
    ("broken.docx", b"PK\x03\x04 not really a word file"),
    ("notes.md", "随便写几句话，没有活动。".encode()),
])
def test_unreadable_files_write_nothing(monkeypatch, empty_copy, accounts, name, content):
    at = open_import(monkeypatch, empty_copy, accounts["boss"])
    upload(at, name, content)
    assert at.error and at.error[0].value.startswith("无法解析该文件，未导入任何内容")
    assert not [b for b in at.button if b.key == "import_submit"]
    assert head(empty_copy) == 0


def test_unit_names_from_the_document_are_shown_as_text(monkeypatch, empty_copy, accounts):
    text = PLAN_BYTES.decode("utf-8").replace("牵头部门：", "牵头部门：<b>**粗体**</b>、", 1)
    at = open_import(monkeypatch, empty_copy, accounts["boss"])
    upload(at, "plan.md", text.encode("utf-8"))
    for element in [*at.markdown, *at.warning, *at.caption]:
        assert "<b>" not in element.value and "**粗体**" not in element.value


def test_plan_preview_helper():
    parsed = {"activities": [{"seq": 1, "title": "甲", "window_text": "5月", "start": "2022-05-01",
                              "end": "2022-05-31", "lead_units": ["A"], "partner_units": [],
                              "targets": [{"label": "奖状", "quantity": 10, "unit": "个"}]}]}
    frame = review_frame(parsed)
    assert frame.loc[0, "数量目标"] == "奖状 10个" and frame.loc[0, "开始"].day == 1
    assert views.import_outcome(type("R", (), {"appended": 0})(), True) == "same"
    assert views.import_outcome(type("R", (), {"appended": 3})(), False) == "new"


OFFICE_DOC = Path(__file__).parents[1] / "seed" / "docs" / "offices" / "city-2024-practical-matters.txt"


def test_review_table_edits_are_imported_and_recorded(monkeypatch, empty_copy, accounts):
    """The clerk corrects a window and a unit in the table; the import carries the correction and
    the PlanImported event names the changed fields and the reviewer."""
    at = open_import(monkeypatch, empty_copy, accounts["boss"])
    upload(at, OFFICE_DOC.name, OFFICE_DOC.read_bytes())
    editor = at.data_editor(key="import_review")
    table = editor.value
    assert list(table["序号"]) == [1, 2, 3, 4, 5, 6]
    assert "「市教育局」未登记" in table.loc[0, "请核对"]  # unknown units are pointed out
    at.session_state["import_review"] = {
        "edited_rows": {1: {"截止": "2024-12-15", "牵头部门": "市教育局"}}, "added_rows": [], "deleted_rows": []}
    click_import(at.run())
    assert "已导入新方案" in at.success[0].value
    store = EventStore(empty_copy)
    imported = next(store.read(types=["PlanImported"]))
    planned = [e for e in store.read(types=["ActivityPlanned"]) if e.payload["seq"] == 2][0]
    store.close()
    assert imported.payload["reviewed_by"] == "boss"
    assert imported.payload["edited"] == ["2.end", "2.lead_units"]
    assert planned.payload["end"] == "2024-12-15" and planned.payload["lead_units"] == ["市教育局"]


def test_review_table_refuses_a_bad_target_and_writes_nothing(monkeypatch, empty_copy, accounts):
    at = open_import(monkeypatch, empty_copy, accounts["boss"])
    upload(at, OFFICE_DOC.name, OFFICE_DOC.read_bytes())
    at.session_state["import_review"] = {
        "edited_rows": {0: {"数量目标": "很多"}}, "added_rows": [], "deleted_rows": []}
    click_import(at.run())
    assert at.error and "很多" in at.error[0].value
    assert head(empty_copy) == 0


def test_zip_bomb_docx_is_refused_on_the_page(monkeypatch, empty_copy, accounts):
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        package.writestr("[Content_Types].xml", "<Types/>")
        with package.open("word/document.xml", "w", force_zip64=True) as part:
            for _ in range(100):
                part.write(b" " * (1 << 20))  # 100 MB unpacked, 100 KB packed
    at = open_import(monkeypatch, empty_copy, accounts["boss"])
    upload(at, "方案.docx", buffer.getvalue(),
           "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    assert at.error and "压缩炸弹" in at.error[0].value
    assert head(empty_copy) == 0


def test_a_reimport_that_overrides_an_app_revision_shows_both_values_before_confirming(monkeypatch, empty_copy,
                                                                                      accounts):
    """Activity 6 was extended to 2022-10-31 in the app; the new document moves its end to 2022-12-31."""
    at = open_import(monkeypatch, empty_copy, accounts["boss"])
    click_import(upload(at, DEFAULT_PLAN.name, PLAN_BYTES))
    store = EventStore(empty_copy)
    store.append(NewEvent("ActivityRevised", "activity/2022-27/6",
                          {"end": "2022-10-31", "window_text": "延至10月底", "reason": "天气原因延期"},
                          occurred_on=dt.date(2022, 7, 20), actor="boss"))
    store.close()
    text = PLAN_BYTES.decode("utf-8")
    assert text.count("完成时限：3—7月") == 1
    changed = text.replace("完成时限：3—7月", "完成时限：3—12月").encode("utf-8")
    before = head(empty_copy)

    at = open_import(monkeypatch, empty_copy, accounts["boss"])
    upload(at, "qinghai-2022-v2.md", changed)
    assert head(empty_copy) == before   # shown, not yet imported
    assert any("在看板中调整过" in w.value for w in at.warning)
    table = next(f.value for f in at.dataframe if "文档新值" in f.value.columns).set_index("序号")
    end = table[table["字段"] == "截止日期"].loc[6]
    assert end["文档新值"] == "2022-12-31" and end["看板当前值"] == "2022-10-31"

    unchanged = open_import(monkeypatch, empty_copy, accounts["boss"])
    upload(unchanged, DEFAULT_PLAN.name, PLAN_BYTES)   # the same document again overrides nothing
    assert not any("文档新值" in f.value.columns for f in unchanged.dataframe)


def test_an_unknown_unit_is_registered_from_the_page(monkeypatch, empty_copy, accounts):
    """The clerk registers 市教育局 as a new unit and 市卫健委 as another spelling of a registered
    unit: two UnitRegistered events, and the review no longer calls them unregistered."""
    at = open_import(monkeypatch, empty_copy, accounts["boss"])
    upload(at, OFFICE_DOC.name, OFFICE_DOC.read_bytes())
    assert "「市教育局」未登记" in at.data_editor(key="import_review").value.loc[0, "请核对"]
    at.selectbox(key="register_name").set_value("市教育局")
    at.selectbox(key="register_kind").set_value("department")
    at.button(key="register_submit").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert "已登记新单位「市教育局」" in at.success[0].value
    notes = at.data_editor(key="import_review").value["请核对"]
    assert "市教育局" not in notes[0] and "「市财政局」未登记" in notes[1]

    at.selectbox(key="register_name").set_value("市卫健委")
    at.radio(key="register_how").set_value("alias").run()
    at.selectbox(key="register_alias_of_市卫健委").set_value("西宁市总工会")
    at.button(key="register_submit").click().run()
    assert "已把「市卫健委」登记为「西宁市总工会」的别名" in at.success[0].value
    table = at.data_editor(key="import_review").value
    assert table.loc[2, "牵头部门"] == "西宁市总工会"  # the next parse names the unit as registered
    store = EventStore(empty_copy)
    registered = [e.payload for e in store.read(types=["UnitRegistered"])]
    store.close()
    assert registered == [{"demo": False, "name": "市教育局", "alias_of": None, "kind": "department"},
                          {"demo": False, "name": "市卫健委", "alias_of": "西宁市总工会", "kind": "city"}]
