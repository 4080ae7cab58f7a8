"""Helpers of the store suite: raw database connections, the command line as a subprocess, workers.

Everything here talks to the real databases the top-level conftest provides (``store`` and
``db_url`` run each test on a SQLite file and on a PostgreSQL server); nothing is mocked.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from store.log import EventStore
from store.recording.chain import GENESIS_HASH, canonical_json, envelope_hash

REPO = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).resolve().parent / "_worker.py"


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def sqlite_path(url: str) -> Path:
    return Path(url[len("sqlite:///"):])


def pg_dsn(url: str) -> str:
    """The SQLAlchemy URL as libpq understands it."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def child_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DUBAN_DB"}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO), env.get("PYTHONPATH", "")) if p)
    env["PYTHONUNBUFFERED"] = "1"
    return env


def cli(*args: str, cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``python -m store ARGS`` in a fresh process, as a user or a script runs it."""
    return subprocess.run([sys.executable, "-m", "store", *args], cwd=cwd or REPO, env=child_env(),
                          capture_output=True, text=True, timeout=timeout)


def popen_cli(*args: str, cwd: Path | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "store", *args], cwd=cwd or REPO, env=child_env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@contextmanager
def raw_connection(url: str) -> Iterator[Any]:
    """A connection that bypasses the store: the sqlite3 module, or psycopg in autocommit."""
    if is_sqlite(url):
        conn = sqlite3.connect(sqlite_path(url), isolation_level=None, timeout=30)
    else:
        import psycopg

        conn = psycopg.connect(pg_dsn(url), autocommit=True)
    try:
        yield conn
    finally:
        conn.close()


def raw_rows(url: str) -> list[tuple]:
    with raw_connection(url) as conn:
        return [tuple(r) for r in conn.execute("SELECT * FROM events ORDER BY position").fetchall()]


def count(store: EventStore) -> int:
    return sum(1 for _ in store.read())


def start_workers(args_per_worker: list[list[str]], go_file: Path) -> list[subprocess.Popen[str]]:
    """Start worker processes, wait until each has connected, then let them all go at once."""
    procs = [subprocess.Popen([sys.executable, str(WORKER), str(go_file), *args], env=child_env(),
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for args in args_per_worker]
    try:
        for proc in procs:
            line = proc.stdout.readline()
            assert line.strip() == "ready", f"worker did not start: {line!r} {proc.stderr.read()}"
        go_file.touch()
    except BaseException:
        for proc in procs:
            proc.kill()
        raise
    return procs


def finish_workers(procs: list[subprocess.Popen[str]], timeout: float = 120) -> list[str]:
    """Wait for every worker; each must exit 0. Returns their outputs."""
    outputs = []
    deadline = time.monotonic() + timeout
    for proc in procs:
        try:
            out, err = proc.communicate(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            for p in procs:
                p.kill()
            raise
        assert proc.returncode == 0, f"worker failed ({proc.returncode}):\n{err}"
        outputs.append(out)
    return outputs


@contextmanager
def twin_url(url: str, tmp_path: Path) -> Iterator[str]:
    """A second, empty database on the same backend (another file, or another PostgreSQL database)."""
    if is_sqlite(url):
        yield f"sqlite:///{tmp_path / 'twin.db'}"
        return
    import psycopg

    base, name = url.rsplit("/", 1)
    twin = f"{name}_twin"
    with psycopg.connect(pg_dsn(url), autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{twin}"')
    try:
        yield f"{base}/{twin}"
    finally:
        with psycopg.connect(pg_dsn(url), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{twin}" WITH (FORCE)')


def cli_parallel(*commands: list[str], cwd: Path | None = None, timeout: float = 120
                 ) -> list[subprocess.CompletedProcess[str]]:
    """Several ``python -m store`` commands at once (for commands that do not depend on each other)."""
    procs = [popen_cli(*args, cwd=cwd) for args in commands]
    done = []
    for args, proc in zip(commands, procs):
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            for p in procs:
                p.kill()
            raise
        done.append(subprocess.CompletedProcess([sys.executable, "-m", "store", *args], proc.returncode, out, err))
    return done


def plant(url: str, **fields: Any) -> int:
    """Insert one row at the next position with a whole chain, through a raw connection: what the
    triggers still let through, so what a reader must survive. ``fields`` override a progress report
    on activity 1 of the test plan; ``payload`` may be any JSON value or, as text, any text."""

    from store.recording.chain import GENESIS_HASH, canonical_json, envelope_hash

    with raw_connection(url) as conn:
        last = conn.execute("SELECT position, hash FROM events ORDER BY position DESC LIMIT 1").fetchall()
        position, prev = (last[0][0] + 1, last[0][1]) if last else (1, GENESIS_HASH)
        row = {"position": position, "event_id": f"planted-{position}", "stream": "activity/t2022/1",
               "version": 1000 + position, "type": "ProgressReported", "schema_version": 1,
               "occurred_on": "2022-05-01", "recorded_at": "2022-05-01T00:00:00.000000Z", "actor": "x",
               "unit": "", "payload": {"percent": 10, "note": "", "demo": False}, "prev_hash": prev, **fields}
        hashed = {**row, "payload": row["payload"] if not isinstance(row["payload"], str) else None}
        row["hash"] = envelope_hash(hashed)
        row["payload"] = row["payload"] if isinstance(row["payload"], str) else canonical_json(row["payload"])
        mark = "?" if is_sqlite(url) else "%s"
        names = list(row)
        conn.execute(f"INSERT INTO events ({', '.join(names)}) VALUES ({', '.join([mark] * len(names))})",
                     [row[n] for n in names])
    return position


def drop_guards(url: str) -> None:
    """Drop the triggers that refuse UPDATE and DELETE, as an attacker with the database file would."""
    with raw_connection(url) as conn:
        if is_sqlite(url):
            for name in ("events_no_update", "events_no_delete", "events_insert_guard", "event_seals_no_update",
                         "event_seals_no_delete"):
                conn.execute(f"DROP TRIGGER IF EXISTS {name}")
        else:
            for name in ("events_no_update", "events_no_truncate", "events_insert_guard"):
                conn.execute(f"DROP TRIGGER IF EXISTS {name} ON events")
            conn.execute("DROP TRIGGER IF EXISTS event_seals_no_change ON event_seals")


def rewrite_consistently(url: str, position: int, percent: int) -> None:
    """Change one payload and recompute every hash from there on: a chain that verifies by itself."""
    drop_guards(url)
    mark = "?" if is_sqlite(url) else "%s"
    with raw_connection(url) as conn:
        rows = conn.execute("SELECT position, event_id, stream, version, type, schema_version, occurred_on, "
                            "recorded_at, actor, unit, payload, prev_hash FROM events ORDER BY position").fetchall()
        prev = GENESIS_HASH
        for row in rows:
            envelope = dict(zip(("position", "event_id", "stream", "version", "type", "schema_version",
                                 "occurred_on", "recorded_at", "actor", "unit", "payload", "prev_hash"), row))
            envelope["occurred_on"] = str(envelope["occurred_on"])
            envelope["payload"] = json.loads(envelope["payload"])
            if envelope["position"] == position:
                envelope["payload"]["percent"] = percent
            envelope["prev_hash"] = prev
            prev = envelope_hash(envelope)
            conn.execute(f"UPDATE events SET payload = {mark}, prev_hash = {mark}, hash = {mark} WHERE position = {mark}",
                         (canonical_json(envelope["payload"]), envelope["prev_hash"], prev, envelope["position"]))
