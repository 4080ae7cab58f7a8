"""`python -m store [--db URL] init|stats|verify|export|import|status|append`, run as a user runs it."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
from pathlib import Path

import pytest

from store.log import EventStore
from tests.store.helpers import cli, cli_parallel, twin_url

PLAN_PAYLOAD = {"plan_id": "c2022", "title": "命令行方案", "issuer": "测试总工会", "doc_no": "测〔2022〕9号",
                "year": 2022, "start": "2022-01-01", "end": "2022-12-31", "source": "cli", "source_sha256": ""}
ACTIVITY_PAYLOAD = {"plan_id": "c2022", "seq": 1, "title": "劳动竞赛", "body": "", "window_text": "4月至5月",
                    "start": "2022-04-01", "end": "2022-05-31", "lead_units": ["省总宣传部"],
                    "partner_units": ["各市（州）总工会"],
                    "targets": [{"key": "t1", "label": "奖章", "quantity": 20, "unit": "个"}]}
ACTIVITY = "activity/c2022/1"


def ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, f"{done.args}\nstdout: {done.stdout}\nstderr: {done.stderr}"
    assert "Traceback" not in done.stderr
    return done.stdout


def refused(done: subprocess.CompletedProcess[str], *words: str) -> str:
    """A refusal: exit 2, exactly one Chinese ``error:`` line on stderr, no traceback, nothing on stdout."""
    assert "Traceback" not in done.stderr, done.stderr
    assert done.returncode == 2, f"{done.args} exited {done.returncode}\n{done.stdout}\n{done.stderr}"
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line on stderr, got {len(lines)}:\n{done.stderr}"
    assert lines[0].startswith("error: ") and re.search(r"[\u4e00-\u9fff]", lines[0]), lines[0]
    for word in words:
        assert word in lines[0], lines[0]
    assert done.stdout == ""
    return lines[0]


def append_args(url: str, event_type: str, stream: str, payload: dict | str, *extra: str) -> list[str]:
    text = payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False)
    return ["--db", url, "append", "--type", event_type, "--stream", stream, "--payload", text, *extra]


class Run:
    """``python -m store ARGS`` in this process (same ``main`` as the program), with what it printed."""

    def __init__(self, capsys: pytest.CaptureFixture[str]) -> None:
        self.capsys = capsys

    def __call__(self, *argv: str) -> subprocess.CompletedProcess[str]:
        from store.cli import main

        self.capsys.readouterr()
        try:
            code = main(list(argv))
        except SystemExit as exc:   # argparse refusals
            code = exc.code if isinstance(exc.code, int) else 2
        out, err = self.capsys.readouterr()
        return subprocess.CompletedProcess(list(argv), code, out, err)


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    return Run(capsys)


def test_every_command_on_one_store(db_url: str, tmp_path: Path, run: Run) -> None:
    # init, twice
    assert ok(run("--db", db_url, "init")).startswith("ok ")
    assert ok(run("--db", db_url, "init")).startswith("ok ")

    # append with every option
    plan = json.loads(ok(run(*append_args(db_url, "PlanImported", "plan/c2022", PLAN_PAYLOAD,
                                          "--occurred-on", "2022-03-01", "--event-id", "plan-c2022",
                                          "--actor", "导入程序", "--unit", "省总办公室"))))
    assert plan["position"] == 1 and plan["event_id"] == "plan-c2022" and plan["version"] == 1
    assert len(plan["hash"]) == 64
    planned = json.loads(ok(run(*append_args(db_url, "ActivityPlanned", ACTIVITY, ACTIVITY_PAYLOAD,
                                             "--occurred-on", "2022-03-01", "--expected-version", "0"))))
    assert (planned["position"], planned["version"]) == (2, 1)
    first = append_args(db_url, "ProgressReported", ACTIVITY, {"percent": 30, "note": "过半"},
                        "--occurred-on", "2022-04-20", "--expected-version", "1", "--event-id", "form-7",
                        "--unit", "省总宣传部")
    reported = json.loads(ok(run(*first)))
    assert (reported["position"], reported["version"]) == (3, 2)

    # the same --event-id again: the first event comes back, nothing new is written
    assert json.loads(ok(run(*first))) == reported
    # a stale --expected-version: refused in one line, nothing written
    refused(run(*append_args(db_url, "ProgressReported", ACTIVITY, {"percent": 50}, "--occurred-on", "2022-04-25",
                             "--expected-version", "1")), "预期第 1 版", ACTIVITY)
    ok(run(*append_args(db_url, "TargetAdvanced", ACTIVITY, {"target": "t1", "amount": 4},
                        "--occurred-on", "2022-04-28")))

    # stats
    stats = json.loads(ok(run("--db", db_url, "stats", "--json")))
    assert set(stats) >= {"head_position", "head_hash", "by_type", "first_occurred_on", "last_occurred_on"}
    assert stats["head_position"] == 4
    assert stats["by_type"] == {"ActivityPlanned": 1, "PlanImported": 1, "ProgressReported": 1, "TargetAdvanced": 1}
    assert (stats["first_occurred_on"], stats["last_occurred_on"]) == ("2022-03-01", "2022-04-28")
    assert stats["head_hash"] in ok(run("--db", db_url, "stats"))

    # verify
    verify = ok(run("--db", db_url, "verify"))
    assert verify.startswith("ok 4 events")
    assert stats["head_hash"] in verify

    # export, to a file and to stdout
    out = tmp_path / "export.jsonl"
    export = run("--db", db_url, "export", "--out", str(out))
    ok(export)
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["position"] for line in lines] == [1, 2, 3, 4]
    assert json.loads(lines[-1])["hash"] == stats["head_hash"]
    assert stats["head_hash"] in export.stderr
    assert ok(run("--db", db_url, "export")).splitlines() == lines

    # status
    rows = json.loads(ok(run("--db", db_url, "status", "--as-of", "2022-05-01", "--json")))
    assert isinstance(rows, list) and len(rows) == 1
    assert set(rows[0]) >= {"seq", "title", "start", "end", "status", "percent"}
    assert (rows[0]["seq"], rows[0]["title"], rows[0]["start"], rows[0]["end"], rows[0]["status"],
            rows[0]["percent"]) == (1, "劳动竞赛", "2022-04-01", "2022-05-31", "on_track", 30.0)
    assert rows[0]["targets"][0]["achieved"] == 4
    assert json.loads(ok(run("--db", db_url, "status", "--as-of", "2022-06-01", "--json")))[0]["status"] == "overdue"
    assert "劳动竞赛" in ok(run("--db", db_url, "status", "--as-of", "2022-05-01"))
    refused(run("--db", db_url, "status", "--as-of", "2022-05-01", "--plan", "nope"), "nope")

    # what append stored, read back through the store
    store = EventStore(db_url)
    try:
        first_event = store.get("plan-c2022")
        assert (first_event.actor, first_event.unit, first_event.occurred_on) == (
            "导入程序", "省总办公室", dt.date(2022, 3, 1))
        assert (store.get("form-7").unit, store.get("form-7").actor) == ("省总宣传部", "cli")
        assert store.head()[0] == 4
    finally:
        store.close()

    # import into an empty store of the same backend: the same head; again: nothing new; a broken file: refused
    with twin_url(db_url, tmp_path) as other:
        imported = ok(run("--db", other, "import", str(out)))
        assert imported.startswith("imported 4 events")
        assert stats["head_hash"] in imported
        assert ok(run("--db", other, "import", str(out))).startswith("imported 0 events")
        broken = tmp_path / "broken.jsonl"
        broken.write_text(out.read_text(encoding="utf-8").replace('"percent":30', '"percent":80'), encoding="utf-8")
        refused(run("import", str(broken), "--db", other), "第 3 行", "位置 3")
        refused(run("--db", other, "import", str(Path(__file__))), "第 1 行", "JSON")
        assert ok(run("--db", other, "verify")).startswith("ok 4 events")


def test_python_m_store_runs_as_a_program(db_url: str, tmp_path: Path) -> None:
    """The commands above, as a separate program: the module entry point, its output and exit codes."""
    assert ok(cli("--db", db_url, "init", cwd=tmp_path)).startswith("ok ")
    appended, stale = cli_parallel(
        append_args(db_url, "PlanImported", "plan/c2022", PLAN_PAYLOAD, "--occurred-on", "2022-03-01",
                    "--event-id", "plan-c2022"),
        append_args(db_url, "RiskFlagged", "board/c2022", {"note": "预警"}, "--expected-version", "3"),
        cwd=tmp_path)

    assert json.loads(ok(appended))["event_id"] == "plan-c2022"
    refused(stale, "board/c2022", "预期第 3 版")
    store = EventStore(db_url)
    try:
        assert [e.event_id for e in store.read()] == ["plan-c2022"]
    finally:
        store.close()


def test_refusals_print_one_line_and_exit_2(sqlite_url: str, tmp_path: Path) -> None:
    """As a program: whatever goes wrong, one line on stderr and exit 2, never a traceback."""
    bad_json, schema, unreachable, bad_date = cli_parallel(
        append_args(sqlite_url, "PlanImported", "plan/c2022", "{'plan_id': 1"),
        append_args(sqlite_url, "PlanImported", "plan/x", {**PLAN_PAYLOAD, "year": 1900}),
        ["--db", "postgresql+psycopg://postgres@127.0.0.1:1/duban", "stats"],
        append_args(sqlite_url, "PlanImported", "plan/c2022", PLAN_PAYLOAD, "--occurred-on", "2022-13-01"),
        cwd=tmp_path)

    refused(bad_json, "--payload", "JSON")
    refused(schema, "year")
    refused(unreachable, "127.0.0.1")
    refused(bad_date, "2022-13-01")


def test_refusals_on_either_backend_print_one_line(db_url: str, run: Run, tmp_path: Path) -> None:
    ok(run("--db", db_url, "init"))
    ok(run(*append_args(db_url, "PlanImported", "plan/c2022", PLAN_PAYLOAD)))

    refused(run(*append_args(db_url, "PlanImported", "plan/c2022", "{'plan_id': 1")), "--payload", "JSON")
    refused(run(*append_args(db_url, "PlanImported", "plan/x", {**PLAN_PAYLOAD, "year": 1900})), "year")
    refused(run(*append_args(db_url, "PlanImported", "plan/x", {**PLAN_PAYLOAD, "end": "2021-01-01"})), "end")
    refused(run(*append_args(db_url, "PlanImported", "plan/x", {**PLAN_PAYLOAD, "year": "二〇二二"})), "year")
    refused(run(*append_args(db_url, "PlanGuessed", "plan/c2022", PLAN_PAYLOAD)), "PlanGuessed", "type")
    refused(run(*append_args(db_url, "ProgressReported", "activity/c2022/9", {"percent": 5})), "activity/c2022/9")
    refused(run(*append_args(db_url, "RiskFlagged", "board/x", {"note": "x" * 3000})), "note")
    refused(run("--db", db_url, "import", str(tmp_path / "no-such-export.jsonl")), "no-such-export.jsonl")
    assert ok(run("--db", db_url, "verify")).startswith("ok 1 events")


BAD_ARGUMENTS = {
    "bad --occurred-on": ["append", "--type", "RiskFlagged", "--stream", "board/x", "--payload", '{"note": "x"}',
                          "--occurred-on", "2022-13-01"],
    "bad --as-of": ["status", "--as-of", "5月1日"],
    "bad --expected-version": ["append", "--type", "RiskFlagged", "--stream", "board/x", "--payload", "{}",
                               "--expected-version", "two"],
    "missing --payload": ["append", "--type", "RiskFlagged", "--stream", "board/x"],
    "unknown command": ["compact"],
}


@pytest.mark.parametrize("argv", list(BAD_ARGUMENTS.values()), ids=list(BAD_ARGUMENTS))
def test_bad_arguments_are_refused_in_one_line(sqlite_url: str, run: Run, argv: list[str]) -> None:
    """A bad date or a missing option is a refusal like any other: one Chinese line, exit 2 (no usage dump)."""
    done = run("--db", sqlite_url, *argv)

    line = refused(done)
    assert line.startswith("error: 命令行参数有误（") and "--help" in line
    assert argv[-1] in line or "缺少参数：--payload" in line


@pytest.mark.parametrize("payload", ['["not", "an", "object"]', '"text"', "null"])
def test_a_payload_that_is_json_but_not_an_object_is_refused(sqlite_url: str, payload: str,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    from store.cli import main

    assert main(append_args(sqlite_url, "PlanImported", "plan/c2022", payload)) == 2

    err = capsys.readouterr().err
    assert err.startswith("error: ") and err.count("\n") == 1
    assert "payload" in err and "JSON 对象" in err
