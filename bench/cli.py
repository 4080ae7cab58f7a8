"""`python -m bench [--sizes 1000,100000,1000000] [--json FILE]` and `python -m bench fill --db URL --events N`.

The table goes to stdout (Markdown, ready for the README); progress goes to stderr. Stores are
made in a scratch folder that is removed afterwards unless ``--keep`` (or ``--workdir``) is given.
"""

from __future__ import annotations

import argparse
import json
import shlex
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench.fill import DEFAULT_BATCH

DEFAULT_SIZES = "1000,100000,1000000"


def _sizes(text: str) -> tuple[int, ...]:
    try:
        sizes = tuple(sorted({int(part.replace("_", "")) for part in text.split(",") if part.strip()}))
    except ValueError:
        raise argparse.ArgumentTypeError(f"sizes are whole numbers separated by commas, not {text!r}") from None
    if not sizes or min(sizes) < 100:
        raise argparse.ArgumentTypeError("every size must be at least 100 events (the plan alone is 14)")
    return sizes


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0.0
    if value <= 0:
        raise argparse.ArgumentTypeError(f"a number of seconds above 0, not {text!r}")
    return value


def _sessions(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"a whole number of sessions, at least 1, not {text!r}")
    return int(text)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bench", description="督办看板 store benchmark")
    parser.add_argument("--sizes", type=_sizes, default=_sizes(DEFAULT_SIZES),
                        help=f"store sizes in events (default {DEFAULT_SIZES})")
    parser.add_argument("--json", type=Path, help="also write every figure, the goals and the machine here")
    parser.add_argument("--seed", type=int, default=2022, help="generator seed (default 2022)")
    parser.add_argument("--sample", type=int, default=2_000, help="single appends timed for (a) (default 2000)")
    parser.add_argument("--rounds", type=int, default=4, help="rounds (a) is interleaved in (default 4)")
    parser.add_argument("--batch", type=int, default=DEFAULT_BATCH, help=f"events per append_many (default {DEFAULT_BATCH})")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite",
                        help="where the stores live: SQLite files, or a PostgreSQL server the bench starts on "
                             "loopback (keys suffixed _pg)")
    parser.add_argument("--load-seconds", type=_positive, default=60.0,
                        help="how long the load run's sessions rerun pages (default 60)")
    parser.add_argument("--load-sessions", type=_sessions, default=20, help="concurrent sessions in the load run (default 20)")
    parser.add_argument("--workdir", type=Path, help="where the stores go (kept); default a scratch folder")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    sub = parser.add_subparsers(dest="command")
    fill = sub.add_parser("fill", help="fill an empty store with the 2022 plan and N generated events")
    fill.add_argument("--db", required=True, help="database URL, e.g. sqlite:///data/trial.db")
    fill.add_argument("--events", type=int, required=True, help="events the store holds afterwards")
    fill.add_argument("--seed", type=int, default=2022)
    fill.add_argument("--batch", type=int, default=DEFAULT_BATCH)
    return parser


def cmd_fill(args: argparse.Namespace) -> int:
    from bench.fill import fill

    step = max(args.events // 20, args.batch)
    last = [0]

    def progress(head: int) -> None:
        if head - last[0] >= step:
            last[0] = head
            print(f"[bench] {head:,} / {args.events:,}", file=sys.stderr, flush=True)

    result = fill(args.db, args.events, seed=args.seed, batch=args.batch, progress=progress)
    print(f"{args.db}: {result.events:,} events ({result.appended:,} generated at {result.rate:,.0f} events/s; "
          f"plan {result.plan_id} from {result.plan_source})")
    return 0


def cmd_bench(args: argparse.Namespace, argv: list[str]) -> int:
    from bench import report
    from bench.runner import Settings, run_all

    scratch = args.workdir is None
    workdir = Path(tempfile.mkdtemp(prefix="duban-bench-")) if scratch else args.workdir
    workdir.mkdir(parents=True, exist_ok=True)
    settings = Settings(sizes=args.sizes, seed=args.seed, sample=args.sample, rounds=args.rounds,
                        batch=args.batch, workdir=workdir, backend=args.backend,
                        load_seconds=args.load_seconds, load_sessions=args.load_sessions)
    started = time.perf_counter()
    try:
        results = run_all(settings)
    finally:
        if scratch and not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    command = "python -m bench " + shlex.join(argv) if argv else "python -m bench"
    m = report.machine()
    print(report.table(results))
    print()
    print(report.notes(results, settings))
    print(f"- machine: {report.machine_line(m)}")
    print(f"- command: `{command}` ({time.perf_counter() - started:,.0f} s in all)")
    if args.json:
        args.json.write_text(json.dumps({
            "command": command, "machine": m, "settings": {
                "sizes": list(settings.sizes), "seed": settings.seed, "sample": settings.sample,
                "rounds": settings.rounds, "batch": settings.batch, "backend": settings.backend,
                "load_seconds": settings.load_seconds, "load_sessions": settings.load_sessions},
            "figures": report.figures(results), "goals": report.goals(results), "results": results,
        }, ensure_ascii=False, indent=2))
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = _parser().parse_args(argv)
    if args.command == "fill":
        return cmd_fill(args)
    return cmd_bench(args, argv)


def run() -> None:
    sys.exit(main())
