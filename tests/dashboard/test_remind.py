"""催办 from cron: reminders reach a local webhook and a local SMTP server; a failing channel is kept
in the log and loses nothing else; a second run in the same cycle reminds nobody twice."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from dashboard.channels import Channels, load_channels
from dashboard.remind import run
from seed.units import load_registry
from store.log import EventStore
from store.reading.supervision import Supervision

AS_OF = dt.date(2022, 9, 28)


class _Hook(BaseHTTPRequestHandler):
    received: list[dict] = []
    status = 200

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append({"path": self.path, "body": json.loads(body)})
        self.send_response(type(self).status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"errcode":0,"errmsg":"ok"}')

    def log_message(self, *args) -> None:
        pass


def _server(status: int) -> Iterator[tuple[str, list[dict]]]:
    handler = type("Hook", (_Hook,), {"received": [], "status": status})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/cgi-bin/webhook/send?key=test", handler.received
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def hook() -> Iterator[tuple[str, list[dict]]]:
    yield from _server(200)


@pytest.fixture
def broken_hook() -> Iterator[tuple[str, list[dict]]]:
    yield from _server(500)


class _Inbox:
    def __init__(self) -> None:
        self.messages: list = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[int, _Inbox]]:
    inbox = _Inbox()
    with socket.socket() as probe:   # aiosmtpd's ready check connects to the port: it must be a real one
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, inbox
    finally:
        controller.stop()


def test_reminders_reach_the_webhook_and_mail_and_a_500_is_kept_in_the_log(demo_copy, hook, broken_hook, smtp) -> None:
    url, received = hook
    bad_url, _ = broken_hook
    port, inbox = smtp
    channels = Channels(wecom_webhook=url, dingtalk_webhook=bad_url, smtp_host="127.0.0.1", smtp_port=port,
                        smtp_from="duban@example.org", email_to={"海南州总工会": ["hainan@example.org"]})
    store = EventStore(demo_copy)
    lines = run(store, AS_OF, load_registry().groups, channels)
    reminded = [line for line in lines if " reminded" in line]
    assert reminded and any(line.startswith("2022-27 海南州总工会: ") for line in reminded)
    assert all("企业微信 ok" in line and "钉钉 failed: HTTP 500" in line for line in reminded)
    # The webhook got one text message per reminded unit, naming the unit's activities.
    assert len(received) == len(reminded)
    assert all(r["body"]["msgtype"] == "text" and "尚未报送" in r["body"]["text"]["content"] for r in received)
    # The mail reached the unit that has an address, in Chinese.
    assert [to for to, _ in inbox.messages] == [["hainan@example.org"]]
    assert "尚未报送" in inbox.messages[0][1].get_payload(decode=True).decode("utf-8")
    loop = Supervision(store)
    loop.catch_up()
    hainan = loop.reminders_of("2022-27", "海南州总工会").iloc[0]
    assert {(d["channel"], d["ok"]) for d in hainan["deliveries"]} == {("企业微信", True), ("钉钉", False), ("邮件", True)}
    assert [d["detail"] for d in hainan["failed"]] == ["HTTP 500"]
    assert store.verify().ok
    # A second run in the same cycle reminds nobody again and sends nothing.
    again = run(store, AS_OF, load_registry().groups, channels)
    assert len(received) == len(reminded) and all("skipped" in line for line in again)
    store.close()


def test_the_command_dry_run_writes_nothing_and_a_dead_webhook_is_one_line_per_unit(demo_copy) -> None:
    env = {**os.environ, "DUBAN_DB": demo_copy, "DUBAN_WECOM_WEBHOOK": "http://127.0.0.1:9/nobody-listens"}
    store = EventStore(demo_copy)
    head = store.head()
    dry = subprocess.run([sys.executable, "-m", "dashboard.remind", "--as-of", "2022-09-28", "--dry-run"],
                         capture_output=True, text=True, env=env)
    assert dry.returncode == 0 and dry.stdout and all(line.endswith("would remind") for line in dry.stdout.splitlines())
    assert store.head() == head
    done = subprocess.run([sys.executable, "-m", "dashboard.remind", "--as-of", "2022-09-28"],
                          capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert len(done.stdout.splitlines()) == len(dry.stdout.splitlines())
    assert all("企业微信 failed" in line for line in done.stdout.splitlines())
    assert store.head()[0] > head[0] and store.verify().ok
    bad = subprocess.run([sys.executable, "-m", "dashboard.remind", "--as-of", "2022-02-30"],
                         capture_output=True, text=True, env=env)
    assert bad.returncode == 2 and bad.stderr.startswith("error:") and len(bad.stderr.splitlines()) == 1
    store.close()


def test_channel_settings_come_from_env_over_secrets() -> None:
    channels = load_channels({"channels": {"wecom_webhook": "https://a", "smtp_host": "mail", "smtp_port": 2525,
                                           "email_to": {"西宁市总工会": "x@y"}}},
                             env={"DUBAN_WECOM_WEBHOOK": "https://b"})
    assert (channels.wecom_webhook, channels.smtp_port, channels.email_to) == ("https://b", 2525, {"西宁市总工会": ["x@y"]})
    assert not load_channels({}, env={}).any


def test_the_scores_page_ranks_the_units_as_the_command_does(monkeypatch, store_files) -> None:
    from store.reading.projections import Projector
    from store.reading.supervision import scores
    from tests.dashboard.apptest import open_app

    url = f"sqlite:///{store_files['demo']}"
    at = open_app(monkeypatch, url, "content/scores.py", None, {"as_of": "2022-09-30"})
    table = next(d.value for d in at.dataframe if "得分" in d.value.columns)
    store = EventStore(url)
    projector, loop = Projector(store), Supervision(store)
    projector.catch_up()
    loop.catch_up()
    expected = scores(projector, loop, "2022-27", dt.date(2022, 9, 1), dt.date(2022, 9, 30), load_registry().groups)
    store.close()
    assert table["单位"].tolist() == expected["unit"].tolist()
    assert table["得分"].tolist() == expected["score"].tolist()
    assert set(table["等级"]) <= {"红", "黄", "绿"} and table["名次"].iloc[0] == 1


@pytest.mark.parametrize("args, says", [
    (["--plan", "nope"], "没有方案 'nope'（现有方案："),
    (["--db", "garbage"], "garbage"),   # a store that cannot be opened: one line too, not a traceback
])
def test_a_refused_command_is_one_error_line(demo_copy, args, says) -> None:
    env = {**os.environ, "DUBAN_DB": demo_copy}
    done = subprocess.run([sys.executable, "-m", "dashboard.remind", "--as-of", "2022-09-28", *args],
                          capture_output=True, text=True, env=env)
    assert done.returncode == 2 and done.stdout == "" and "Traceback" not in done.stderr
    assert done.stderr.startswith("error: ") and done.stderr.count("\n") == 1 and says in done.stderr, done.stderr
