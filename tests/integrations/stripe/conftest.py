"""Fixtures for the Stripe integration tests: clients pointed at the Stripe sandbox, prices to sell."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest

from app_integrations.stripe import AsyncStripeClient, StripeClient


@pytest.fixture
def stripe_client(stripe_sandbox: Any) -> Iterator[StripeClient]:
    """A `StripeClient` on the emptied sandbox (fast retries; no webhook secret)."""
    with StripeClient(api_key=stripe_sandbox.api_key, base_url=stripe_sandbox.url, retry_delay=0.01) as client:
        yield client


@pytest.fixture
async def async_stripe_client(stripe_sandbox: Any) -> AsyncIterator[AsyncStripeClient]:
    """The `AsyncStripeClient` twin."""
    async with AsyncStripeClient(api_key=stripe_sandbox.api_key, base_url=stripe_sandbox.url, retry_delay=0.01) as c:
        yield c


@pytest.fixture
def monthly_price(stripe_client: StripeClient) -> str:
    """A recurring price (20.00 USD a month) of a new product."""
    product = stripe_client.create_product("Pro plan")
    assert product["success"], product
    price = stripe_client.create_price(product["product"]["id"], 2000, "usd", interval="month")
    assert price["success"], price
    return str(price["price"]["id"])


@pytest.fixture
def one_off_price(stripe_client: StripeClient) -> str:
    """A one-off price (15.00 USD) of a new product."""
    product = stripe_client.create_product("T-shirt")
    price = stripe_client.create_price(product["product"]["id"], 1500, "usd")
    assert price["success"], price
    return str(price["price"]["id"])


@pytest.fixture
def integrations_db(django_db: Path) -> Iterator[None]:
    """The suite's Django database with webhook events, Stripe customers and users removed before and after."""
    from django.contrib.auth.models import User

    from app_integrations.django.models import StripeCustomer, WebhookEvent

    def empty() -> None:
        WebhookEvent.objects.all().delete()
        StripeCustomer.objects.all().delete()
        User.objects.all().delete()

    empty()
    yield
    empty()
