"""A webhook endpoint for tests: a threaded HTTP server on a free loopback port that records every request."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks import Webhook

from sdk_sandbox.runner import bind, url_of


class Receiver:
    """A webhook endpoint on a free loopback port: records every request; answers the scripted statuses first."""

    def __init__(self) -> None:
        self.requests: list[tuple[dict[str, str], bytes]] = []
        self.statuses: list[int] = []
        self.hold = threading.Event()
        self.hold.set()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["content-length"]))
                receiver.hold.wait(timeout=10)
                receiver.requests.append(({k.lower(): v for k, v in self.headers.items()}, body))
                status = receiver.statuses.pop(0) if receiver.statuses else 204
                self.send_response(status)
                self.send_header("content-length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                """Quiet."""

        sock = bind()
        self.url = url_of(sock) + "/webhooks/loops"
        self.server = ThreadingHTTPServer(sock.getsockname()[:2], Handler, bind_and_activate=False)
        self.server.socket.close()
        self.server.socket = sock
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def verified(self, secret: str) -> list[tuple[str, dict[str, Any]]]:
        """`(webhook-id, payload)` of every request, each checked by the Standard Webhooks library."""
        return [(headers["webhook-id"], Webhook(secret).verify(body, headers)) for headers, body in self.requests]

    def close(self) -> None:
        self.hold.set()
        self.server.shutdown()
        self.server.server_close()
