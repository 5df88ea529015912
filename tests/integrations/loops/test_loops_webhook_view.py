"""The Loops webhook view through Django's test client: verified events are stored and signalled exactly once."""

from __future__ import annotations

import base64
import json
import threading
import time
from typing import Any

import pytest
from django.test import Client, override_settings

from app_integrations.standard_webhooks import sign

SECRET = "whsec_" + base64.b64encode(b"s" * 32).decode()
URL = "/integrations/webhooks/loops/"
pytestmark = pytest.mark.usefixtures("integrations_db")


@pytest.fixture(autouse=True)
def loops_secret() -> Any:
    with override_settings(LOOPS_WEBHOOK_SECRET=SECRET):
        yield


@pytest.fixture
def received() -> Any:
    from app_integrations.django.signals import webhook_received

    seen: list[dict[str, Any]] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        seen.append(kwargs)

    webhook_received.connect(receiver, weak=False)
    yield seen
    webhook_received.disconnect(receiver)


def deliver(body: bytes, msg_id: str = "msg_1", secret: str = SECRET, **overrides: str) -> Any:
    stamp = int(time.time())
    headers = {
        "webhook-id": msg_id,
        "webhook-timestamp": str(stamp),
        "webhook-signature": sign(secret, msg_id, stamp, body),
        **overrides,
    }
    return Client().post(URL, body, content_type="application/json", headers=headers)


def event(name: str = "email.delivered") -> bytes:
    return json.dumps({"eventName": name, "webhookSchemaVersion": "1.0.0", "eventTime": int(time.time())}).encode()


def stored() -> list[Any]:
    from app_integrations.django.models import WebhookEvent

    return list(WebhookEvent.objects.values_list("provider", "event_id", "event_type"))


def test_a_verified_event_is_stored_and_signalled_once_and_redelivery_is_a_no_op(received: list[Any]) -> None:
    first = deliver(event())
    assert first.status_code == 200 and first.json() == {"received": True, "duplicate": False}
    again = deliver(event())
    assert again.status_code == 200 and again.json()["duplicate"] is True
    assert stored() == [("loops", "msg_1", "email.delivered")]
    assert [(r["provider"], r["event_type"]) for r in received] == [("loops", "email.delivered")]


@pytest.mark.parametrize(
    "overrides",
    [
        {"webhook-signature": "v1,AAAA"},
        {"webhook-timestamp": str(int(time.time()) - 301)},
        {"webhook-timestamp": "garbled"},
        {"webhook-signature": ""},
    ],
)
def test_bad_signatures_answer_400_and_store_nothing(overrides: dict[str, str], received: list[Any]) -> None:
    assert deliver(event(), **overrides).status_code == 400
    assert stored() == [] and received == []


def test_a_wrong_secret_or_missing_headers_answer_400() -> None:
    other = "whsec_" + base64.b64encode(b"x" * 32).decode()
    assert deliver(event(), secret=other).status_code == 400
    assert Client().post(URL, event(), content_type="application/json").status_code == 400
    assert stored() == []


def test_without_a_configured_secret_events_are_refused_with_503_so_loops_redelivers() -> None:
    with override_settings(LOOPS_WEBHOOK_SECRET=""):
        assert deliver(event()).status_code == 503
    assert stored() == []


def test_get_is_not_allowed_and_debug_mode_does_not_skip_verification() -> None:
    assert Client().get(URL).status_code == 405
    with override_settings(DEBUG=True):
        assert deliver(event(), **{"webhook-signature": "v1,AAAA"}).status_code == 400


def test_a_failing_receiver_rolls_back_so_the_redelivery_is_processed() -> None:
    from app_integrations.django.signals import webhook_received

    def broken(sender: Any, **kwargs: Any) -> None:
        raise RuntimeError("handler bug")

    webhook_received.connect(broken, weak=False)
    try:
        with pytest.raises(RuntimeError):
            deliver(event())
    finally:
        webhook_received.disconnect(broken)
    assert stored() == []
    assert deliver(event()).json()["duplicate"] is False


def test_concurrent_deliveries_of_one_event_are_processed_once(received: list[Any]) -> None:
    answers: list[int] = []
    body = event()

    def post() -> None:
        answers.append(deliver(body, msg_id="msg_race").status_code)

    threads = [threading.Thread(target=post) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert answers == [200] * 6
    assert len(received) == 1 and stored() == [("loops", "msg_race", "email.delivered")]
