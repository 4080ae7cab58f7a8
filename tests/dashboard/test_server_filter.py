"""dashboard/server.py's middleware: a client's clear_cache never reaches Streamlit; everything else does.

Streamlit 1.67 has no setting to refuse BackMsg.clear_cache (any client may send it, and it clears
every cache of the process for every user), so the ASGI app make run serves drops it on the websocket.
"""

from __future__ import annotations

import asyncio
import threading

from streamlit.proto.BackMsg_pb2 import BackMsg

from dashboard.server import STREAM_PATH, RefuseCacheClear


def frame(kind: str) -> bytes:
    message = BackMsg()
    if kind == "clear_cache":
        message.clear_cache = True
    else:
        message.rerun_script.query_string = "as_of=2022-09-28"
    return message.SerializeToString()


def passed_through(path: str, frames: list[bytes]) -> list[bytes]:
    seen: list[bytes] = []

    async def app(scope, receive, send):
        while True:
            message = await receive()
            if message["type"] != "websocket.receive":
                return
            seen.append(message["bytes"])

    incoming = [{"type": "websocket.receive", "bytes": f} for f in frames] + [{"type": "websocket.disconnect"}]

    async def receive():
        return incoming.pop(0)

    async def send(message):
        pass

    # A thread of its own: a browser test earlier in the process may have left its event loop running here.
    worker = threading.Thread(target=asyncio.run,
                              args=(RefuseCacheClear(app)({"type": "websocket", "path": path}, receive, send),))
    worker.start()
    worker.join(timeout=30)
    return seen


def test_clear_cache_is_dropped_and_reruns_pass():
    frames = [frame("rerun"), frame("clear_cache"), frame("rerun"), frame("clear_cache")]
    assert passed_through(STREAM_PATH, frames) == [frame("rerun"), frame("rerun")]


def test_other_paths_and_junk_frames_pass_untouched():
    assert passed_through("/other", [frame("clear_cache")]) == [frame("clear_cache")]
    assert passed_through(STREAM_PATH, [b"\xff\x00junk"]) == [b"\xff\x00junk"]


def test_importing_the_server_does_not_switch_logins_to_cookies():
    """Only a serving app mounts the cookie routes; a test process that imports the module must not redirect."""
    from dashboard.access import cookie

    assert cookie.routes_mounted is False
