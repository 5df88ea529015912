"""The Loops sandbox's webhooks, delivered to a receiver on 127.0.0.1 and verified with the `standardwebhooks`
library: order and envelope, bounces, retries with a stable `webhook-id`, connection errors, triggering,
signing, the sandbox clock, and an API response that never waits on the receiver."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from sdk_sandbox.pytest_plugin import SandboxHandle
from sdk_sandbox.runner import bind, url_of

from ..webhook_receiver import Receiver


@pytest.fixture
def raw(loops_sandbox: SandboxHandle) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {loops_sandbox.api_key}"}
    with httpx.Client(base_url=loops_sandbox.url, headers=headers, timeout=10) as client:
        yield client


def send_welcome(loops_sandbox: SandboxHandle, raw: httpx.Client, email: str, **fields: Any) -> None:
    loops_sandbox.create_template("Welcome", ["name"], template_id="tpl_welcome", subject="Welcome {{name}}")
    body = {"transactionalId": "tpl_welcome", "email": email, "dataVariables": {"name": "Ada"}, **fields}
    assert raw.post("/transactional", json=body).status_code == 200


def test_a_send_delivers_sent_then_delivered_signed(
    loops_sandbox: SandboxHandle, raw: httpx.Client, receiver: Receiver
) -> None:
    endpoint = loops_sandbox.set_webhook(receiver.url)
    assert endpoint["secret"].startswith("whsec_") and endpoint["url"] == receiver.url
    send_welcome(loops_sandbox, raw, "ada@example.com")
    deliveries = loops_sandbox.webhook_deliveries(wait_for=2)
    events = receiver.verified(endpoint["secret"])
    assert [payload["eventName"] for _, payload in events] == ["transactional.email.sent", "email.delivered"]
    [email] = loops_sandbox.outbox()
    sent = events[0][1]
    assert sent["webhookSchemaVersion"] == "1.0.0" and isinstance(sent["eventTime"], int)
    assert sent["sourceType"] == "transactional" and sent["transactionalId"] == "tpl_welcome"
    assert sent["email"] == {"id": email["id"], "emailMessageId": email["emailMessageId"], "subject": "Welcome Ada"}
    assert sent["contactIdentity"]["email"] == "ada@example.com"
    assert [(d["eventId"], d["eventName"], d["attempt"], d["status"]) for d in deliveries] == [
        (events[0][0], "transactional.email.sent", 1, 204),
        (events[1][0], "email.delivered", 1, 204),
    ]
    headers = receiver.requests[0][0]
    assert headers["webhook-signature"].startswith("v1,") and headers["webhook-timestamp"].isdigit()


def test_a_bounce_unsubscribes_the_contact(loops_sandbox: SandboxHandle, raw: httpx.Client, receiver: Receiver) -> None:
    secret = loops_sandbox.set_webhook(receiver.url)["secret"]
    send_welcome(loops_sandbox, raw, "bounce@example.com", addToAudience=True)
    loops_sandbox.webhook_deliveries(wait_for=3)
    names = [payload["eventName"] for _, payload in receiver.verified(secret)]
    assert names == ["transactional.email.sent", "email.hardBounced", "contact.unsubscribed"]
    [contact] = raw.get("/contacts/find", params={"email": "bounce@example.com"}).json()
    assert contact["subscribed"] is False
    loops_sandbox.set_recipient_outcome("carol@example.com", "softBounced")
    body = {"transactionalId": "tpl_welcome", "email": "Carol@example.com", "dataVariables": {"name": "C"}}
    raw.post("/transactional", json=body)
    loops_sandbox.webhook_deliveries(wait_for=5)
    assert receiver.verified(secret)[-1][1]["eventName"] == "email.softBounced"


def test_failed_deliveries_are_retried_with_the_same_id(
    loops_sandbox: SandboxHandle, raw: httpx.Client, receiver: Receiver
) -> None:
    receiver.statuses = [500, 503]
    secret = loops_sandbox.set_webhook(receiver.url, attempts=3, backoffSeconds=0.01)["secret"]
    loops_sandbox.send_webhook_event("email.opened", email="ada@example.com")
    deliveries = loops_sandbox.webhook_deliveries(wait_for=1)
    assert [(d["attempt"], d["status"]) for d in deliveries] == [(1, 500), (2, 503), (3, 204)]
    ids = {headers["webhook-id"] for headers, _ in receiver.requests}
    assert ids == {deliveries[0]["eventId"]} and len(receiver.requests) == 3
    assert {payload["eventName"] for _, payload in receiver.verified(secret)} == {"email.opened"}


def test_an_unreachable_endpoint_is_tried_a_bounded_number_of_times(loops_sandbox: SandboxHandle) -> None:
    closed = bind()
    url = url_of(closed) + "/hook"
    closed.close()
    loops_sandbox.set_webhook(url, attempts=2, backoffSeconds=0.01, timeoutSeconds=1)
    loops_sandbox.send_webhook_event("contact.created", email="ada@example.com")
    deliveries: list[dict[str, Any]] = []
    for _ in range(200):
        deliveries = loops_sandbox.webhook_deliveries()
        if len(deliveries) == 2:
            break
        threading.Event().wait(0.02)
    assert [(d["attempt"], d["status"]) for d in deliveries] == [(1, None), (2, None)]
    assert all(d["error"] for d in deliveries)


def test_trigger_fills_the_contact_and_merges_fields(
    loops_sandbox: SandboxHandle, raw: httpx.Client, receiver: Receiver
) -> None:
    raw.post("/contacts/create", json={"email": "ada@example.com", "userId": "u1"})
    secret = loops_sandbox.set_webhook(receiver.url)["secret"]
    queued = loops_sandbox.send_webhook_event(
        "contact.mailingList.subscribed", email="ada@example.com", mailingList={"id": "l1", "name": "News"}
    )
    loops_sandbox.webhook_deliveries(wait_for=1)
    [(event_id, payload)] = receiver.verified(secret)
    assert event_id == queued["id"] and payload == queued["payload"]
    assert payload["contactIdentity"]["userId"] == "u1" and payload["mailingList"]["name"] == "News"
    odd = loops_sandbox.send_webhook_event("testing.testEvent", event_name="kept", message="hi")["payload"]
    assert (odd["eventName"], odd["event_name"], odd["message"]) == ("testing.testEvent", "kept", "hi")


def test_a_given_secret_signs_and_sign_matches_the_library(loops_sandbox: SandboxHandle) -> None:
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    assert loops_sandbox.set_webhook("http://127.0.0.1:9/hook", secret=secret)["secret"] == secret
    signed = loops_sandbox.sign_webhook({"eventName": "testing.testEvent", "message": "hi"})
    assert Webhook(secret).verify(signed["body"], signed["headers"]) == {
        "eventName": "testing.testEvent",
        "message": "hi",
    }
    assert signed["headers"]["webhook-id"] == signed["id"]
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + "A" * 32).verify(signed["body"], signed["headers"])


def test_the_sandbox_clock_stamps_deliveries(loops_sandbox: SandboxHandle, receiver: Receiver) -> None:
    secret = loops_sandbox.set_webhook(receiver.url)["secret"]
    loops_sandbox.control("PUT", "/sandbox/clock", {"offset_seconds": -3600})
    loops_sandbox.send_webhook_event("email.clicked", email="ada@example.com")
    loops_sandbox.webhook_deliveries(wait_for=1)
    headers, body = receiver.requests[0]
    # Both on the sandbox clock, an hour back; the event is stamped when queued and the delivery when sent, which
    # may fall in the next second on a busy machine.
    stamped, sent = json.loads(body)["eventTime"], int(headers["webhook-timestamp"])
    assert 0 <= sent - stamped <= 5 and abs(time.time() - 3600 - sent) < 60
    with pytest.raises(WebhookVerificationError, match="too old"):
        Webhook(secret).verify(body, headers)


def test_the_api_answers_while_the_receiver_is_still_busy(
    loops_sandbox: SandboxHandle, raw: httpx.Client, receiver: Receiver
) -> None:
    receiver.hold.clear()
    loops_sandbox.set_webhook(receiver.url)
    send_welcome(loops_sandbox, raw, "ada@example.com")  # returns 200 although the receiver has not answered
    assert receiver.requests == []
    receiver.hold.set()
    assert len(loops_sandbox.webhook_deliveries(wait_for=2)) == 2


def test_without_an_endpoint_nothing_is_sent_and_trigger_is_409(
    loops_sandbox: SandboxHandle, raw: httpx.Client
) -> None:
    send_welcome(loops_sandbox, raw, "ada@example.com")
    assert loops_sandbox.webhook_deliveries() == []
    with pytest.raises(httpx.HTTPStatusError) as caught:
        loops_sandbox.send_webhook_event("email.opened")
    assert caught.value.response.status_code == 409
    loops_sandbox.set_webhook("http://127.0.0.1:9/hook")
    assert loops_sandbox.control("GET", "/sandbox/webhook")["url"] == "http://127.0.0.1:9/hook"
    loops_sandbox.control("DELETE", "/sandbox/webhook")
    assert httpx.get(f"{loops_sandbox.url.removesuffix('/api/v1')}/sandbox/webhook").status_code == 404
