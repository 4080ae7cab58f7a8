"""Run every phase for every size, each in its own process, and collect the figures.

Order per size: fill the store (b), rebuild the projection (c) and its SELECT floor, the app's
cold and warm runs (d, which adds one event), the cold start without and with a snapshot (f), every
page's first open and rerun (g, h, which add one event each), then the single-append sample (a) with its floor
and peer (which adds ``sample`` events). Each later phase sees a slightly larger store than N;
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


class PhaseFailed(RuntimeError):
    pass


def run_phase(phase: str, args: dict[str, Any], log: Any = sys.stderr) -> dict[str, Any]:
    """Run one phase in a fresh interpreter (cwd = the repo) and return its JSON result."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "bench.worker", phase, json.dumps(args)], cwd=ROOT,
                          capture_output=True, text=True)
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


def run_size(size: int, settings: Settings, log: Any = sys.stderr) -> dict[str, Any]:
    folder = settings.workdir / f"size-{size}"
    if folder.exists():
        raise SystemExit(f"{folder} exists: give --workdir an empty folder (the bench never reuses a store)")
    folder.mkdir(parents=True)
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
        "appends": run_phase("appends", {**common, "workdir": str(folder), "sample": settings.sample,
                                         "rounds": settings.rounds}, log),
    }
    results["size"] = size
    return results


def run_all(settings: Settings, log: Any = sys.stderr) -> dict[str, dict[str, Any]]:
    return {str(size): run_size(size, settings, log) for size in settings.sizes}
