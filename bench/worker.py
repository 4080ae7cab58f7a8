"""One phase of the bench in its own process: ``python -m bench.worker PHASE JSON-ARGS``.

Each phase runs in a fresh interpreter so that its peak resident memory (ru_maxrss is a
high-water mark for the whole process) is its own, and so that one size's caches, page cache
warm-up in Python objects, or Streamlit's cached board never flatter the next measurement.
The result is printed on stdout as one line: ``RESULT_MARK`` followed by JSON.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

RESULT_MARK = "@@bench-result@@ "


def _run(phase: str, args: dict[str, Any]) -> dict[str, Any]:
    if phase == "fill":
        from bench.fill import fill

        r = fill(args["url"], args["events"], seed=args["seed"], batch=args["batch"])
        return {"events": r.events, "appended": r.appended, "seconds": r.seconds, "rate": r.rate,
                "batch": r.batch, "cpu_seconds": r.cpu_seconds, "plan_id": r.plan_id, "plan_source": r.plan_source}
    if phase == "rebuild":
        from bench.measures.projection import rebuild

        return rebuild(args["url"])
    if phase == "select_floor":
        from bench.measures.projection import select_floor

        return select_floor(args["url"], warm=True)
    if phase == "app":
        from bench.measures.app import rerun

        return rerun(args["url"])
    if phase == "snapshot":
        from bench.measures.pages import take_snapshot

        return take_snapshot(args["url"])
    if phase == "cold_start":
        from bench.measures.pages import cold_start

        return cold_start(args["url"], args["snapshot"])
    if phase == "pages":
        from bench.measures.pages import every_page

        return every_page(args["url"])
    if phase == "appends":
        from bench.measures.appends import side_by_side

        return side_by_side(args["url"], Path(args["workdir"]), args["sample"], args["seed"], args["rounds"])
    if phase == "appends_pg":
        from bench.measures.postgres import side_by_side as side_by_side_pg

        return side_by_side_pg(args["url"], args["sample"], args["seed"], args["rounds"])
    if phase == "load":
        from bench.measures.load import under_load

        return under_load(args["url"], args["seconds"], args["sessions"], Path(args["log"]))
    raise SystemExit(f"unknown phase {phase}")


def peak_rss_mb() -> float:
    """This process's peak resident set size in MB (10^6 bytes); Linux reports KiB."""
    kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kib * 1024 / 1e6 if sys.platform != "darwin" else kib / 1e6


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    phase, args = argv[0], json.loads(argv[1])
    load_before = os.getloadavg()[0]
    cpu = time.process_time()
    result = _run(phase, args)
    result["process_cpu_seconds"] = time.process_time() - cpu
    result["load_before"], result["load_after"] = load_before, os.getloadavg()[0]
    result["peak_rss_mb"] = peak_rss_mb()
    print(RESULT_MARK + json.dumps(result, ensure_ascii=False), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
