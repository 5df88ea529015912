"""Serve sandbox apps over real loopback sockets with uvicorn, in a background thread or in the foreground."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import threading
from collections.abc import Sequence
from typing import Any, Literal

import uvicorn

LOOPBACK = "127.0.0.1"


class PortInUseError(OSError):
    """The requested port is taken by another process."""


class RemoteHostRefusedError(ValueError):
    """A non-loopback host was asked for without `allow_remote`."""


class ServerStopTimeoutError(RuntimeError):
    """A background server's thread was still running when `BackgroundServer.stop` stopped waiting for it."""


def bind(host: str = LOOPBACK, port: int = 0, *, allow_remote: bool = False) -> socket.socket:
    """A listening socket on `host:port` (port 0 picks a free one); refuses non-loopback hosts unless allowed."""
    if not allow_remote and not _is_loopback(host):
        raise RemoteHostRefusedError(
            f"refusing to listen on {host}: the sandbox has no real authentication; pass --allow-remote to insist"
        )
    # proto must be IPPROTO_TCP: asyncio sets TCP_NODELAY only on accepted sockets that say so, and without it
    # every keep-alive response stalls ~40 ms on Nagle plus delayed ACK (headers and body are two writes).
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        sock.close()
        raise PortInUseError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.listen(128)
    return sock


def url_of(sock: socket.socket, base_path: str = "") -> str:
    """`http://host:port<base_path>` for a bound socket."""
    host, port = sock.getsockname()[:2]
    return f"http://{host}:{port}{base_path}"


class BackgroundServer:
    """One uvicorn server for several apps (one socket each), run in a daemon thread until `stop()`; as a context
    manager, started on entry and stopped on exit."""

    def __init__(
        self, apps: Sequence[tuple[Any, socket.socket]], lifespan: Literal["auto", "on", "off"] = "on"
    ) -> None:
        self._servers = [
            (uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan=lifespan)), sock)
            for app, sock in apps
        ]
        self._apps = [app for app, _ in apps]
        self._thread = threading.Thread(target=self._run, name="sdk-sandbox", daemon=True)
        self._loop: asyncio.AbstractEventLoop | None = None

    def start(self, timeout: float = 10.0) -> None:
        """Start serving and wait until every server accepts connections."""
        self._thread.start()
        for server, _ in self._servers:
            waited = 0.0
            while not server.started:
                if not self._thread.is_alive() or waited > timeout:
                    raise RuntimeError("sandbox server failed to start")
                threading.Event().wait(0.01)
                waited += 0.01

    def stop(self, timeout: float = 10.0) -> None:
        """Ask every server to exit, wait up to `timeout` seconds for the thread, and close every app (its
        delivery workers stop); raise `ServerStopTimeoutError` if the thread is still running then (a hung shutdown,
        or an event loop whose clock does not advance), rather than leave it behind unnoticed. The sockets are
        closed either way."""
        for server, _ in self._servers:
            server.should_exit = True
        try:
            self._thread.join(timeout=timeout)
        finally:
            for _, sock in self._servers:
                sock.close()
            for app in self._apps:  # a sandbox's delivery workers stop with it (`SandboxApp.close()`)
                close = getattr(app, "close", None)
                if callable(close):
                    close()
        if self._thread.is_alive():
            raise ServerStopTimeoutError(
                f"the sandbox server thread did not stop within {timeout:g} s: its shutdown hangs, or its event loop's"
                " clock is frozen (freeze only the clock the test needs: freezegun's `real_asyncio=True`)"
            )

    def __enter__(self) -> BackgroundServer:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def _run(self) -> None:
        asyncio.run(serve_all(self._servers))


async def serve_all(servers: Sequence[tuple[uvicorn.Server, socket.socket]]) -> None:
    """Run every server on the current event loop until all exit."""
    await asyncio.gather(*(server.serve(sockets=[sock]) for server, sock in servers))


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
