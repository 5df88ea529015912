"""Vortex errors that explain themselves: bad signing input is the SDK's own error, caught by the seed's handler;
a malformed key says how to get one that works; every constructor parameter of the wrong type is named."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from sdk_sandbox.pytest_plugin import SandboxHandle
from vortex_sdk import Vortex, VortexApiError
from vortex_sdk.errors import ConfigurationError, VortexValidationError


@pytest.fixture
def vortex(vortex_sandbox: SandboxHandle) -> Vortex:
    return Vortex(api_key=vortex_sandbox.api_key, base_url=vortex_sandbox.url)


def seed_jwt_endpoint(vortex: Vortex, user: Any, **extra: Any) -> tuple[dict[str, Any], int]:
    """Seed 000's JWT endpoint body: `except VortexApiError` answers the error, anything else would be a 500."""
    try:
        return {"jwt": vortex.generate_jwt(user=user, **extra)}, 200
    except VortexApiError as e:
        return {"error": e.message}, e.status_code


@pytest.mark.parametrize(
    ("user", "extra", "words"),
    [
        ({}, {}, "user is missing"),
        ({"id": "u1"}, {}, "email"),
        ({"id": "u1", "email": "a@b.c"}, {"expires_in": "forever"}, "expires_in"),
        ({"id": "u1", "email": "a@b.c"}, {"componentId": object()}, "JSON-serializable"),
    ],
)
def test_bad_signing_input_is_a_validation_error_the_seeds_handler_catches(
    vortex: Vortex, user: Any, extra: dict[str, Any], words: str
) -> None:
    body, status = seed_jwt_endpoint(vortex, user, **extra)
    assert status == 400 and words in body["error"]
    with pytest.raises(VortexValidationError):
        vortex.generate_token({"user": {"id": "u1"}}, {"expires_in": "never"})
    with pytest.raises(VortexValidationError):
        vortex.sign({"email": "no-id@example.com"})


def test_the_seeds_test_fixture_key_says_how_to_get_a_working_one() -> None:
    with pytest.raises(ConfigurationError) as caught:
        Vortex(api_key="test-api-key")
    text = str(caught.value)
    assert text.startswith("Invalid API key format. Expected: VRTX.{encodedId}.{key}")  # upstream's words first
    assert "vortex_sandbox" in text and "python -m sdk_sandbox serve" in text
    assert "test-api-key" not in text


WRONG_TYPES: list[tuple[str, Any]] = [
    ("api_key", 123),
    ("base_url", 443),
    ("timeout", "30"),
    ("max_retries", 2.5),
    ("retry_delay", "fast"),
    ("request_id", 1),
    ("http_client", object()),
    ("async_http_client", object()),
]


@pytest.mark.parametrize(("parameter", "value"), WRONG_TYPES)
def test_every_constructor_parameter_of_the_wrong_type_names_itself(
    vortex_sandbox: SandboxHandle, parameter: str, value: Any
) -> None:
    options: dict[str, Any] = {"api_key": vortex_sandbox.api_key, parameter: value}
    with pytest.raises(ConfigurationError) as caught:
        Vortex(**options)
    assert parameter in str(caught.value)


def test_the_sync_and_async_http_clients_are_not_interchangeable(vortex_sandbox: SandboxHandle) -> None:
    with httpx.Client() as sync_http, pytest.raises(ConfigurationError, match="async_http_client must be"):
        Vortex(api_key=vortex_sandbox.api_key, async_http_client=sync_http)  # type: ignore[arg-type]
