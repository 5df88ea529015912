"""The Stripe webhook view through Django's test client: verified events are stored and signalled exactly once."""

from __future__ import annotations

import json
import threading
import time
from typing import Any

import pytest
from django.test import Client, override_settings

from app_integrations.stripe import signature_header

SECRET = "whsec_view_secret"
URL = "/integrations/webhooks/stripe/"
pytestmark = pytest.mark.usefixtures("integrations_db")


@pytest.fixture(autouse=True)
def stripe_secret() -> Any:
    with override_settings(STRIPE_WEBHOOK_SECRET=SECRET):
        yield


@pytest.fixture
def received() -> Any:
    from app_integrations.django.signals import stripe_event, webhook_received

    seen: list[tuple[str, str]] = []

    def any_event(sender: Any, provider: str, event_type: str, **kwargs: Any) -> None:
        seen.append(("any", event_type))

    def paid(sender: Any, event_type: str, payload: dict[str, Any], **kwargs: Any) -> None:
        seen.append(("paid", payload["data"]["object"]["id"]))

    webhook_received.connect(any_event, weak=False)
    stripe_event("invoice.paid").connect(paid, weak=False)
    yield seen
    webhook_received.disconnect(any_event)
    stripe_event("invoice.paid").disconnect(paid)


def event_body(event_id: str = "evt_1", kind: str = "invoice.paid") -> bytes:
    return json.dumps({"id": event_id, "object": "event", "type": kind, "data": {"object": {"id": "in_1"}}}).encode()


def deliver(body: bytes, header: str | None = None) -> Any:
    headers = {"Stripe-Signature": header if header is not None else signature_header(body, SECRET)}
    return Client().post(URL, body, content_type="application/json", headers=headers)


def stored() -> list[tuple[str, str, str]]:
    from app_integrations.django.models import WebhookEvent

    return list(WebhookEvent.objects.values_list("provider", "event_id", "event_type"))


def test_event_is_stored_once_and_signalled(received: list[Any]) -> None:
    first = deliver(event_body())
    assert first.status_code == 200 and first.json() == {"received": True, "duplicate": False}
    again = deliver(event_body())
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert stored() == [("stripe", "evt_1", "invoice.paid")]
    assert received == [("any", "invoice.paid"), ("paid", "in_1")]


@pytest.mark.parametrize(
    "header",
    [
        "",
        "t=1",
        f"t={int(time.time())},v1={'0' * 64}",
        "t=1700000000,v1=" + signature_header(event_body(), SECRET, 1700000000).split("v1=")[1],
        "t=1, v1=abc",
        "t=1,v1=é",
    ],
)
def test_bad_signature_is_400_and_nothing_stored(received: list[Any], header: str) -> None:
    response = deliver(event_body(), header)
    assert response.status_code == 400
    assert stored() == [] and received == []


def test_missing_header_tampered_and_huge_bodies(received: list[Any]) -> None:
    body = event_body()
    assert Client().post(URL, body, content_type="application/json").status_code == 400
    assert deliver(body.replace(b"in_1", b"in_9"), signature_header(body, SECRET)).status_code == 400
    huge = b'{"id": "evt_big", "pad": "' + b"x" * (1024 * 1024) + b'"}'
    assert deliver(huge).status_code == 413
    assert deliver(event_body(), signature_header(event_body(), "whsec_wrong")).status_code == 400
    old = signature_header(event_body(), SECRET, int(time.time()) - 400)
    future = signature_header(event_body(), SECRET, int(time.time()) + 400)
    assert deliver(event_body(), old).status_code == 400 and deliver(event_body(), future).status_code == 400
    assert stored() == [] and received == []


def test_get_is_refused_and_no_secret_is_503() -> None:
    assert Client().get(URL).status_code == 405
    with override_settings(STRIPE_WEBHOOK_SECRET=""):
        assert deliver(event_body()).status_code == 503


def test_rotation_accepts_either_secret() -> None:
    with override_settings(STRIPE_WEBHOOK_SECRET=["whsec_new", SECRET]):
        assert deliver(event_body("evt_a")).status_code == 200
        assert deliver(event_body("evt_b"), signature_header(event_body("evt_b"), "whsec_new")).status_code == 200
    assert {row[1] for row in stored()} == {"evt_a", "evt_b"}


def test_shuffled_and_repeated_deliveries_are_processed_once_each(received: list[Any]) -> None:
    kinds = ["customer.created", "invoice.paid", "customer.subscription.updated", "checkout.session.completed"]
    bodies = [event_body(f"evt_{n}", kind) for n, kind in enumerate(kinds)]
    for body in [bodies[3], bodies[1], bodies[3], bodies[0], bodies[2], bodies[1], bodies[0]]:
        assert deliver(body).status_code == 200
    assert sorted(row[1] for row in stored()) == ["evt_0", "evt_1", "evt_2", "evt_3"]
    assert sorted(kind for tag, kind in received if tag == "any") == sorted(kinds)


def test_concurrent_deliveries_of_one_event_store_it_once(received: list[Any]) -> None:
    body = event_body("evt_race")
    statuses: list[int] = []
    barrier = threading.Barrier(4)

    def post() -> None:
        barrier.wait()
        statuses.append(deliver(body).status_code)

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 4
    assert stored() == [("stripe", "evt_race", "invoice.paid")]
    assert [kind for tag, kind in received if tag == "any"] == ["invoice.paid"]
