"""The reading commands work on a copy nobody may write (a backup on a read-only medium) and change nothing.

As root, permissions do not stop writes, so the copy is put on a read-only bind mount in a private
mount namespace (``unshare -m``); as another user, its folder and file are made read-only.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from store.log import EventStore
from tests.factories import fact
from tests.store.helpers import REPO, child_env


def _read_only_cli(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``python -m store ARGS`` with ``folder`` read-only; ``{db}`` in ARGS is the database URL."""
    if os.geteuid() == 0:
        if shutil.which("unshare") is None:
            pytest.fail("running as root needs unshare(1) to make a read-only mount")
        mount = folder.parent / "ro"
        mount.mkdir(exist_ok=True)
        argv = [a.replace("{db}", f"sqlite:///{mount / 'events.db'}") for a in args]
        script = (f'mount --bind "{folder}" "{mount}" && mount -o remount,ro,bind "{mount}" && '
                  f'exec "{sys.executable}" -m store "$@"')
        command = ["unshare", "-m", "sh", "-c", script, "sh", *argv]
    else:
        for path in folder.iterdir():
            path.chmod(0o444)
        folder.chmod(0o555)
        command = [sys.executable, "-m", "store", *[a.replace("{db}", f"sqlite:///{folder / 'events.db'}")
                                                    for a in args]]
    return subprocess.run(command, cwd=REPO, env=child_env(), capture_output=True, text=True, timeout=120)


@pytest.fixture
def backup(sqlite_planned: EventStore, tmp_path: Path) -> Path:
    """A copy of a store (its file only, as a backup holds it), on its own folder."""
    sqlite_planned.append(fact(1, "ProgressReported", {"percent": 30}, "2022-04-01"))
    folder = tmp_path / "backup"
    folder.mkdir()
    sqlite_planned.close()
    shutil.copy(sqlite_planned.url[len("sqlite:///"):], folder / "events.db")
    return folder


def _digest(folder: Path) -> str:
    return hashlib.sha256((folder / "events.db").read_bytes()).hexdigest()


def test_stats_verify_export_and_status_read_a_read_only_copy(backup: Path) -> None:
    before = _digest(backup)

    stats = _read_only_cli(backup, "--db", "{db}", "stats", "--json")
    verify = _read_only_cli(backup, "--db", "{db}", "verify")
    export = _read_only_cli(backup, "--db", "{db}", "export")
    status = _read_only_cli(backup, "--db", "{db}", "status", "--as-of", "2022-06-01", "--json")

    for done in (stats, verify, export, status):
        assert done.returncode == 0, done.stderr
        assert "readonly" not in done.stderr
    assert json.loads(stats.stdout)["head_position"] == 5
    assert verify.stdout.startswith("ok 5 events")
    assert len(export.stdout.splitlines()) == 5
    assert [r["percent"] for r in json.loads(status.stdout)][0] == 30
    assert _digest(backup) == before
    assert sorted(p.name for p in backup.iterdir()) == ["events.db"]   # no -wal or -shm left behind


def test_a_write_to_a_read_only_copy_is_one_line(backup: Path) -> None:
    done = _read_only_cli(backup, "--db", "{db}", "append", "--type", "RiskFlagged", "--stream", "board/x",
                          "--payload", '{"note": "x"}')

    assert done.returncode == 2
    assert done.stderr.startswith("error: ") and len(done.stderr.splitlines()) == 1, done.stderr
    assert "events.db" in done.stderr and "无法打开数据库文件" in done.stderr
