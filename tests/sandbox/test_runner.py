"""The loopback server plumbing: sockets that avoid Nagle stalls, a refusal of remote hosts, and a background server
that stops or says it could not."""

from __future__ import annotations

import asyncio
import socket
import threading
from typing import Any

import pytest

from sdk_sandbox.runner import BackgroundServer, PortInUseError, RemoteHostRefusedError, ServerStopTimeoutError, bind


def test_listening_sockets_are_tcp_with_nodelay() -> None:
    # asyncio sets TCP_NODELAY on accepted connections only when proto is IPPROTO_TCP; without it every
    # keep-alive response waited ~40 ms for a delayed ACK (measured: 22 req/s instead of ~1000).
    sock = bind()
    try:
        assert sock.proto == socket.IPPROTO_TCP
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        assert sock.getsockname()[0] == "127.0.0.1"
    finally:
        sock.close()


def test_remote_hosts_need_an_explicit_opt_in() -> None:
    with pytest.raises(RemoteHostRefusedError):
        bind("0.0.0.0")  # noqa: S104
    with pytest.raises(RemoteHostRefusedError):
        bind("192.0.2.1")


def test_a_taken_port_is_a_clear_error() -> None:
    first = bind()
    try:
        with pytest.raises(PortInUseError, match="cannot listen"):
            bind(port=first.getsockname()[1])
    finally:
        first.close()


def test_a_server_that_does_not_stop_is_a_loud_error() -> None:
    # An app whose lifespan shutdown waits for the test: uvicorn cannot finish, so stop() must say so.
    release = threading.Event()

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        assert scope["type"] == "lifespan"
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            else:
                await asyncio.to_thread(release.wait)
                await send({"type": "lifespan.shutdown.complete"})
                return

    sock = bind()
    server = BackgroundServer([(app, sock)], lifespan="on")
    server.start()
    try:
        with pytest.raises(ServerStopTimeoutError, match=r"did not stop within 0\.2 s"):
            server.stop(timeout=0.2)
        assert sock.fileno() == -1  # the socket is closed even so
    finally:
        release.set()
        server.stop()  # now it finishes


def test_a_stopped_server_leaves_no_thread() -> None:
    sock = bind()
    with BackgroundServer([(lambda *args: None, sock)], lifespan="off") as server:
        pass
    assert not server._thread.is_alive()
