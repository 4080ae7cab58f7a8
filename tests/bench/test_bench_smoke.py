"""A tiny run of the benchmark (1,000 events), so `python -m bench` cannot rot between real runs.

It checks the shape, not the speed: every row of the table (a–e, the floors, the peer, the load
run) is there with a positive figure, and every goal has a verdict, on SQLite and on the
PostgreSQL server the bench starts itself. The speeds themselves are the bench's job.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.cli import main
from bench.report import PG_ROWS, ROWS
from store.pgserver import find_pg_ctl

PAGES = ("overview", "gantt", "timeline", "workload", "selfcheck", "log")
# Just enough of the load run to exercise it: a few sessions for a couple of seconds.
TINY_LOAD = ["--load-seconds", "2", "--load-sessions", "3"]

pytest.importorskip("eventsourcing", reason="the bench extra is not installed (pip install -e '.[bench]')")


def test_bench_runs_at_1000_events_and_reports_every_row(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bench.json"
    assert main(["--sizes", "1000", "--sample", "40", "--rounds", "2", "--workdir", str(tmp_path / "stores"),
                 "--json", str(out), *TINY_LOAD]) == 0
    table = capsys.readouterr().out
    result = json.loads(out.read_text())

    for row in ROWS:
        assert row.label in table, f"row {row.key} missing from the printed table"
        value = result["figures"][row.key]["1000"]
        assert value > 0, f"row {row.key} is {value}"
    pages = PAGES
    assert {g["key"] for g in result["goals"]} == {
        "a_vs_floor", "a_vs_peer", "c_vs_floor", "d_ratio", "e", "f", "rss_all_pages", "load_p95",
        *(f"{kind}_{page}" for kind in "gh" for page in pages)}
    for key in ("f", "f_no_snapshot", "rss_all_pages", "load_p95", "load_reruns_per_s",
                *(f"{kind}_{page}" for kind in "gh" for page in pages)):
        assert key in table or any(row.key == key for row in ROWS)
        assert result["figures"][key]["1000"] > 0, key
    run = result["results"]["1000"]
    assert run["cold"]["snapshot_position"] > 0 == run["cold_no_snapshot"]["snapshot_position"]
    assert run["cold"]["position"] == run["cold_no_snapshot"]["position"] == run["snapshot"]["position"]
    assert all(isinstance(g["met"], bool) for g in result["goals"])
    assert result["results"]["1000"]["fill"]["events"] == 1000
    appends = run["appends"]   # our statements alone took every row ours wrote, past the guards
    assert appends["statements"]["head"] == appends["store_events_before"] + appends["ours"]["count"]
    review = appends["review"]   # requests and refusals were stored, not refused
    assert review["count"] == 20 and review["stream"].startswith("activity/") and review["stream_events"] > 1
    assert result["results"]["1000"]["app"]["mode"] in ("AppTest", "Board")
    assert result["machine"]["cores"] >= 1
    load = run["load"]
    assert load["sessions"] == 3 and load["reruns"] >= 3, load   # every session finished reruns
    assert load["pages"] == ["overview", "gantt"]


@pytest.mark.skipif(find_pg_ctl() is None, reason="no PostgreSQL binaries (install Debian's postgresql package)")
def test_bench_on_postgresql_reports_the_pg_keys(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bench-pg.json"
    assert main(["--backend", "postgresql", "--sizes", "1000", "--sample", "30", "--rounds", "2",
                 "--workdir", str(tmp_path / "stores"), "--json", str(out), *TINY_LOAD]) == 0
    table = capsys.readouterr().out
    result = json.loads(out.read_text())

    keys = {"a_pg", "a_floor_pg", "a_review_pg", "a_vs_floor_pg", "a_round_trips_pg", "c_pg", "rss_all_pages_pg", "load_p95_pg",
            "load_reruns_per_s_pg", *(f"{kind}_{page}_pg" for kind in "gh" for page in PAGES)}
    assert keys <= {row.key for row in PG_ROWS}
    for row in PG_ROWS:
        assert row.label in table, f"row {row.key} missing from the printed table"
        assert result["figures"][row.key]["1000"] > 0, row.key
    # Counted on the wire: an append reaches the server at least once.
    assert result["figures"]["a_round_trips_pg"]["1000"] >= 1
    assert {g["key"] for g in result["goals"]} >= {"a_vs_floor_pg", "a_round_trips_pg", "load_p95_pg",
                                                  "rss_all_pages_pg"}
    verdicts = {g["key"]: g["met"] for g in result["goals"]}
    assert verdicts["a_vs_floor_pg"] == (result["figures"]["a_pg"]["1000"]
                                         >= 0.5 * result["figures"]["a_floor_pg"]["1000"])
    run = result["results"]["1000"]
    assert run["backend"] == "postgresql" and run["fill"]["events"] == 1000
    assert run["appends"]["server"]["fsync"] == "on"   # the floor and ours on a durable server
    assert "fsync=on" in table


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
