"""Django-backed fixtures for the Loops integration tests: a migrated database emptied per test, and a user."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture
def integrations_db(django_db: Path) -> Iterator[None]:
    """The suite's Django database with the integrations' rows and users removed before and after the test."""
    from django.contrib.auth.models import User

    from app_integrations.django.models import LoginToken, WebhookEvent

    def empty() -> None:
        WebhookEvent.objects.all().delete()
        LoginToken.objects.all().delete()
        User.objects.all().delete()

    empty()
    yield
    empty()


@pytest.fixture
def user(integrations_db: None) -> Any:
    """A signed-up user with an e-mail address."""
    from django.contrib.auth.models import User

    user = User(username="ada", email="ada@example.com", first_name="Ada")
    user.set_unusable_password()  # no password hashing: signing in is by link here
    user.save()
    return user
