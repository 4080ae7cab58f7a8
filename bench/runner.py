"""Run every phase for every size, each in its own process, and collect the figures.

Order per size: fill the store (b), rebuild the projection (c) and its SELECT floor, the app's
cold and warm runs (d, which adds one event), the cold start without and with a snapshot (f), every
page's first open and rerun (g, h, which add one event each), the load run (20 sessions on a real
server), then the single-append sample (a) with its floor and peer (which adds ``sample`` events).
On PostgreSQL (``backend``) the bench starts its own server and runs fill, (c), (g, h), load and (a)
against psycopg's INSERT + COMMIT floor on it. Each later phase sees a slightly larger store than N;
the difference (1 + sample events) is at most 0.2 % at the sizes that matter and is recorded.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.worker import RESULT_MARK

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Settings:
    sizes: tuple[int, ...]
    seed: int = 2022
    sample: int = 2_000
    rounds: int = 4
    batch: int = 5_000
    workdir: Path = Path("/tmp")
    backend: str = "sqlite"          # or "postgresql": a server the bench starts on loopback
    load_seconds: float = 60.0
    load_sessions: int = 20


class PhaseFailed(RuntimeError):
    pass


def run_phase(phase: str, args: dict[str, Any], log: Any = None) -> dict[str, Any]:
    """Run one phase in a fresh interpreter (cwd = the repo) and return its JSON result.

    ``log`` defaults to the stderr of the moment (not of import time: pytest swaps it per test)."""
    log = log or sys.stderr
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "bench.worker", phase, json.dumps(args)], check=False,
                          cwd=ROOT, capture_output=True, text=True)
    lines = [line for line in done.stdout.splitlines() if line.startswith(RESULT_MARK)]
    if done.returncode != 0 or not lines:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
        raise PhaseFailed(f"phase {phase} failed (exit {done.returncode}):\n{tail}")
    result = json.loads(lines[-1][len(RESULT_MARK):])
    result["wall_seconds"] = time.perf_counter() - started
    print(f"[bench]   {phase}: {result['wall_seconds']:.1f} s wall, peak RSS {result['peak_rss_mb']:.0f} MB",
          file=log, flush=True)
    if result.get("fallback_reason"):
        print(f"[bench]   {phase}: AppTest could not run, timed the Board instead: {result['fallback_reason']}",
              file=log, flush=True)
    return result


def _folder(size: int, settings: Settings) -> Path:
    folder = settings.workdir / f"size-{size}"
    if folder.exists():
        raise SystemExit(f"{folder} exists: give --workdir an empty folder (the bench never reuses a store)")
    folder.mkdir(parents=True)
    return folder


def _load(url: str, folder: Path, settings: Settings, log: Any) -> dict[str, Any]:
    return run_phase("load", {"url": url, "seconds": settings.load_seconds, "sessions": settings.load_sessions,
                              "log": str(folder / "streamlit-load.log")}, log)


def run_size_pg(size: int, settings: Settings, server: Any, log: Any = None) -> dict[str, Any]:
    """The append and page figures on a fresh database of the bench's own PostgreSQL server."""
    from store import pgserver

    log = log or sys.stderr
    folder = _folder(size, settings)
    url = pgserver.create_database(server, f"bench{size}")
    print(f"[bench] {size:,} events on PostgreSQL ({url})", file=log, flush=True)
    common = {"url": url, "seed": settings.seed}
    results = {
        "backend": "postgresql",
        "fill": run_phase("fill", {**common, "events": size, "batch": settings.batch}, log),
        "rebuild": run_phase("rebuild", common, log),
        "pages": run_phase("pages", common, log),
        "load": _load(url, folder, settings, log),
        "appends": run_phase("appends_pg", {**common, "sample": settings.sample, "rounds": settings.rounds}, log),
    }
    results["size"] = size
    return results


def run_size(size: int, settings: Settings, log: Any = None) -> dict[str, Any]:
    log = log or sys.stderr
    folder = _folder(size, settings)
    url = f"sqlite:///{folder / 'events.db'}"
    print(f"[bench] {size:,} events in {folder}", file=log, flush=True)
    common = {"url": url, "seed": settings.seed}
    results = {
        "fill": run_phase("fill", {**common, "events": size, "batch": settings.batch}, log),
        "rebuild": run_phase("rebuild", common, log),
        "select_floor": run_phase("select_floor", common, log),
        "app": run_phase("app", common, log),
        "cold_no_snapshot": run_phase("cold_start", {**common, "snapshot": False}, log),
        "snapshot": run_phase("snapshot", common, log),
        "cold": run_phase("cold_start", {**common, "snapshot": True}, log),
        "pages": run_phase("pages", common, log),
        "load": _load(url, folder, settings, log),
        "appends": run_phase("appends", {**common, "workdir": str(folder), "sample": settings.sample,
                                         "rounds": settings.rounds}, log),
    }
    results["backend"] = "sqlite"
    results["size"] = size
    return results


def run_all(settings: Settings, log: Any = None) -> dict[str, dict[str, Any]]:
    if settings.backend == "sqlite":
        return {str(size): run_size(size, settings, log) for size in settings.sizes}
    from store import pgserver

    with pgserver.postgres_server(pgserver.DURABLE) as server:
        return {str(size): run_size_pg(size, settings, server, log) for size in settings.sizes}
