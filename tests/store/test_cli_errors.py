"""A database that cannot be opened is one line naming the file or setting: exit 2 on the command line
(``store`` and ``seed bootstrap``), one Chinese line on the page — never a traceback."""

from __future__ import annotations

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


def _one_error_line(done: subprocess.CompletedProcess[str], prefix: str, words: str) -> None:
    assert done.returncode == 2, (done.stdout, done.stderr)
    assert "Traceback" not in done.stderr
    assert done.stderr.startswith(prefix) and done.stderr.count("\n") == 1, done.stderr
    assert words in done.stderr, done.stderr


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
    assert "another payload" in other.stderr
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

    _one_error_line(done, "error: line 5: payload.date", "payload.date")
