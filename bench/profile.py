"""``python -m bench.profile --db URL [--page overview] [--top 25]``: where one warm rerun's CPU goes.

The page is opened once under AppTest (the board folds the log, untimed), rerun once untimed,
then rerun under cProfile (the script's own thread, not AppTest's polling), as a second visitor's click meets a warm server; with ``--new-event``
one event is appended from outside first, as in (h). The top functions by cumulative and by own
time go to stdout; docs/bench-profile.md reads them.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import threading
from collections.abc import Callable

from bench.measures.pages import PAGES
from store import config


def _enable_in_thread(profiler: cProfile.Profile) -> Callable[..., None]:
    """A thread profile hook that hands the new thread over to ``profiler`` on its first event."""
    def start(*_args: object) -> None:
        sys.setprofile(None)
        profiler.enable()
    return start


def profile_rerun(url: str, page: str, new_event: bool, top: int) -> str:
    os.environ[config.DB_ENV] = url
    os.environ[config.SNAPSHOT_EVERY_ENV] = "0"
    from streamlit.testing.v1 import AppTest

    from bench.measures.app import APP, TIMEOUT_SECONDS, append_one, new_events

    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT_SECONDS)
    at.switch_page(PAGES[page])
    at.run()
    at.run()
    if at.exception:
        raise SystemExit(f"error: page {page} raised: {at.exception[0].message}")
    if new_event:
        append_one(url, new_events(url, 1)[0])
    profiler = cProfile.Profile()
    threading.setprofile(_enable_in_thread(profiler))   # AppTest runs the script in a thread of its own
    try:
        at.run()
    finally:
        threading.setprofile(None)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True, help="a filled store, e.g. from python -m bench fill")
    parser.add_argument("--page", choices=sorted(PAGES), default="overview")
    parser.add_argument("--new-event", action="store_true", help="append one event before the profiled rerun")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args(argv)
    print(profile_rerun(args.db, args.page, args.new_event, args.top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
