"""``load_p95`` and ``load_reruns_per_s``: many sessions rerunning pages on one server at once.

A real ``streamlit run dashboard/server.py`` (as ``make run`` serves it) on loopback, and
``sessions`` websocket clients in threads of the bench process, each speaking the frontend's
protocol: a ``rerun_script`` BackMsg for the overview, then for the Gantt, back to back, each
waiting for the server's ``script_finished`` before asking again. A rerun's time is from the
request to that message: what a user waits for, queueing included. Beside them, the health
endpoint is asked every half second (how long a load balancer's check waits). AppTest threads cannot stand in
here: AppTest swaps one process-wide Runtime per run, so concurrent runs break each other.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

from store import config

ROOT = Path(__file__).resolve().parents[2]
LOAD_PAGES = ("overview", "gantt")   # the pages each session alternates (the default page is the overview)
FINISHED = {"FINISHED_SUCCESSFULLY", "FINISHED_WITH_COMPILE_ERROR"}
START_TIMEOUT = 120.0
RERUN_TIMEOUT = 600.0
HEALTH_EVERY = 0.5


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """The dashboard in its own process on a free loopback port, on the bench's store."""

    def __init__(self, url: str, log: Path) -> None:
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, config.DB_ENV: url, config.SNAPSHOT_EVERY_ENV: "0"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "server.py"),
             "--server.port", str(self.port), "--server.address", "127.0.0.1", "--server.headless", "true",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=ROOT, env=env, stdout=log.open("w"), stderr=subprocess.STDOUT)
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.base}/_stcore/health", timeout=2)
                return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"streamlit did not start: {log.read_text()[-2000:]}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


class Session:
    """One browser tab's websocket: ask for a page, wait until its script finished."""

    def __init__(self, base: str) -> None:
        from websockets.sync.client import connect

        self.ws = connect(base.replace("http://", "ws://") + "/_stcore/stream", subprotocols=["streamlit"],
                          origin=base, open_timeout=60, max_size=None)
        self.pages: dict[str, str] = {}

    def rerun(self, page_hash: str = "") -> float:
        """Seconds from the request to ``script_finished``; learns the pages' hashes on the way."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

        request = BackMsg()
        request.rerun_script.query_string = ""
        request.rerun_script.page_script_hash = page_hash
        started = time.perf_counter()
        self.ws.send(request.SerializeToString())
        while True:
            message = ForwardMsg()
            message.ParseFromString(self.ws.recv(timeout=RERUN_TIMEOUT))
            kind = message.WhichOneof("type")
            if kind == "navigation":
                self.pages = {"overview" if p.is_default else p.url_pathname: p.page_script_hash
                              for p in message.navigation.app_pages}
            elif kind == "script_finished":
                status = ForwardMsg.ScriptFinishedStatus.Name(message.script_finished)
                if status in FINISHED:
                    return time.perf_counter() - started

    def close(self) -> None:
        self.ws.close()


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def _session_loop(base: str, pages: list[str], until: float, times: list[float], errors: list[str]) -> None:
    try:
        session = Session(base)
        try:
            turn = 0
            while time.monotonic() < until:
                times.append(session.rerun(pages[turn % len(pages)]))
                turn += 1
        finally:
            session.close()
    except Exception as exc:  # noqa: BLE001 -- a failed session is reported, not hidden: the figure would flatter
        errors.append(f"{type(exc).__name__}: {exc}"[:300])


def _health_loop(base: str, until: float, latencies: list[float]) -> None:
    """The health endpoint's answer time while the sessions run (a load balancer's view)."""
    while time.monotonic() < until:
        started = time.perf_counter()
        try:
            urllib.request.urlopen(f"{base}/_stcore/health", timeout=60).read()
        except OSError:
            latencies.append(float("inf"))
        else:
            latencies.append(time.perf_counter() - started)
        time.sleep(HEALTH_EVERY)


def under_load(url: str, seconds: float, sessions: int, log: Path) -> dict[str, Any]:
    """``sessions`` clients alternating overview and Gantt for ``seconds``; p95 and reruns per second."""
    server = Server(url, log)
    try:
        warm = Session(server.base)
        try:
            first = warm.rerun()   # the server folds its board once, untimed
            pages = [warm.pages[name] for name in LOAD_PAGES]
            for page in pages:
                warm.rerun(page)
        finally:
            warm.close()
        times: list[float] = []
        errors: list[str] = []
        started = time.monotonic()
        until = started + seconds
        health: list[float] = []
        threads = [threading.Thread(target=_session_loop, args=(server.base, pages, until, times, errors))
                   for _ in range(sessions)]
        threads.append(threading.Thread(target=_health_loop, args=(server.base, until, health)))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
    finally:
        server.stop()
    if errors or not times:
        raise RuntimeError(f"{len(errors)} of {sessions} sessions failed: {errors[:3]}")
    return {"p95_seconds": _percentile(times, 0.95), "median_seconds": _percentile(times, 0.5),
            "max_seconds": max(times), "reruns": len(times), "elapsed_seconds": elapsed,
            "reruns_per_s": len(times) / elapsed, "sessions": sessions, "load_seconds": seconds,
            "first_run_seconds": first, "pages": list(LOAD_PAGES),
            "health_max_seconds": max(health, default=0.0), "health_p95_seconds": _percentile(health, 0.95)}
