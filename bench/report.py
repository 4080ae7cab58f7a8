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
PAGE_NAMES = ("overview", "gantt", "timeline", "workload", "selfcheck", "log")   # bench.pages.PAGES


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
    Row("load", "machine load average (1 min) when (c) started", lambda r: r["rebuild"]["load_before"], "load"),
)
ROW_KEYS = tuple(row.key for row in ROWS)


def _fmt(value: float, kind: str) -> str:
    if kind == "rate":
        return f"{value:,.0f}"
    if kind == "seconds":
        return f"{value:.3f}" if value < 10 else f"{value:.1f}"
    if kind == "ratio":
        return f"{value:.2f}×"
    if kind == "load":
        return f"{value:.1f}"
    return f"{value:,.0f}"


def figures(results: Results) -> dict[str, dict[str, float]]:
    """Row key -> size -> value."""
    return {row.key: {size: row.value(r) for size, r in results.items()} for row in ROWS}


def goals(results: Results) -> list[dict[str, Any]]:
    """The issue's goals, each with the figure it is judged on and whether it is met."""
    f = figures(results)
    sizes = sorted(results, key=int)
    small, large = sizes[0], sizes[-1]
    warm_ratio = f["d"][large] / f["d"][small]
    checks = [
        ("a_vs_floor", "(a) ≥ 0.5 × the sqlite3 floor, at every size", min(f["a_vs_floor"].values()), ">=", 0.5),
        ("a_vs_peer", "(a) ≥ 1 × the eventsourcing peer at the same durability, at every size",
         min(f["a_vs_peer"].values()), ">=", 1.0),
        ("c_vs_floor", f"(c) ≤ 2 × the SELECT floor, at {int(large):,} (fixed costs rule small sizes)",
         f["c_vs_floor"][large], "<=", 2.0),
        ("d_ratio", f"(d) warm rerun at {int(large):,} ≤ 1.5 × at {int(small):,}", warm_ratio, "<=", 1.5),
        ("e", f"(e) peak RSS at {int(large):,} < 1,500 MB", f["e"][large], "<", 1500.0),
        ("f", f"(f) cold start with a snapshot at {int(large):,} ≤ 0.15 × the SELECT floor",
         f["f"][large] / f["c_floor"][large], "<=", 0.15),
        *((f"{kind}_{page}", f"({kind}) {page} at {int(large):,} ≤ 1.5 × at {int(small):,}",
           f[f"{kind}_{page}"][large] / f[f"{kind}_{page}"][small], "<=", 1.5)
          for kind in ("g", "h") for page in PAGE_NAMES),
        ("rss_all_pages", f"peak RSS after every page at {int(large):,} < 800 MB", f["rss_all_pages"][large],
         "<", 800.0),
    ]
    out = []
    for key, text, value, op, limit in checks:
        met = {">=": value >= limit, "<=": value <= limit, "<": value < limit}[op]
        out.append({"key": key, "goal": text, "value": value, "limit": limit, "met": bool(met)})
    return out


def table(results: Results) -> str:
    """The Markdown table: one column per size, then the goals with met / MISSED."""
    sizes = sorted(results, key=int)
    f = figures(results)
    head = "| measure | " + " | ".join(f"{int(s):,} events" for s in sizes) + " |"
    lines = [head, "|---|" + "---:|" * len(sizes)]
    for row in ROWS:
        lines.append(f"| {row.label} | " + " | ".join(_fmt(f[row.key][s], row.fmt) for s in sizes) + " |")
    lines += ["", "| goal | figure | verdict |", "|---|---:|---|"]
    for g in goals(results):
        unit = " MB" if g["key"] in ("e", "rss_all_pages") else "×"
        lines.append(f"| {g['goal']} | {g['value']:,.2f}{unit} | {'met' if g['met'] else 'MISSED'} |")
    return "\n".join(lines)


def notes(results: Results, settings: Any) -> str:
    """What the table's figures are exactly: the caveats a reader needs to compare them."""
    first = results[sorted(results, key=int)[0]]
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
