"""Markdown in a plan's text stays text in Chromium: no image fetched, no link made.

A plan whose title and an activity's title carry an image ``![x](…/p.png)`` and a link
``[点我](…/x)`` to a local HTTP server (which records every request) is imported; the overview,
the Gantt and the projector are opened in the real browser. Rendered as markdown, the image would
be fetched from that server and the link would become an ``<a>``.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from seed.cli import DEFAULT_PLAN, read_and_parse
from seed.importer import import_plan
from store.log import EventStore
from tests.browser.conftest import Server, _free_port, wait_ready


class Trap:
    """An HTTP server on loopback that answers 404 and remembers every path asked of it."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.requests: list[str] = []
        trap = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                trap.requests.append(self.path)
                self.send_response(404)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def trap() -> Iterator[Trap]:
    server = Trap()
    yield server
    server.close()


def hostile(port: int) -> str:
    return f"![x](http://127.0.0.1:{port}/p.png)[点我](http://127.0.0.1:{port}/x)"


@pytest.fixture
def injected_server(tmp_path: Path, trap: Trap, chromium: str) -> Iterator[Server]:
    parsed, sha = read_and_parse(DEFAULT_PLAN, None)
    parsed["plan"]["title"] = "方案" + hostile(trap.port)
    parsed["activities"][0]["title"] = "活动" + hostile(trap.port)
    url = f"sqlite:///{tmp_path / 'injected.db'}"
    store = EventStore(url)
    store.init()
    import_plan(store, parsed, source=DEFAULT_PLAN.name, sha256=sha)
    store.close()
    server = Server(url)
    yield server
    server.stop()


@pytest.mark.parametrize("path", ["/?as_of=2022-06-30", "/gantt?as_of=2022-06-30", "/?as_of=2022-06-30&present=1"])
def test_markdown_in_plan_text_is_shown_as_written(page, injected_server, trap, path):
    page.goto(injected_server.base + path)
    wait_ready(page)
    page.wait_for_timeout(1500)
    address = f"127.0.0.1:{trap.port}"
    assert trap.requests == []
    assert page.locator(f'a[href*="{address}"]').count() == 0
    assert page.locator(f'img[src*="{address}"]').count() == 0
    # plain() puts a zero-width space inside "://" to stop GFM's bare-URL links; it is not seen.
    text = page.locator("body").inner_text().replace("\u200b", "")
    if "gantt" not in path:
        assert "方案" + hostile(trap.port) in text
