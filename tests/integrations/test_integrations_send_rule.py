"""One rule for whether a call is sent, simulated or refused (`app_integrations.settings.decide`), the same for
Loops, Stripe and Twilio, with the sandboxes on 127.0.0.1 as the services; and the start-up checks that say so.

Outside debug mode a switched-off or unconfigured service is a failure dict (`disabled` / `not_configured`) and
nothing reaches the service; only debug mode (DEBUG, TESTING, or `debug_mode=True`) simulates.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

PRODUCTION = {"DEBUG": False, "TESTING": False}


@pytest.fixture(autouse=True)
def settings_only_from_django(django_db: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No `DEBUG`, keys or switches from the environment: each test's Django settings decide."""
    for name in ("DEBUG", "TESTING", "LOOPS_API_KEY", "STRIPE_API_KEY", "STRIPE_ENABLED", "TWILIO_ENABLED",
                 "LOOPS_ENABLED", "TWILIO_PHONE_NUMBER", "TWILIO_AUTH_TOKEN", "TWILIO_ACCOUNT_SID"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    yield


class Service:
    """How to configure one service against its sandbox, make one call, and see what reached the sandbox."""

    def __init__(self, name: str, sandbox: Any, configured: dict[str, Any], enabled_setting: str) -> None:
        self.name, self.sandbox, self.configured, self.enabled_setting = name, sandbox, configured, enabled_setting

    def call(self, **client_options: Any) -> dict[str, Any]:
        from app_integrations.loops import LoopsClient
        from app_integrations.stripe import StripeClient
        from app_integrations.twilio import TwilioClient

        if self.name == "loops":
            with LoopsClient(**client_options) as loops:
                return dict(loops.event("ada@example.com", "signed_up"))
        if self.name == "stripe":
            with StripeClient(**client_options) as stripe:
                return dict(stripe.create_customer("ada@example.com", "Ada"))
        with TwilioClient(**client_options) as twilio:
            return dict(twilio.send_sms("+14155550100", "hello"))

    def reached(self) -> int:
        """How many calls of the kind `call` makes the sandbox has received."""
        if self.name == "loops":
            return len(self.sandbox.events())
        if self.name == "stripe":
            answer = httpx.get(
                f"{self.sandbox.url}/v1/customers?limit=100",
                headers={"Authorization": f"Bearer {self.sandbox.api_key}"},
            )
            return len(answer.json()["data"])
        path = f"/2010-04-01/Accounts/{self.sandbox.account_sid}/Messages.json"
        answer = httpx.get(self.sandbox.url + path, auth=(self.sandbox.account_sid, self.sandbox.auth_token))
        return len(answer.json()["messages"])


@pytest.fixture(params=["loops", "stripe", "twilio"])
def service(request: pytest.FixtureRequest) -> Service:
    sandbox = request.getfixturevalue(f"{request.param}_sandbox")
    if request.param == "loops":
        return Service("loops", sandbox, {"LOOPS_API_KEY": sandbox.api_key, "LOOPS_BASE_URL": sandbox.url},
                       "LOOPS_ENABLED")  # fmt: skip
    if request.param == "stripe":
        return Service("stripe", sandbox, {"STRIPE_API_KEY": sandbox.api_key, "STRIPE_BASE_URL": sandbox.url},
                       "STRIPE_ENABLED")  # fmt: skip
    twilio = {"TWILIO_ACCOUNT_SID": sandbox.account_sid, "TWILIO_AUTH_TOKEN": sandbox.auth_token,
              "TWILIO_PHONE_NUMBER": "+15005550006", "TWILIO_BASE_URL": sandbox.url}  # fmt: skip
    return Service("twilio", sandbox, twilio, "TWILIO_ENABLED")


def _sent_nothing(service: Service, call: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    before = service.reached()
    result = call()
    assert service.reached() == before, "the call reached the service"
    return result


def test_switched_off_outside_debug_mode_is_a_disabled_failure(service: Service) -> None:
    from django.test import override_settings

    with override_settings(**PRODUCTION, **service.configured, **{service.enabled_setting: False}):
        result = _sent_nothing(service, service.call)
    assert (result["success"], result["code"]) == (False, "disabled")
    assert service.enabled_setting in result["error"] and "simulated" not in result


def test_unconfigured_outside_debug_mode_is_a_not_configured_failure(service: Service) -> None:
    from django.test import override_settings

    empty = {name: "" for name in service.configured}
    with override_settings(**PRODUCTION, **empty):
        result = service.call()
    assert (result["success"], result["code"]) == (False, "not_configured") and "simulated" not in result


@pytest.mark.parametrize("mode", [{"DEBUG": True}, {"TESTING": True}])
def test_in_debug_mode_switched_off_or_unconfigured_simulates(service: Service, mode: dict[str, bool]) -> None:
    from django.test import override_settings

    empty = {name: "" for name in service.configured}
    for settings in ({**service.configured, service.enabled_setting: False}, empty):
        with override_settings(**{**PRODUCTION, **mode}, **settings):
            result = _sent_nothing(service, service.call)
        assert result["success"] is True and result["simulated"] is True


def test_debug_mode_false_never_simulates(service: Service) -> None:
    from django.test import override_settings

    empty = {name: "" for name in service.configured}
    with override_settings(DEBUG=True, **empty):
        result = service.call(debug_mode=False)
    assert (result["success"], result["code"]) == (False, "not_configured")


def test_configured_and_enabled_sends_for_real(service: Service) -> None:
    from django.test import override_settings

    before = service.reached()
    with override_settings(**PRODUCTION, **service.configured):
        result = service.call()
    assert result["success"] is True and "simulated" not in result
    assert service.reached() == before + 1


def test_twilio_in_debug_mode_without_a_number_simulates_a_text() -> None:
    from django.test import override_settings

    from app_integrations.twilio import TwilioClient

    with override_settings(DEBUG=True, TWILIO_ACCOUNT_SID="", TWILIO_AUTH_TOKEN="", TWILIO_PHONE_NUMBER=""):
        result = TwilioClient().send_sms("+14155550100", "Your verification code is: 123456")
    assert result["success"] is True and result["simulated"] is True


def _messages(**settings: Any) -> list[Any]:
    from django.test import override_settings

    from app_integrations.django.checks import integrations_configured

    with override_settings(**settings):
        return list(integrations_configured())


def test_the_seed_settings_expression_with_a_key_and_no_webhook_secret_is_flagged_at_start_up() -> None:
    # Seed 002: STRIPE_ENABLED = env == "true" or (STRIPE_API_KEY and STRIPE_WEBHOOK_SECRET) -> "" with no secret.
    key, secret = "sk_live_x", ""
    enabled = "false" == "true" or (key and secret)
    messages = _messages(**PRODUCTION, STRIPE_API_KEY=key, STRIPE_WEBHOOK_SECRET=secret, STRIPE_ENABLED=enabled)
    (warning,) = [m for m in messages if m.id == "app_integrations.W012"]
    assert "STRIPE_ENABLED" in warning.msg and "STRIPE_WEBHOOK_SECRET" in warning.msg
    assert "disabled" in warning.hint


def test_every_providers_webhook_secret_is_in_the_start_up_checks() -> None:
    messages = _messages(
        **PRODUCTION, LOOPS_API_KEY="k" * 12, LOOPS_WEBHOOK_SECRET="", STRIPE_API_KEY="sk_live_x",
        STRIPE_WEBHOOK_SECRET="", STRIPE_ENABLED=True, TWILIO_ENABLED=True, TWILIO_ACCOUNT_SID="AC" + "a" * 32,
        TWILIO_AUTH_TOKEN="token", TWILIO_PHONE_NUMBER="+15005550006", TWILIO_STATUS_CALLBACK_BASE_URL="", SITE_URL="",
    )  # fmt: skip
    by_id = {m.id: m.msg for m in messages}
    assert "LOOPS_WEBHOOK_SECRET" in by_id["app_integrations.W021"]
    assert "STRIPE_WEBHOOK_SECRET" in by_id["app_integrations.W022"]
    assert "TWILIO_STATUS_CALLBACK_BASE_URL" in by_id["app_integrations.W023"]


def test_debug_mode_says_which_services_simulate() -> None:
    messages = _messages(DEBUG=True, LOOPS_API_KEY="", STRIPE_API_KEY="", STRIPE_ENABLED=True)
    ids = {m.id for m in messages}
    assert {"app_integrations.I001", "app_integrations.I002"} <= ids
    assert not [m for m in messages if m.id.startswith("app_integrations.W")]  # development: no warnings
