"""A database that cannot be opened is one line naming the file or setting: exit 2 on the command line
(``store`` and ``seed bootstrap``), one Chinese line on the page — never a traceback. Whatever the store
refuses on the command line (a bad import file, a stream rule, a domain rule) is one Chinese line too."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from store.log import EventStore
from tests.dashboard.apptest import shown
from tests.factories import fact
from tests.store.helpers import REPO, child_env, cli


def _junk(tmp_path: Path) -> Path:
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not a database, only some bytes that a copy went wrong with\n" * 100)
    return path


def _truncated(tmp_path: Path) -> Path:
    """A real store cut short, as a copy that stopped half-way leaves it."""
    path = tmp_path / "cut.db"
    store = EventStore(f"sqlite:///{path}")
    store.init()
    from tests.factories import small_plan

    small_plan(store)
    store.append_many([fact(1, "ProgressReported", {"percent": i % 100, "note": "进展" * 200}, "2022-04-01")
                       for i in range(300)])
    store.close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=DELETE")   # everything into the main file, which is then cut
    conn.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    for side in ("-wal", "-shm"):
        Path(f"{path}{side}").unlink(missing_ok=True)
    return path


# case: (the --db URL, or a builder of a bad file; environment; words the line names)
CASES = {
    "garbage URL": ("garbage", {}, "garbage"),
    "mysql URL": ("mysql://x/y", {}, "mysql://x/y"),
    "synchronous OFF": (None, {"DUBAN_SQLITE_SYNCHRONOUS": "OFF"}, "DUBAN_SQLITE_SYNCHRONOUS"),
    "folder that cannot be created": ("sqlite:////proc/duban-nope/events.db", {}, "/proc/duban-nope"),
    "junk file": (_junk, {}, "junk.db"),
    "truncated file": (_truncated, {}, "cut.db"),
}


def _url(case: str, tmp_path: Path) -> tuple[str, dict[str, str], str]:
    url, env, words = CASES[case]
    if callable(url):
        url = f"sqlite:///{url(tmp_path)}"
    return url or f"sqlite:///{tmp_path / 'events.db'}", env, words


CJK = re.compile(r"[\u4e00-\u9fff]")


def _one_error_line(done: subprocess.CompletedProcess[str], prefix: str, words: str) -> None:
    """Exit 2, one ``error:`` line on stderr in Chinese naming ``words``, no traceback."""
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith(prefix) and done.stderr.count("\n") == 1, done.stderr
    assert words in done.stderr, done.stderr
    assert CJK.search(done.stderr), done.stderr


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
@pytest.mark.parametrize("command", [["stats"], ["verify"], ["init"],
                                     ["append", "--type", "RiskFlagged", "--stream", "board/x",
                                      "--payload", '{"note": "x"}']], ids=lambda c: c[0])
def test_store_commands_refuse_in_one_line(case: str, command: list[str], tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    url, env, words = _url(case, tmp_path)
    for name, value in env.items():
        monkeypatch.setenv(name, value)

    _one_error_line(cli("--db", url, *command), "error: ", words)


@pytest.mark.parametrize("case", [c for c in CASES if c != "truncated file"])
def test_seed_bootstrap_refuses_in_one_line(case: str, tmp_path: Path) -> None:
    url, env, words = _url(case, tmp_path)
    done = subprocess.run([sys.executable, "-m", "seed", "--db", url, "bootstrap", "--empty"], cwd=REPO,
                          env={**child_env(), **env}, capture_output=True, text=True, timeout=120)

    _one_error_line(done, "error: ", words)


@pytest.mark.parametrize("case", ["junk file", "truncated file"])
def test_the_board_over_a_broken_file_shows_one_chinese_line(case: str, tmp_path: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    from streamlit.testing.v1 import AppTest

    from tests.dashboard.apptest import APP

    url, _, words = _url(case, tmp_path)
    monkeypatch.setenv("DUBAN_DB", url)
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()

    assert not at.exception
    errors = [shown(e.value) for e in at.error]   # as a reader sees the escaped text
    assert len(errors) == 1 and errors[0].startswith("无法打开事件库"), errors
    assert words in errors[0] and "sqlalchemy" not in errors[0].lower() and str(REPO) not in errors[0]
    assert "not a database" not in errors[0] and "malformed" not in errors[0], errors[0]   # the reason in Chinese too


def test_append_reusing_an_event_id_with_other_content_exits_2(sqlite_planned: EventStore) -> None:
    url, stream = sqlite_planned.url, "activity/t2022/1"
    first = cli("--db", url, "append", "--type", "ProgressReported", "--stream", stream, "--payload",
                '{"percent": 30}', "--occurred-on", "2022-04-01", "--event-id", "form-9")
    again = cli("--db", url, "append", "--type", "ProgressReported", "--stream", stream, "--payload",
                '{"percent": 30}', "--occurred-on", "2022-04-01", "--event-id", "form-9")
    other = cli("--db", url, "append", "--type", "ProgressReported", "--stream", stream, "--payload",
                '{"percent": 70}', "--occurred-on", "2022-04-01", "--event-id", "form-9")

    assert first.returncode == again.returncode == 0 and first.stdout == again.stdout
    _one_error_line(other, "error: ", "form-9")
    assert "payload 不同" in other.stderr and "新的 event_id" in other.stderr
    assert sqlite_planned.head()[0] == 5


def test_import_of_a_crafted_file_names_line_and_field(sqlite_planned: EventStore, tmp_path: Path) -> None:
    import json

    from tests.store.test_export_import import rechain

    sqlite_planned.append(fact(2, "ParticipationRecorded", {"unit": "西宁市总工会", "date": "2022-04-20",
                                                            "participants": 3}, "2022-04-20"))
    items = [json.loads(line) for line in sqlite_planned.export()]
    items[4]["payload"]["date"] = 1650412800
    crafted = tmp_path / "crafted.jsonl"
    crafted.write_text("\n".join(rechain(items)) + "\n", encoding="utf-8")

    done = cli("--db", f"sqlite:///{tmp_path / 'other.db'}", "import", str(crafted))

    _one_error_line(done, "error: 第 5 行：payload.date ", "payload.date")
    assert "2022-04-20" in done.stderr   # what an append stores


def test_a_garbage_url_is_one_chinese_line_naming_it(tmp_path: Path) -> None:
    done = cli("--db", "garbage", "stats", cwd=tmp_path)

    _one_error_line(done, "error: ", "garbage")
    assert "数据库地址" in done.stderr and "sqlite:///" in done.stderr   # and what a URL looks like


@pytest.mark.parametrize("lines, words", [
    (['{"a": 1}', "zzz"], "第 1 行：不是事件记录（缺少 position"),   # an object, but no envelope
    (["", "zzz"], "第 2 行：不是 JSON"),
    (["[1, 2]"], "第 1 行：不是事件记录（应为 JSON 对象）"),
], ids=["not an envelope", "not JSON", "not an object"])
def test_a_bad_import_line_is_one_chinese_line_naming_it(lines: list[str], words: str, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'events.db'}"

    done = cli("--db", url, "import", str(bad))

    _one_error_line(done, f"error: {words}", words)
    assert EventStore(url).head()[0] == 0


def test_a_fact_on_an_unplanned_activity_is_one_chinese_line_naming_the_stream(sqlite_planned: EventStore) -> None:
    done = cli("--db", sqlite_planned.url, "append", "--type", "ProgressReported", "--stream", "activity/t2022/99",
               "--payload", '{"percent": 10}', "--occurred-on", "2022-04-01")

    _one_error_line(done, "error: ", "activity/t2022/99")
    assert "尚未计划" in done.stderr and "unknown activity" not in done.stderr
    assert sqlite_planned.head()[0] == 4


def test_a_partner_closing_an_activity_is_the_rules_chinese_line(sqlite_planned: EventStore) -> None:
    done = cli("--db", sqlite_planned.url, "append", "--type", "ActivityCompleted", "--stream", "activity/t2022/3",
               "--payload", '{"note": ""}', "--occurred-on", "2022-10-01", "--unit", "西宁市总工会")

    _one_error_line(done, "error: ", "西宁市总工会")
    assert done.stderr == "error: 「西宁市总工会」不是该活动的牵头单位，只有牵头单位或管理员可以确认活动完成\n"
    assert sqlite_planned.head()[0] == 4


def test_an_import_line_refused_by_a_stream_rule_composes_the_line_and_the_rule(sqlite_planned: EventStore,
                                                                                tmp_path: Path) -> None:
    import json

    from tests.store.test_export_import import rechain

    items = [json.loads(line) for line in sqlite_planned.export()]
    items.append({**items[3], "event_id": "risk-1", "position": 5, "version": 1, "type": "RiskFlagged",
                  "schema_version": 1, "stream": "activity/t2022/78", "payload": {"note": "x", "demo": False}})
    crafted = tmp_path / "crafted.jsonl"
    crafted.write_text("\n".join(rechain(items)) + "\n", encoding="utf-8")

    done = cli("--db", f"sqlite:///{tmp_path / 'other.db'}", "import", str(crafted))

    _one_error_line(done, "error: 第 5 行：没有活动 activity/t2022/78（尚未计划）", "activity/t2022/78")


def test_the_store_keeps_its_english_words_for_the_log_and_the_forms(sqlite_planned: EventStore) -> None:
    """The Chinese is ``zh``; ``str()`` stays the log's English; a form keys on the refusal's ``code``."""
    from dashboard.entry.values import explain
    from dashboard.render.labels import ui
    from store.log import NewEvent, StreamRuleError
    from store.recording.envelope import PayloadError

    with pytest.raises(StreamRuleError) as unknown:
        sqlite_planned.append(NewEvent("ProgressReported", "activity/t2022/99", {"percent": 1}))
    with pytest.raises(StreamRuleError) as nothing:
        sqlite_planned.retract("nobody", "写错了")
    with pytest.raises(PayloadError) as too_much:
        sqlite_planned.append(fact(1, "ProgressReported", {"percent": 120}, "2022-04-01"))

    assert str(unknown.value) == "unknown activity: activity/t2022/99 has not been planned"
    assert explain(unknown.value).message == ui("unknown_activity")
    assert str(nothing.value) == "no event with id nobody" and explain(nothing.value).message == ui("no_such_event")
    assert unknown.value.zh == "没有活动 activity/t2022/99（尚未计划）" and "nobody" in nothing.value.zh
    assert explain(too_much.value).message == "进度不能大于 100"   # a form's field name, then the store's words
    assert too_much.value.zh == "ProgressReported 事件的 percent 不能大于 100"


def test_import_of_a_file_whose_chain_breaks_says_where_in_chinese(sqlite_planned: EventStore, tmp_path: Path) -> None:
    """An export edited by hand (an activity renumbered, the hashes left): the line, the position and the reason."""
    lines = list(sqlite_planned.export())
    lines[2] = lines[2].replace('"seq":2', '"seq":9')
    edited = tmp_path / "edited.jsonl"
    edited.write_text("\n".join(lines) + "\n", encoding="utf-8")

    done = cli("--db", f"sqlite:///{tmp_path / 'other.db'}", "import", str(edited))

    _one_error_line(done, "error: 第 3 行：文件的哈希链在位置 3 处断开", "hash 与该行的内容不符")


def test_every_stream_refusal_reaches_a_form_in_its_own_words(sqlite_planned: EventStore) -> None:
    """Each rule of a stream a form can break gives that rule's message, not the generic 未被接受."""
    from dashboard.entry.values import explain
    from dashboard.render.labels import ui
    from store.log import NewEvent, StreamRuleError
    from store.recording.envelope import STREAM_RULES

    planned = next(sqlite_planned.read(types=["ActivityPlanned"]))
    report = sqlite_planned.append(fact(1, "ProgressReported", {"percent": 10}, "2022-04-01"))
    retraction = sqlite_planned.retract(report.event_id, "写错了")
    refusals = {}
    for code, attempt in {
        "already_retracted": lambda: sqlite_planned.retract(report.event_id, "又写错了"),
        "retract_retraction": lambda: sqlite_planned.retract(retraction.event_id, "撤回撤回"),
        "no_such_event": lambda: sqlite_planned.retract("nobody", "写错了"),
        "unknown_activity": lambda: sqlite_planned.append(NewEvent("RiskFlagged", "activity/t2022/99", {"note": "x"})),
        "wrong_stream": lambda: sqlite_planned.append(NewEvent("ActivityPlanned", "plan/t2022", planned.payload)),
    }.items():
        with pytest.raises(StreamRuleError) as refused:
            attempt()
        refusals[code] = (refused.value.code, explain(refused.value))
    assert {code: got for code, (got, _) in refusals.items()} == {code: code for code in STREAM_RULES}
    assert refusals["already_retracted"][1].message == "这条记录已经撤回过了。"
    assert refusals["retract_retraction"][1].message == "撤回记录本身不能再撤回；如需恢复，请重新填报。"
    assert refusals["no_such_event"][1].message == "找不到要撤回的记录。"
    assert refusals["unknown_activity"][1].field == "activity"
    assert refusals["wrong_stream"][1].message == ui("refused")
