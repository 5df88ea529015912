"""The shared delivery module (`sdk_sandbox.delivery`): loopback targets only unless `--allow-remote`, retries on
the sandbox clock, and workers that stop when the app closes."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from sdk_sandbox.delivery import REMOTE_REFUSED, is_loopback, refusal, retry_at
from sdk_sandbox.runner import BackgroundServer, bind, url_of
from sdk_sandbox.stripe import build_stripe_app
from sdk_sandbox.stripe.state import state_of as stripe_state

REMOTE_URL = "http://192.0.2.10/hook"  # TEST-NET-1: refused before any connection is tried


def _stripe_post(sandbox: Any, path: str, data: dict[str, str]) -> dict[str, Any]:
    response = httpx.post(f"{sandbox.url}{path}", data=data, headers={"Authorization": f"Bearer {sandbox.api_key}"})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _wait_until_settled(sandbox: Any, timeout: float = 20.0) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while True:
        rows: list[dict[str, Any]] = sandbox.deliveries()
        if rows and all(row["status"] != "pending" for row in rows):
            return rows
        if time.monotonic() > deadline:
            raise AssertionError(f"deliveries still pending: {rows}")
        time.sleep(0.02)


@pytest.fixture
def flaky_receiver() -> Iterator[tuple[str, list[int]]]:
    """A loopback receiver answering 500 to the first POST and 200 to the others; the statuses it gave."""
    given: list[int] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            status = 500 if not given else 200
            given.append(status)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", given
    finally:
        server.shutdown()
        server.server_close()


def test_targets_and_schedule() -> None:
    assert is_loopback("http://127.0.0.1:9/x") and is_loopback("http://localhost/x") and is_loopback("http://[::1]/")
    assert not is_loopback(REMOTE_URL) and not is_loopback("http://example.com/")
    assert refusal(REMOTE_URL, allow_remote=False) == REMOTE_REFUSED
    assert refusal(REMOTE_URL, allow_remote=True) is None
    assert refusal("ftp://127.0.0.1/x", allow_remote=True) == "not an http(s) URL"
    assert retry_at(100.0, [5, 60], 1) == 105.0 and retry_at(100.0, [5, 60], 2) == 160.0
    assert retry_at(100.0, [5, 60], 3) is None


def test_stripe_refuses_a_remote_endpoint_without_allow_remote(stripe_sandbox: Any) -> None:
    _stripe_post(stripe_sandbox, "/v1/webhook_endpoints", {"url": REMOTE_URL, "enabled_events[0]": "*"})
    _stripe_post(stripe_sandbox, "/v1/customers", {"email": "far@example.com"})
    [row] = _wait_until_settled(stripe_sandbox)
    assert (row["status"], row["last_error"], row["attempts"]) == ("failed", REMOTE_REFUSED, 1)


def test_stripe_retries_on_the_sandbox_clock(stripe_sandbox: Any, flaky_receiver: tuple[str, list[int]]) -> None:
    url, given = flaky_receiver
    stripe_sandbox.delivery_settings(retry_delays=[600])  # ten minutes of sandbox time before the retry
    _stripe_post(stripe_sandbox, "/v1/webhook_endpoints", {"url": url, "enabled_events[0]": "customer.created"})
    _stripe_post(stripe_sandbox, "/v1/customers", {"email": "retry@example.com"})
    deadline = time.monotonic() + 20
    while not given:
        assert time.monotonic() < deadline, "the first attempt never came"
        time.sleep(0.02)
    [row] = stripe_sandbox.deliveries()
    assert row["status"] == "pending" and given == [500]  # the retry waits for the sandbox clock, not the wall
    stripe_sandbox.advance(seconds=600)
    [row] = _wait_until_settled(stripe_sandbox)
    assert (row["status"], row["attempts"], given) == ("succeeded", 2, [500, 200])


def test_closing_the_app_stops_its_delivery_worker() -> None:
    app = build_stripe_app()
    sock = bind()
    app.root_url = url_of(sock)
    server = BackgroundServer([(app, sock)])
    server.start()
    key = next(iter(app.api_keys))
    response = httpx.post(
        f"{url_of(sock)}/v1/webhook_endpoints",
        data={"url": "http://127.0.0.1:9/none", "enabled_events[0]": "*"},
        headers={"Authorization": f"Bearer {key}"},
    )
    assert response.status_code == 200
    httpx.post(
        f"{url_of(sock)}/v1/customers", data={"email": "w@example.com"}, headers={"Authorization": f"Bearer {key}"}
    )
    worker = stripe_state(app).worker
    assert worker is not None and worker.running
    server.stop()  # the runner closes the app
    assert not worker.running and stripe_state(app).worker is None


def test_loops_refuses_a_remote_webhook_without_allow_remote(loops_sandbox: Any) -> None:
    loops_sandbox.set_webhook(REMOTE_URL)
    loops_sandbox.send_webhook_event("email.opened", email="ada@example.com")
    deadline = time.monotonic() + 20
    while not (rows := loops_sandbox.webhook_deliveries()):
        assert time.monotonic() < deadline, "no delivery recorded"
        time.sleep(0.02)
    assert rows[0]["status"] is None and rows[0]["error"] == REMOTE_REFUSED
