"""Real servers on loopback for the end-to-end runs: uvicorn (ASGI) and waitress (WSGI), each in a thread."""

from __future__ import annotations

import contextlib
import http.client
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sdk_sandbox.runner import BackgroundServer, bind


@contextmanager
def uvicorn_server(app: Any, lifespan: str = "on") -> Iterator[int]:
    """`app` under uvicorn on a free loopback port (`lifespan="off"` for Django); yields the port."""
    sock = bind()
    with BackgroundServer([(app, sock)], lifespan=lifespan):
        yield sock.getsockname()[1]


@contextmanager
def waitress_server(app: Any) -> Iterator[int]:
    """`app` under waitress (WSGI) on a free loopback port; yields the port."""
    from waitress.server import create_server

    sock = bind()
    server = create_server(app, sockets=[sock], threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield sock.getsockname()[1]
    finally:
        # Close every channel from inside waitress's own loop thread (closing sockets from here races its poll),
        # after which the loop finds its map empty and returns.
        def stop() -> None:
            server.task_dispatcher.shutdown()
            for channel in list(server._map.values()):
                channel.close()

        if thread.is_alive():
            with contextlib.suppress(OSError):  # the loop already closed its trigger on its way out
                server.trigger.pull_trigger(stop)
        thread.join(timeout=5)
        assert not thread.is_alive(), "waitress did not stop"


def raw_get(
    port: int, path: str, headers: Sequence[tuple[str, str]] = (), method: str = "GET"
) -> tuple[int, Any, bytes]:
    """Send `path` exactly as given (no client-side normalisation of dot segments or escapes)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.putrequest(method, path, skip_accept_encoding=True)
        for name, value in headers:
            connection.putheader(name, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.msg, response.read()  # `msg`: headers, looked up case-insensitively
    finally:
        connection.close()
