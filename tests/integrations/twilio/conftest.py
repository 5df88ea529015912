"""Fixtures for the Twilio integration tests: clients pointed at the emptied Twilio sandbox, and Django rows."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from app_integrations.twilio import AsyncTwilioClient, TwilioClient
from sdk_sandbox.pytest_plugin import SandboxHandle

SENDER = "+15005550006"


@pytest.fixture
def client(twilio_sandbox: SandboxHandle) -> Iterator[TwilioClient]:
    """A `TwilioClient` with the sandbox account's credentials (fast retries; closed after the test)."""
    with TwilioClient(
        twilio_sandbox.account_sid, twilio_sandbox.auth_token, SENDER, base_url=twilio_sandbox.url, retry_delay=0.01
    ) as made:
        yield made


@pytest.fixture
async def async_client(twilio_sandbox: SandboxHandle) -> AsyncIterator[AsyncTwilioClient]:
    """The `AsyncTwilioClient` twin of `client`."""
    async with AsyncTwilioClient(
        twilio_sandbox.account_sid, twilio_sandbox.auth_token, SENDER, base_url=twilio_sandbox.url, retry_delay=0.01
    ) as made:
        yield made


@pytest.fixture
def sms_db(django_db: Path) -> Iterator[None]:
    """The suite's Django database with SMS rows and webhook events removed before and after the test."""
    from app_integrations.django.models import SMS, WebhookEvent

    def empty() -> None:
        SMS.objects.all().delete()
        WebhookEvent.objects.filter(provider="twilio").delete()

    empty()
    yield
    empty()
