"""Importing plans into a real store: once, idempotently, and revisions for a changed version;
the demo course and the bootstrap `make run` relies on."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest

from seed.cli import DEFAULT_PLAN, read_and_parse
from seed.demo import run_demo
from seed.importer import import_plan
from store.log import EventStore
from store.reading.projections import Projector

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "seed", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def imported(url: str) -> tuple[EventStore, str]:
    store = EventStore(url)
    store.init()
    parsed, sha = read_and_parse(DEFAULT_PLAN, None)
    result = import_plan(store, parsed, source=DEFAULT_PLAN.name, sha256=sha)
    return store, result.plan_id


def test_first_import_appends_the_plan_its_activities_and_named_milestones(db_url):
    store, plan_id = imported(db_url)
    assert plan_id == "2022-27"
    by_type = store.stats()["by_type"]
    assert by_type == {"PlanImported": 1, "ActivityPlanned": 10, "MilestonePlanned": 3}
    assert store.verify().ok
    projector = Projector(store)
    projector.catch_up()
    activities = projector.activities(dt.date(2022, 6, 1)).set_index("seq")
    assert activities.loc[2, "start"] == dt.datetime(2022, 4, 1) and activities.loc[2, "end"] == dt.datetime(2022, 12, 31)
    assert activities.loc[1, "window_text"] == "全年"
    targets = projector.targets(dt.date(2022, 6, 1))
    assert len(targets[targets["seq"] == 1]) == 6 and targets[targets["seq"] == 5]["planned"].tolist() == [7]
    store.close()


def test_importing_the_same_document_again_appends_nothing(db_url):
    store, _ = imported(db_url)
    head = store.head()
    parsed, sha = read_and_parse(DEFAULT_PLAN, None)
    result = import_plan(store, parsed, source=DEFAULT_PLAN.name, sha256=sha)
    assert result.appended == 0 and result.unchanged == 10
    assert store.head() == head
    store.close()


def test_a_changed_version_appends_revisions_of_what_changed(sqlite_url, tmp_path):
    store, plan_id = imported(sqlite_url)
    text = DEFAULT_PLAN.read_text(encoding="utf-8")
    changed = text.replace("完成时限：4—10月", "完成时限：4—11月").replace(
        "牵头部门：省总女职工委员会办公室", "牵头部门：省总女职工委员会办公室、省总宣传部")
    assert changed != text
    version2 = tmp_path / "plan-v2.md"
    version2.write_text(changed, encoding="utf-8")
    parsed, sha = read_and_parse(version2, None)
    result = import_plan(store, parsed, source=version2.name, sha256=sha, effective=dt.date(2022, 6, 1))
    assert sorted(result.revised) == [5, 10] and result.appended == 2
    revisions = list(store.read(types=["ActivityRevised"]))
    by_stream = {e.stream: e.payload for e in revisions}
    assert by_stream[f"activity/{plan_id}/5"]["end"] == "2022-11-30"
    assert by_stream[f"activity/{plan_id}/10"]["lead_units"] == ["省总女职工委员会办公室", "省总宣传部"]
    assert "plan-v2.md" in by_stream[f"activity/{plan_id}/5"]["reason"]
    projector = Projector(store)
    projector.catch_up()
    before = projector.activities(dt.date(2022, 5, 31)).set_index("seq")
    after = projector.activities(dt.date(2022, 6, 1)).set_index("seq")
    assert before.loc[5, "end"] == dt.datetime(2022, 10, 31) and after.loc[5, "end"] == dt.datetime(2022, 11, 30)
    again = import_plan(store, parsed, source=version2.name, sha256=sha, effective=dt.date(2022, 6, 1))
    assert again.appended == 0
    store.close()


def test_demo_course_is_reproducible_and_shows_the_promised_states(sqlite_url):
    store, plan_id = imported(sqlite_url)
    added = run_demo(store, plan_id=plan_id)
    assert added > 200
    assert run_demo(store, plan_id=plan_id) == 0
    events = list(store.read(after=14))
    assert all(e.payload.get("demo") is True for e in events)
    assert any(e.type == "EventRetracted" for e in events)
    assert {e.unit for e in events if e.type == "ParticipationRecorded"} >= {
        "西宁市总工会", "海东市总工会", "海北州总工会", "黄南州总工会", "海南州总工会", "果洛州总工会", "玉树州总工会", "海西州总工会"}
    projector = Projector(store)
    projector.catch_up()
    status = projector.activities(dt.date(2022, 9, 30)).set_index("seq")["status"]
    assert sorted(status[status == "done"].index) == [7, 8]
    assert list(status[status == "overdue"].index) == [3]
    assert (status == "at_risk").sum() >= 1
    store.close()


def test_cli_import_then_reimport_and_bad_files(tmp_path):
    url = f"sqlite:///{tmp_path / 'e.db'}"
    first = run("--db", url, "import", str(DEFAULT_PLAN))
    assert first.returncode == 0, first.stderr
    assert "新增事件 14 条" in first.stdout and "省总宣传教育" in first.stderr
    second = run("import", str(DEFAULT_PLAN), "--db", url)
    assert second.returncode == 0 and "新增事件 0 条" in second.stdout
    missing = run("--db", url, "import", str(tmp_path / "nope.md"))
    assert missing.returncode == 2 and "找不到文件" in missing.stderr and "Traceback" not in missing.stderr
    garbled = tmp_path / "garbled.md"
    garbled.write_bytes(bytes(range(256)) * 20)
    bad = run("--db", url, "import", str(garbled))
    assert bad.returncode == 2 and bad.stderr.startswith("error:") and "Traceback" not in bad.stderr
    stats = subprocess.run([sys.executable, "-m", "store", "--db", url, "stats", "--json"], cwd=ROOT,
                           capture_output=True, text=True, timeout=60)
    assert json.loads(stats.stdout)["head_position"] == 14


def test_bootstrap_seeds_an_empty_store_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'boot.db'}"
    first = run("--db", url, "bootstrap")
    assert first.returncode == 0, first.stderr
    second = run("--db", url, "bootstrap")
    assert second.returncode == 0 and "条事件" in second.stdout
    store = EventStore(url)
    assert store.stats()["by_type"]["ActivityCompleted"] == 2
    empty = run("--db", f"sqlite:///{tmp_path / 'empty.db'}", "bootstrap", "--empty")
    assert empty.returncode == 0
    store.close()


@pytest.mark.parametrize("args", [["demo"], ["demo", "--plan-id", "nope"]])
def test_demo_without_its_plan_is_a_clear_error(tmp_path, args):
    result = run("--db", f"sqlite:///{tmp_path / 'x.db'}", *args)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("error: 事件库中没有方案 ") and result.stderr.count("\n") == 1, result.stderr


def _bootstrapped(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'board.db'}"
    assert run("--db", url, "bootstrap").returncode == 0
    return url


def test_reimporting_the_last_imported_notice_after_the_demo_appends_nothing(tmp_path):
    """The demo revised the windows of activities 6 and 10 in the app; the unchanged notice must not put them back."""
    url = _bootstrapped(tmp_path)
    store = EventStore(url)
    head = store.head()
    store.close()
    again = run("--db", url, "import", str(DEFAULT_PLAN))
    assert again.returncode == 0, again.stderr
    assert "新增事件 0 条" in again.stdout and "在看板中" not in again.stderr
    store = EventStore(url)
    assert store.head() == head
    projector = Projector(store)
    projector.catch_up()
    plan = projector.plan_of_activities(dt.date(2022, 12, 31))
    assert plan["activity/2022-27/6"]["end"] in ("2022-10-31", dt.date(2022, 10, 31))
    store.close()


def test_a_changed_notice_revises_only_what_it_changed_and_warns_where_the_app_revised_it_too(tmp_path):
    url = _bootstrapped(tmp_path)
    text = DEFAULT_PLAN.read_text(encoding="utf-8")
    one_window = tmp_path / "plan-v2.md"   # activity 5's window, which the app never touched
    one_window.write_text(text.replace("完成时限：4—10月", "完成时限：4—11月"), encoding="utf-8")
    first = run("--db", url, "import", str(one_window), "--effective", "2022-08-01")
    assert first.returncode == 0, first.stderr
    assert "新增事件 1 条" in first.stdout and "修订活动 5" in first.stdout and "在看板中" not in first.stderr
    assert "新增事件 0 条" in run("--db", url, "import", str(one_window)).stdout   # v2 again: nothing

    store = EventStore(url)
    revisions = [e for e in store.read(types=["ActivityRevised"]) if e.payload.get("source_sha256")]
    assert [(e.stream, e.payload.get("end")) for e in revisions] == [("activity/2022-27/5", "2022-11-30")]
    store.close()

    app_edit = tmp_path / "plan-v3.md"   # also moves activity 6's end, which the demo revised in the app
    v3 = one_window.read_text(encoding="utf-8")
    assert v3.count("完成时限：3—7月") == 1
    app_edit.write_text(v3.replace("完成时限：3—7月", "完成时限：3—12月"), encoding="utf-8")
    second = run("--db", url, "import", str(app_edit), "--effective", "2022-08-02")
    assert second.returncode == 0, second.stderr
    assert "新增事件 1 条" in second.stdout and "修订活动 6" in second.stdout
    warnings = [line for line in second.stderr.splitlines() if line.startswith("警告：")]
    assert any("活动6" in w and "截止日期" in w and "2022-10-31" in w and "2022-12-31" in w for w in warnings), second.stderr
    assert not any("活动5的" in w for w in warnings)   # activity 5 was revised by documents only
