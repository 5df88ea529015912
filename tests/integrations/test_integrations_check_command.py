"""`python manage.py integrations_check` ships in the reusable app (`app_integrations.django`): run with
`call_command` in the suite's own Django (no template code), against the Loops, Stripe and Twilio sandboxes."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest

NOTHING = {
    "LOOPS_API_KEY": "", "STRIPE_API_KEY": "", "TWILIO_ACCOUNT_SID": "", "TWILIO_AUTH_TOKEN": "",
    "TWILIO_API_KEY": "", "AWS_STORAGE_BUCKET_NAME": "", "AWS_ACCESS_KEY_ID": "", "REDIS_URL": "",
}  # fmt: skip


@pytest.fixture(autouse=True)
def no_environment(django_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in NOTHING:
        monkeypatch.delenv(name, raising=False)


def check(**settings: Any) -> str:
    from django.core.management import call_command
    from django.test import override_settings

    out = StringIO()
    with override_settings(**{**NOTHING, **settings}):
        call_command("integrations_check", stdout=out)
    return out.getvalue()


def test_the_command_belongs_to_the_reusable_app() -> None:
    from django.core.management import get_commands

    assert get_commands()["integrations_check"] == "app_integrations.django"


def test_nothing_configured_is_reported_and_passes() -> None:
    report = check()
    for service in ("Loops", "Stripe", "Twilio", "S3", "Redis"):
        assert f"{service:8} not configured (skipped)" in report


def test_working_services_pass(loops_sandbox: Any, stripe_sandbox: Any, twilio_sandbox: Any) -> None:
    report = check(
        LOOPS_API_KEY=loops_sandbox.api_key, LOOPS_BASE_URL=loops_sandbox.url,
        STRIPE_API_KEY=stripe_sandbox.api_key, STRIPE_BASE_URL=stripe_sandbox.url, STRIPE_ENABLED=True,
        TWILIO_ACCOUNT_SID=twilio_sandbox.account_sid, TWILIO_AUTH_TOKEN=twilio_sandbox.auth_token,
        TWILIO_BASE_URL=twilio_sandbox.url, TWILIO_ENABLED=True,
    )  # fmt: skip
    for service in ("Loops", "Stripe", "Twilio"):
        assert f"{service:8} configured, reachable, credentials valid" in report


def test_a_switched_off_service_is_reported_not_checked(stripe_sandbox: Any) -> None:
    report = check(STRIPE_API_KEY="sk_test_wrong", STRIPE_BASE_URL=stripe_sandbox.url, STRIPE_ENABLED=False)
    assert "Stripe   switched off (STRIPE_ENABLED is false)" in report


def test_wrong_credentials_fail_the_command_naming_each_service(loops_sandbox: Any, stripe_sandbox: Any) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="failing integrations: Loops, Stripe"):
        check(
            LOOPS_API_KEY="wrong-key-123456", LOOPS_BASE_URL=loops_sandbox.url,
            STRIPE_API_KEY="sk_test_wrong", STRIPE_BASE_URL=stripe_sandbox.url, STRIPE_ENABLED=True,
        )  # fmt: skip
