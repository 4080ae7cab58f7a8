"""A process killed in the middle of importing 100 000 events leaves the store with all of them or none."""

from __future__ import annotations

import datetime as dt
import json
import signal
import time
from pathlib import Path

import pytest

from store.domain import events
from store.log import EventStore, NewEvent, format_recorded_at
from store.recording.chain import canonical_json, envelope_hash
from tests.factories import fact, small_plan
from tests.store.helpers import is_sqlite, pg_dsn, popen_cli, sqlite_path

TOTAL = 100_000
# How long the importer may take to reach its writes; past this it is too slow to be useful anyway.
REACH_WRITES_WITHIN_S = 150   # validating 100k events before the first write takes a while on a loaded 2-core machine
WAL_MID_IMPORT_BYTES = 4 * 1024 * 1024


@pytest.fixture(scope="session")
def big_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An export file of 100 000 events: the test plan as the store exports it, then progress reports.

    The reports are chained here with the store's own hash function rather than appended one by
    one, which would take minutes; the importer verifies the whole chain before it writes anything.
    """
    folder = tmp_path_factory.mktemp("big-export")
    scratch = EventStore(f"sqlite:///{folder / 'scratch.db'}")
    scratch.init()
    small_plan(scratch)
    scratch.append(fact(1, "ProgressReported", {"percent": 1}, "2022-04-01"))
    lines = list(scratch.export())
    scratch.close()
    last = json.loads(lines[-1])
    versions = {json.loads(line)["stream"]: json.loads(line)["version"] for line in lines}
    prev_hash, start = last["hash"], dt.datetime.now(dt.UTC)
    template = json.loads(lines[-1])
    assert set(template["payload"]) == set(events.validate("ProgressReported", {"percent": 1}))
    for position in range(len(lines) + 1, TOTAL + 1):
        stream = f"activity/t2022/{1 + position % 3}"
        versions[stream] += 1
        envelope = {
            **template, "position": position, "event_id": f"bulk-{position:06d}", "stream": stream,
            "version": versions[stream], "occurred_on": (dt.date(2022, 4, 1) + dt.timedelta(days=position % 200)
                                                         ).isoformat(),
            "recorded_at": format_recorded_at(start + dt.timedelta(microseconds=position)),
            "actor": "批量导入", "payload": {**template["payload"], "percent": position % 101, "note": f"第{position}条"},
            "prev_hash": prev_hash,
        }
        envelope["hash"] = prev_hash = envelope_hash(envelope)
        lines.append(canonical_json(envelope))
    path = folder / "export-100k.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _writing(url: str) -> bool:
    """Whether the importer has started writing rows (its transaction is open and growing)."""
    if is_sqlite(url):
        wal = Path(str(sqlite_path(url)) + "-wal")
        return wal.exists() and wal.stat().st_size > WAL_MID_IMPORT_BYTES
    import psycopg

    with psycopg.connect(pg_dsn(url), autocommit=True) as conn:
        return conn.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND query ILIKE 'INSERT INTO events%'").fetchone()[0] > 0


@pytest.mark.slow
def test_a_process_killed_mid_import_leaves_all_or_none(store: EventStore, big_export: Path,
                                                         tmp_path: Path) -> None:
    proc = popen_cli("--db", store.url, "import", str(big_export), cwd=tmp_path)
    started = time.monotonic()
    reached = False
    try:
        while time.monotonic() - started < REACH_WRITES_WITHIN_S and proc.poll() is None:
            if _writing(store.url):
                reached = True
                break
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    waited = time.monotonic() - started

    assert proc.returncode == -signal.SIGKILL, f"the importer was not killed mid-import: {out} {err}"
    after = EventStore(store.url)
    try:
        head, _ = after.head()
        assert head in (0, TOTAL)
        assert sum(1 for _ in after.read(upto=10)) == min(head, 10)
        checked = after.verify()
        assert checked.ok and checked.count == head
        # The store takes appends again (the killed writer's lock is gone).
        appended = after.append(NewEvent("RiskFlagged", "board/after-kill", {"note": "导入中断"}))
        assert appended.position == head + 1
        assert after.verify().ok
    finally:
        after.close()
    assert reached, (f"the import of {TOTAL} events had not started writing after {waited:.0f} s; "
                     f"it was killed before its transaction held any rows")
