"""The shared delivery module (`sdk_sandbox.delivery`) as every sandbox uses it (Stripe's webhooks, Loops' webhooks,
Twilio's status callbacks): loopback targets only unless `--allow-remote`, retries on the sandbox clock, and workers
that stop when the app closes, leaving no thread and no asyncio task behind."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

import httpx
import uvicorn

import sdk_sandbox
import sdk_sandbox.runner
from sdk_sandbox.delivery import REMOTE_REFUSED, is_loopback, refusal, retry_at
from sdk_sandbox.loops import build_loops_app
from sdk_sandbox.runner import BackgroundServer, bind, serve_all, url_of
from sdk_sandbox.server import SandboxApp
from sdk_sandbox.stripe import build_stripe_app
from sdk_sandbox.stripe.state import state_of as stripe_state
from sdk_sandbox.twilio import build_twilio_app
from sdk_sandbox.twilio.state import state_of as twilio_state

from ..webhook_receiver import Receiver

REMOTE_URL = "http://192.0.2.10/hook"  # TEST-NET-1: refused before any connection is tried
SANDBOX_SOURCES = str(Path(sdk_sandbox.__file__).parent)
RUNNER_SOURCE = str(Path(sdk_sandbox.runner.__file__))


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


def test_stripe_retries_on_the_sandbox_clock(stripe_sandbox: Any, receiver: Receiver) -> None:
    receiver.statuses = [500]  # the first attempt fails, the next one is answered 204
    stripe_sandbox.delivery_settings(retry_delays=[600])  # ten minutes of sandbox time before the retry
    _stripe_post(
        stripe_sandbox, "/v1/webhook_endpoints", {"url": receiver.url, "enabled_events[0]": "customer.created"}
    )
    _stripe_post(stripe_sandbox, "/v1/customers", {"email": "retry@example.com"})
    deadline = time.monotonic() + 20
    while not receiver.requests:
        assert time.monotonic() < deadline, "the first attempt never came"
        time.sleep(0.02)
    [row] = stripe_sandbox.deliveries()
    # The retry waits for the sandbox clock, not the wall: one attempt, answered with the scripted 500.
    assert row["status"] == "pending" and len(receiver.requests) == 1 and receiver.statuses == []
    stripe_sandbox.advance(seconds=600)
    [row] = _wait_until_settled(stripe_sandbox)
    assert (row["status"], row["attempts"], len(receiver.requests)) == ("succeeded", 2, 2)


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


def _eventually(what: str, check: Callable[[], Any], timeout: float = 20.0) -> Any:
    """`check()`'s first truthy answer, polled; AssertionError naming `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not (found := check()):
        assert time.monotonic() < deadline, f"{what} never happened"
        time.sleep(0.02)
    return found


def test_loops_retries_on_the_sandbox_clock(loops_sandbox: Any, receiver: Receiver) -> None:
    receiver.statuses = [500]
    loops_sandbox.set_webhook(receiver.url, attempts=2, backoffSeconds=60)  # the retry: a minute of sandbox time on
    queued = loops_sandbox.send_webhook_event("email.opened", email="ada@example.com")
    first = _eventually("the first attempt", loops_sandbox.webhook_deliveries)
    assert [(d["attempt"], d["status"]) for d in first] == [(1, 500)] and len(receiver.requests) == 1
    loops_sandbox.control("PUT", "/sandbox/clock", {"offset_seconds": 60})
    deliveries = loops_sandbox.webhook_deliveries(wait_for=1)
    assert [(d["eventId"], d["attempt"], d["status"]) for d in deliveries] == [
        (queued["id"], 1, 500),
        (queued["id"], 2, 204),
    ]
    assert deliveries[1]["timestamp"] - deliveries[0]["timestamp"] >= 60  # stamped on the moved sandbox clock
    assert {headers["webhook-id"] for headers, _ in receiver.requests} == {queued["id"]}


def _twilio_message(sandbox: Any, callback: str) -> str:
    response = httpx.post(
        f"{sandbox.url}/2010-04-01/Accounts/{sandbox.account_sid}/Messages.json",
        data={"To": "+12125551234", "From": "+15005550006", "Body": "hi", "StatusCallback": callback},
        auth=(sandbox.account_sid, sandbox.auth_token),
    )
    assert response.status_code == 201, response.text
    sid: str = response.json()["sid"]
    return sid


def test_twilio_refuses_a_remote_callback_without_allow_remote(twilio_sandbox: Any) -> None:
    sid = _twilio_message(twilio_sandbox, REMOTE_URL)
    twilio_sandbox.advance_message(sid)
    [callback] = twilio_sandbox.wait_for_callbacks(1, sid)
    assert (callback["state"], callback["attempts"], callback["response_status"]) == ("skipped", 0, None)
    assert callback["error"].startswith(REMOTE_REFUSED)


def test_twilio_retries_on_the_sandbox_clock_and_keeps_each_messages_order(
    twilio_sandbox: Any, receiver: Receiver
) -> None:
    receiver.statuses = [500]
    # a retry 600 s of sandbox time after a failure; a message that stays put unless moved by hand
    twilio_sandbox.control("PUT", "/sandbox/delivery", {"retry_delays": [600], "step_seconds": 86400})
    sid = _twilio_message(twilio_sandbox, f"{receiver.url}#rc=1")
    twilio_sandbox.advance_message(sid, "sent")  # two callbacks: sending, then sent
    _eventually("the first attempt", lambda: receiver.requests)
    sending, sent = twilio_sandbox.callbacks(sid)
    assert (sending["status"], sending["state"], sending["attempts"], sending["response_status"]) == (
        "sending", "pending", 1, 500,
    )  # fmt: skip
    assert (sent["status"], sent["state"], sent["attempts"]) == ("sent", "pending", 0)  # behind the retry
    assert len(receiver.requests) == 1
    twilio_sandbox.control("PUT", "/sandbox/clock", {"offset_seconds": 600})
    done = twilio_sandbox.wait_for_callbacks(2, sid)
    assert [(c["status"], c["state"], c["attempts"], c["response_status"]) for c in done] == [
        ("sending", "delivered", 2, 204),
        ("sent", "delivered", 1, 204),
    ]
    statuses = [dict(parse_qsl(body.decode()))["MessageStatus"] for _, body in receiver.requests]
    assert statuses == ["sending", "sending", "sent"]
    assert (
        receiver.requests[0][0]["i-twilio-idempotency-token"] == receiver.requests[1][0]["i-twilio-idempotency-token"]
    )


def _sandbox_tasks(loop: asyncio.AbstractEventLoop) -> list[str]:
    """The tasks on `loop` running a coroutine of a sandbox (its own code, not uvicorn's, and not the runner's
    `serve_all`, which is the server itself)."""

    def sandbox_code(task: asyncio.Task[Any]) -> bool:
        filename = str(getattr(getattr(task.get_coro(), "cr_code", None), "co_filename", ""))
        return filename.startswith(SANDBOX_SOURCES) and filename != RUNNER_SOURCE

    async def listing() -> list[str]:
        return [repr(task.get_coro()) for task in asyncio.all_tasks() if sandbox_code(task)]

    return asyncio.run_coroutine_threadsafe(listing(), loop).result(timeout=10)


def test_closing_every_app_leaves_no_delivery_thread_and_no_task(receiver: Receiver) -> None:
    before = set(threading.enumerate())
    loops, stripe, twilio = build_loops_app(), build_stripe_app(), build_twilio_app()
    apps: list[SandboxApp] = [loops, stripe, twilio]
    sockets = [bind() for _ in apps]
    servers = [
        (uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on")), s)
        for app, s in zip(apps, sockets, strict=True)
    ]
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_until_complete, args=(serve_all(servers),), daemon=True)
    thread.start()
    try:
        _eventually("the servers starting", lambda: all(server.started for server, _ in servers))
        loops_url, stripe_url, twilio_url = (url_of(s) for s in sockets)
        # Loops: one webhook
        control = httpx.put(f"{loops_url}/sandbox/webhook", json={"url": receiver.url})
        assert control.status_code == 200, control.text
        assert httpx.post(f"{loops_url}/sandbox/webhook/send", json={"eventName": "email.opened"}).status_code == 202
        # Stripe: one webhook
        key = {"Authorization": f"Bearer {next(iter(stripe.api_keys))}"}
        data = {"url": receiver.url, "enabled_events[0]": "customer.created"}
        assert httpx.post(f"{stripe_url}/v1/webhook_endpoints", data=data, headers=key).status_code == 200
        assert httpx.post(f"{stripe_url}/v1/customers", data={"email": "c@example.com"}, headers=key).status_code == 200
        # Twilio: one status callback
        account, token = twilio_state(twilio).account_sid, twilio_state(twilio).auth_token
        response = httpx.post(
            f"{twilio_url}/2010-04-01/Accounts/{account}/Messages.json",
            data={"To": "+12125551234", "From": "+15005550006", "Body": "hi", "StatusCallback": receiver.url},
            auth=(account, token),
        )
        assert response.status_code == 201, response.text
        assert httpx.post(f"{twilio_url}/sandbox/messages/{response.json()['sid']}/advance").status_code == 200
        _eventually("three deliveries", lambda: len(receiver.requests) >= 3)
        started = {t.name for t in threading.enumerate() if t not in before}
        assert {
            "sdk-sandbox-loops-webhooks",
            "sdk-sandbox-stripe-webhooks",
            "sdk-sandbox-twilio-status-callbacks",
        } <= started
        for app in apps:
            app.close()
        left = [t.name for t in threading.enumerate() if t not in before and t.name.startswith("sdk-sandbox-")]
        assert left == []
        assert _sandbox_tasks(loop) == []  # the server still runs; nothing of the sandboxes' own runs on its loop
    finally:
        for server, _ in servers:
            server.should_exit = True
        thread.join(10)
        for sock in sockets:
            sock.close()
        loop.close()
        for app in apps:
            app.close()
