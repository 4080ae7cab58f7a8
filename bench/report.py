"""The results table (Markdown, so it pastes into the README as printed), the goals and the machine.

Rows are stable identifiers (``a``, ``a_floor``, ``a_peer`` …) so the smoke test and anyone
reading ``--json`` can find a figure without parsing labels.
"""

from __future__ import annotations

import os
import platform
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import Any

Results = dict[str, dict[str, Any]]
PAGE_NAMES = ("overview", "gantt", "timeline", "workload", "selfcheck", "log")   # bench.measures.pages.PAGES


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    value: Callable[[dict[str, Any]], float]
    fmt: str  # "rate", "seconds", "ratio", "mb", "load"


ROWS: tuple[Row, ...] = (
    Row("a", "(a) single appends, ours: EventStore.append, 1 tx each (events/s)",
        lambda r: r["appends"]["ours"]["rate"], "rate"),
    Row("a_floor", "(a) floor: sqlite3, 1 INSERT + COMMIT each (events/s)",
        lambda r: r["appends"]["floor"]["rate"], "rate"),
    Row("a_peer", "(a) peer: eventsourcing SQLiteApplicationRecorder, 1 insert_events each (events/s)",
        lambda r: r["appends"]["peer"]["rate"], "rate"),
    Row("a_statements", "(a) our statements alone: sqlite3 on a copy of our store (its indexes and guards), "
        "BEGIN IMMEDIATE, head, event id, stream version, INSERT, COMMIT each (events/s)",
        lambda r: r["appends"]["statements"]["rate"], "rate"),
    Row("a_statements_vs_peer", "(a) our statements alone ÷ peer (what ours would reach with no Python at all)",
        lambda r: r["appends"]["statements"]["rate"] / r["appends"]["peer"]["rate"], "ratio"),
    Row("a_vs_floor", "(a) ours ÷ floor", lambda r: r["appends"]["ours"]["rate"] / r["appends"]["floor"]["rate"],
        "ratio"),
    Row("a_vs_peer", "(a) ours ÷ peer", lambda r: r["appends"]["ours"]["rate"] / r["appends"]["peer"]["rate"],
        "ratio"),
    Row("a_normal", "(a) ours at synchronous=NORMAL (DUBAN_SQLITE_SYNCHRONOUS; a power cut may lose the last commits) (events/s)",
        lambda r: r["appends"]["ours_normal"]["rate"], "rate"),
    Row("a_floor_normal", "(a) floor at synchronous=NORMAL (events/s)",
        lambda r: r["appends"]["floor_normal"]["rate"], "rate"),
    Row("a_normal_vs_floor", "(a) at NORMAL: ours ÷ floor",
        lambda r: r["appends"]["ours_normal"]["rate"] / r["appends"]["floor_normal"]["rate"], "ratio"),
    Row("a_normal_vs_peer", "(a) ours at NORMAL ÷ peer at its default (not like for like)",
        lambda r: r["appends"]["ours_normal"]["rate"] / r["appends"]["peer"]["rate"], "ratio"),
    Row("a_review", "(a) an extension request and the office's refusal on the busiest activity, ours (s per append)",
        lambda r: r["appends"]["review"]["seconds_per_append"], "seconds"),
    Row("b", "(b) bulk import: EventStore.append_many batches (events/s)", lambda r: r["fill"]["rate"], "rate"),
    Row("c", "(c) projection rebuild, every overview frame (s)", lambda r: r["rebuild"]["seconds"], "seconds"),
    Row("c_catch_up", "(c) of which Projector.catch_up (s)", lambda r: r["rebuild"]["catch_up_seconds"], "seconds"),
    Row("c_floor", "(c) floor: one SELECT into a DataFrame, payloads decoded (s)",
        lambda r: r["select_floor"]["seconds"], "seconds"),
    Row("c_vs_floor", "(c) ours ÷ floor", lambda r: r["rebuild"]["seconds"] / r["select_floor"]["seconds"], "ratio"),
    Row("c_cpu_vs_floor", "(c) ours ÷ floor, in CPU time (robust to a busy machine)",
        lambda r: r["rebuild"]["cpu_seconds"] / r["select_floor"]["cpu_seconds"], "ratio"),
    Row("d", "(d) overview warm rerun after 1 new event (s, median of 5)", lambda r: r["app"]["warm_seconds"], "seconds"),
    Row("d_cpu", "(d) of which CPU time (s)", lambda r: r["app"]["warm_cpu_seconds"], "seconds"),
    Row("d_cold", "(d) overview cold run (s)", lambda r: r["app"]["cold_seconds"], "seconds"),
    Row("e", "(e) peak RSS, app process: AppTest + board + overview (MB)", lambda r: r["app"]["peak_rss_mb"], "mb"),
    Row("e_rebuild", "(e) peak RSS, rebuild process (MB)", lambda r: r["rebuild"]["peak_rss_mb"], "mb"),
    Row("f", "(f) cold start: fresh process, snapshot present, overview under AppTest (s)",
        lambda r: r["cold"]["seconds"], "seconds"),
    Row("f_no_snapshot", "(f) the same without a snapshot (s)", lambda r: r["cold_no_snapshot"]["seconds"], "seconds"),
    *(Row(f"g_{page}", f"(g) {page}: first open in a fresh session of a warm server (s)",
          lambda r, page=page: r["pages"]["pages"][page]["first_seconds"], "seconds") for page in PAGE_NAMES),
    *(Row(f"h_{page}", f"(h) {page}: warm rerun after one new event (s)",
          lambda r, page=page: r["pages"]["pages"][page]["rerun_seconds"], "seconds") for page in PAGE_NAMES),
    Row("rss_all_pages", "peak RSS of the app process after every page was opened (MB)",
        lambda r: r["pages"]["peak_rss_mb"], "mb"),
    *(
        Row("load_p95", "under load: p95 rerun, sessions alternating overview and Gantt on one server (s)",
            lambda r: r["load"]["p95_seconds"], "seconds"),
        Row("load_reruns_per_s", "under load: reruns per second, all sessions together",
            lambda r: r["load"]["reruns_per_s"], "ratio_plain"),
    ),
    Row("load", "machine load average (1 min) when (c) started", lambda r: r["rebuild"]["load_before"], "load"),
)
ROW_KEYS = tuple(row.key for row in ROWS)
_PG_FROM_SQLITE = ("a_review", "b", "c", "c_catch_up", *(f"{kind}_{page}" for kind in "gh" for page in PAGE_NAMES),
                   "rss_all_pages", "load_p95", "load_reruns_per_s", "load")
PG_ROWS: tuple[Row, ...] = (
    Row("a_pg", "(a) single appends, ours on PostgreSQL: EventStore.append, 1 tx each (events/s)",
        lambda r: r["appends"]["ours"]["rate"], "rate"),
    Row("a_floor_pg", "(a) floor: psycopg, 1 INSERT + COMMIT each, same server (events/s)",
        lambda r: r["appends"]["floor"]["rate"], "rate"),
    Row("a_vs_floor_pg", "(a) ours ÷ floor on PostgreSQL",
        lambda r: r["appends"]["ours"]["rate"] / r["appends"]["floor"]["rate"], "ratio"),
    Row("a_round_trips_pg", "(a) round trips per append (libpq trace: ReadyForQuery per append)",
        lambda r: r["appends"]["round_trips_per_append"], "ratio_plain"),
    *(Row(f"{row.key}_pg", f"{row.label} [PostgreSQL]", row.value, row.fmt)
      for row in ROWS if row.key in _PG_FROM_SQLITE),
)


def rows_for(results: Results) -> tuple[Row, ...]:
    """The rows of the backend the run used (a run is on one backend)."""
    backends = {r.get("backend", "sqlite") for r in results.values()}
    return PG_ROWS if backends == {"postgresql"} else ROWS


def _fmt(value: float, kind: str) -> str:
    if kind == "rate":
        return f"{value:,.0f}"
    if kind == "seconds":
        return f"{value:.3f}" if value < 10 else f"{value:.1f}"
    if kind == "ratio":
        return f"{value:.2f}×"
    if kind in ("load", "ratio_plain"):
        return f"{value:.1f}"
    return f"{value:,.0f}"


def figures(results: Results) -> dict[str, dict[str, float]]:
    """Row key -> size -> value."""
    return {row.key: {size: row.value(r) for size, r in results.items()} for row in rows_for(results)}


def goals(results: Results) -> list[dict[str, Any]]:
    """The issue's goals, each with the figure it is judged on and whether it is met."""
    f = figures(results)
    sizes = sorted(results, key=int)
    small, large = sizes[0], sizes[-1]
    checks = _pg_checks(f, small, large) if rows_for(results) is PG_ROWS else _sqlite_checks(f, small, large)
    out = []
    for key, text, value, op, limit in checks:
        met = {">=": value >= limit, "<=": value <= limit, "<": value < limit}[op]
        out.append({"key": key, "goal": text, "value": value, "limit": limit, "met": bool(met)})
    return out


Check = tuple[str, str, float, str, float]


def _page_checks(f: dict[str, dict[str, float]], small: str, large: str, suffix: str = "") -> list[Check]:
    """Every page's first open and rerun at the largest size ≤ 1.5 × at the smallest, RSS, load."""
    return [
        *((f"{kind}_{page}{suffix}", f"({kind}) {page} at {int(large):,} ≤ 1.5 × at {int(small):,}",
           f[f"{kind}_{page}{suffix}"][large] / f[f"{kind}_{page}{suffix}"][small], "<=", 1.5)
          for kind in ("g", "h") for page in PAGE_NAMES),
        (f"rss_all_pages{suffix}", f"peak RSS after every page at {int(large):,} < 800 MB",
         f[f"rss_all_pages{suffix}"][large], "<", 800.0),
        (f"load_p95{suffix}", f"p95 rerun under load at {int(large):,} ≤ 2 s", f[f"load_p95{suffix}"][large],
         "<=", 2.0),
    ]


def _pg_checks(f: dict[str, dict[str, float]], small: str, large: str) -> list[Check]:
    return [
        ("a_vs_floor_pg", "(a) on PostgreSQL ≥ 0.5 × psycopg's INSERT + COMMIT floor, at every size",
         min(f["a_vs_floor_pg"].values()), ">=", 0.5),
        ("a_round_trips_pg", "(a) on PostgreSQL in at most 3 round trips per append, at every size",
         max(f["a_round_trips_pg"].values()), "<=", 3.0),
        *_page_checks(f, small, large, "_pg"),
    ]


def _sqlite_checks(f: dict[str, dict[str, float]], small: str, large: str) -> list[Check]:
    warm_ratio = f["d"][large] / f["d"][small]
    return [
        ("a_vs_floor", "(a) ≥ 0.5 × the sqlite3 floor, at every size", min(f["a_vs_floor"].values()), ">=", 0.5),
        ("a_vs_peer", "(a) ≥ 1 × the eventsourcing peer at the same durability, at every size",
         min(f["a_vs_peer"].values()), ">=", 1.0),
        ("c_vs_floor", f"(c) ≤ 2 × the SELECT floor, at {int(large):,} (fixed costs rule small sizes)",
         f["c_vs_floor"][large], "<=", 2.0),
        ("d_ratio", f"(d) warm rerun at {int(large):,} ≤ 1.5 × at {int(small):,}", warm_ratio, "<=", 1.5),
        ("e", f"(e) peak RSS at {int(large):,} < 1,500 MB", f["e"][large], "<", 1500.0),
        ("f", f"(f) cold start with a snapshot at {int(large):,} ≤ 0.15 × the SELECT floor",
         f["f"][large] / f["c_floor"][large], "<=", 0.15),
        *_page_checks(f, small, large),
    ]


def table(results: Results) -> str:
    """The Markdown table: one column per size, then the goals with met / MISSED."""
    sizes = sorted(results, key=int)
    f = figures(results)
    head = "| measure | " + " | ".join(f"{int(s):,} events" for s in sizes) + " |"
    lines = [head, "|---|" + "---:|" * len(sizes)]
    for row in rows_for(results):
        lines.append(f"| {row.label} | " + " | ".join(_fmt(f[row.key][s], row.fmt) for s in sizes) + " |")
    lines += ["", "| goal | figure | verdict |", "|---|---:|---|"]
    for g in goals(results):
        unit = {"e": " MB", "rss_all_pages": " MB", "rss_all_pages_pg": " MB", "load_p95": " s",
                "load_p95_pg": " s", "a_round_trips_pg": ""}.get(g["key"], "×")
        lines.append(f"| {g['goal']} | {g['value']:,.2f}{unit} | {'met' if g['met'] else 'MISSED'} |")
    return "\n".join(lines)


def notes(results: Results, settings: Any) -> str:
    """What the table's figures are exactly: the caveats a reader needs to compare them."""
    first = results[sorted(results, key=int)[0]]
    load = (f"- load: {settings.load_sessions} websocket clients (threads of the bench process) on one "
            f"`streamlit run dashboard/server.py` on loopback, each alternating the overview and the Gantt "
            f"(rerun_script, wait for script_finished) for {settings.load_seconds:g} s; p95 over every rerun; "
            "the health endpoint's slowest answer meanwhile is `load.health_max_seconds` in the JSON.")
    if first.get("backend") == "postgresql":
        server = first["appends"]["server"]
        return "\n".join([
            (f"- PostgreSQL {server['version']} started by the bench on loopback, fsync={server['fsync']}, "
             f"synchronous_commit={server['synchronous_commit']}."),
            (f"- (a) on PostgreSQL is a sample of {settings.sample:,} single appends interleaved in {settings.rounds} "
             "rounds with the floor, which appends the same stored rows with psycopg (one INSERT, one COMMIT) to a "
             "table of the same shape pre-filled with the same rows. Round trips are counted in a libpq trace of "
             "20 further appends (ReadyForQuery messages), the pool's first connection excluded."),
            load,
        ])
    app_modes = sorted({r["app"]["mode"] for r in results.values()})
    sync = {0: "OFF", 1: "NORMAL", 2: "FULL", 3: "EXTRA"}.get(first["appends"]["synchronous"], "?")
    return "\n".join([
        f"- (a) is a sample of {settings.sample:,} single appends on top of a store of the given size, interleaved "
        f"in {settings.rounds} rounds with the floor and the peer, which append the same stored rows to tables "
        f"pre-filled with the same rows. All three on SQLite files in WAL mode, synchronous={sync} (the default).",
        f"- (b) is EventStore.append_many in batches of {settings.batch:,} events (one transaction each), validation "
        "and hash chain included, generator time excluded (import_lines is not used: it holds a whole file in one "
        "transaction).",
        "- (c) is a fresh Projector: catch_up over the whole log, then every frame one overview run reads; it and "
        "its floor run in a warmed process (one untimed pass over a 300-event store first).",
        f"- (d) ran under {' and '.join(app_modes)}; the cold run folds the whole log; each of the 5 warm runs "
        "follows one new event of the generator's mix (mostly participation reports) appended through the store.",
        load,
        f"- plan: {first['fill']['plan_source']} (plan {first['fill']['plan_id']}); generator seed {settings.seed}.",
    ])


def _meminfo_gb() -> float:
    try:
        with open("/proc/meminfo") as handle:
            for line in handle:
                if line.startswith("MemTotal:"):
                    return int(line.split()[1]) * 1024 / 1e9
    except OSError:
        pass
    return 0.0


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _version(name: str) -> str:
    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def machine() -> dict[str, Any]:
    return {
        "cores": os.cpu_count(), "memory_gb": round(_meminfo_gb(), 1), "cpu": _cpu_model(),
        "os": platform.platform(), "python": platform.python_version(), "sqlite": sqlite3.sqlite_version,
        "pandas": _version("pandas"), "streamlit": _version("streamlit"), "sqlalchemy": _version("sqlalchemy"),
        "eventsourcing": _version("eventsourcing"),
    }


def machine_line(m: dict[str, Any]) -> str:
    return (f"{m['cores']} cores ({m['cpu']}), {m['memory_gb']} GB memory, {m['os']}; Python {m['python']}, "
            f"SQLite {m['sqlite']}, pandas {m['pandas']}, Streamlit {m['streamlit']}, "
            f"SQLAlchemy {m['sqlalchemy']}, eventsourcing {m['eventsourcing']}")
