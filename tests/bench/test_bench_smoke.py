"""A tiny run of the benchmark (1,000 events), so `python -m bench` cannot rot between real runs.

It checks the shape, not the speed: every row of the table (a–e, the floors, the peer) is there
with a positive figure, and every goal has a verdict. The speeds themselves are the bench's job.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.cli import main
from bench.report import ROWS

pytest.importorskip("eventsourcing", reason="the bench extra is not installed (pip install -e '.[bench]')")


def test_bench_runs_at_1000_events_and_reports_every_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bench.json"
    assert main(["--sizes", "1000", "--sample", "40", "--rounds", "2", "--workdir", str(tmp_path / "stores"),
                 "--json", str(out)]) == 0
    table = capsys.readouterr().out
    result = json.loads(out.read_text())

    for row in ROWS:
        assert row.label in table, f"row {row.key} missing from the printed table"
        value = result["figures"][row.key]["1000"]
        assert value > 0, f"row {row.key} is {value}"
    pages = ("overview", "gantt", "timeline", "workload", "selfcheck", "log")
    assert {g["key"] for g in result["goals"]} == {
        "a_vs_floor", "a_vs_peer", "c_vs_floor", "d_ratio", "e", "f", "rss_all_pages",
        *(f"{kind}_{page}" for kind in "gh" for page in pages)}
    for key in ("f", "f_no_snapshot", "rss_all_pages", *(f"{kind}_{page}" for kind in "gh" for page in pages)):
        assert key in table or any(row.key == key for row in ROWS)
        assert result["figures"][key]["1000"] > 0, key
    run = result["results"]["1000"]
    assert run["cold"]["snapshot_position"] > 0 == run["cold_no_snapshot"]["snapshot_position"]
    assert run["cold"]["position"] == run["cold_no_snapshot"]["position"] == run["snapshot"]["position"]
    assert all(isinstance(g["met"], bool) for g in result["goals"])
    assert result["results"]["1000"]["fill"]["events"] == 1000
    assert result["results"]["1000"]["app"]["mode"] in ("AppTest", "Board")
    assert result["machine"]["cores"] >= 1


def test_fill_makes_a_reproducible_store(tmp_path: Path) -> None:
    from store.log import EventStore

    heads = []
    for name in ("one", "two"):
        url = f"sqlite:///{tmp_path / name}.db"
        assert main(["fill", "--db", url, "--events", "300", "--seed", "7"]) == 0
        store = EventStore(url)
        try:
            rows = [(e.event_id, e.type, e.stream, e.occurred_on, e.payload) for e in store.read()]
            heads.append(rows)
            assert store.verify().ok
        finally:
            store.close()
    assert len(heads[0]) == 300
    assert heads[0] == heads[1]
