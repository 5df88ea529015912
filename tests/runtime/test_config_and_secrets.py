"""Configuration validation, per-call overrides, client lifecycle, and secrets kept out of every output."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import httpx
import pytest

from sdk_runtime import (
    APIStatusError,
    AsyncAPIClient,
    AuthScheme,
    Call,
    ClientClosedError,
    ConfigurationError,
    Secret,
    SyncAPIClient,
    __version__,
    redact,
)

from .exchanges import API_KEY, Exchange, Runner, json_response, make_config

GET = Call("GET", "/api/v1/users/u")


def test_missing_api_key_names_the_environment_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TEST_SDK_API_KEY", raising=False)
    with pytest.raises(ConfigurationError, match="TEST_SDK_API_KEY"):
        make_config(api_key=None)


def test_api_key_is_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_SDK_API_KEY", "from-the-environment-123")
    assert make_config(api_key=None).api_key.reveal() == "from-the-environment-123"


@pytest.mark.parametrize("key", ["", "   ", " padded-key-123", "line\nbreak-123"])
def test_malformed_api_keys_are_refused(key: str) -> None:
    with pytest.raises(ConfigurationError):
        make_config(api_key=key)


def test_configuration_errors_are_value_errors() -> None:
    with pytest.raises(ValueError, match="max_retries"):
        make_config(max_retries=-1)


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("timeout", 0),
        ("timeout", -1.0),
        ("timeout", float("inf")),
        ("timeout", None),
        ("timeout", httpx.Timeout(None)),
        ("max_retries", 11),
        ("max_retries", 1.5),
        ("retry_delay", -0.1),
        ("retry_delay", float("nan")),
        ("base_url", "api.vault.dev"),
        ("base_url", "ftp://api.vault.dev"),
        ("base_url", "https://api.vault.dev/?x=1"),
        ("request_id", "has space"),
        ("request_id", ""),
    ],
)
def test_bad_options_fail_at_construction(option: str, value: Any) -> None:
    with pytest.raises(ConfigurationError, match=option):
        make_config(**{option: value})


def test_timeout_is_finite_by_default_with_a_short_connect_phase() -> None:
    timeout = make_config().timeout
    assert (timeout.connect, timeout.read, timeout.write, timeout.pool) == (5.0, 30.0, 30.0, 30.0)
    assert make_config(timeout=2.0).timeout.connect == 2.0


def test_headers_name_the_package_and_carry_the_request_id(runner: Runner) -> None:
    exchange = runner.run([json_response(200, {})], GET, request_id="trace-123")
    headers = exchange.requests[0].headers
    assert headers["User-Agent"].startswith(f"test-sdk/9.9.9 sdk-runtime/{__version__} python/")
    assert headers["X-Request-ID"] == "trace-123"
    assert exchange.response.request_id == "trace-123"


def test_request_id_from_the_response_wins(runner: Runner) -> None:
    exchange = runner.run([json_response(200, {}, {"X-Request-ID": "req_from_server"})], GET)
    assert exchange.response.request_id == "req_from_server"


def test_a_request_id_is_minted_when_none_is_configured(runner: Runner) -> None:
    exchange = runner.run([json_response(200, {})], GET)
    assert exchange.requests[0].headers["X-Request-ID"].startswith("req_")


def test_api_key_header_style_is_configurable(runner: Runner) -> None:
    exchange = runner.run([json_response(200, {})], GET, auth=AuthScheme(header="x-api-key", prefix=None))
    assert exchange.requests[0].headers["x-api-key"] == API_KEY
    assert "Authorization" not in exchange.requests[0].headers


def test_with_options_overrides_per_call_and_shares_the_pool(runner: Runner) -> None:
    exchange = Exchange([json_response(503, {})])
    client = runner.client(exchange)
    once = client.with_options(max_retries=0, timeout=3.0)
    assert once.http_client is client.http_client
    assert (once.config.retry.max_retries, once.config.timeout.read) == (0, 3.0)
    assert client.config.retry.max_retries == 2
    with pytest.raises(APIStatusError):
        runner.call(once, GET)
    assert len(exchange.requests) == 1


def test_with_options_rejects_unknown_and_invalid_options() -> None:
    client = SyncAPIClient(make_config())
    with pytest.raises(ConfigurationError):
        client.with_options(max_retries=-3)
    with pytest.raises(ConfigurationError, match="unknown client option"):
        client.with_options(no_such_option=1)


def test_an_injected_client_is_never_closed() -> None:
    injected = httpx.Client(transport=httpx.MockTransport(lambda r: json_response(200, {})))
    with SyncAPIClient(make_config(), http_client=injected) as client:
        client.request(GET)
    assert not injected.is_closed
    injected.close()


def test_an_injected_async_client_is_never_closed() -> None:
    async def scenario() -> bool:
        injected = httpx.AsyncClient(transport=httpx.MockTransport(lambda r: json_response(200, {})))
        async with AsyncAPIClient(make_config(), http_client=injected) as client:
            await client.request(GET)
        closed = injected.is_closed
        await injected.aclose()
        return closed

    assert asyncio.run(scenario()) is False


def test_an_owned_client_is_created_lazily_and_closed() -> None:
    client = SyncAPIClient(make_config())
    assert client._pool is not None and not client._pool.created
    pool = client.http_client
    client.close()
    assert pool.is_closed
    client.close()


def test_closing_a_copy_leaves_the_original_usable() -> None:
    exchange = Exchange([json_response(200, {})])
    client = SyncAPIClient(make_config(), http_client=httpx.Client(transport=exchange.transport()))
    client.with_options(max_retries=0).close()
    assert client.request(GET).status_code == 200


def test_a_closed_client_refuses_with_a_typed_error() -> None:
    client = SyncAPIClient(make_config())
    client.close()
    with pytest.raises(ClientClosedError, match="closed"):
        client.request(GET)


def test_secret_never_shows_in_repr_str_or_format() -> None:
    secret = Secret(API_KEY)
    assert API_KEY not in repr(secret) + str(secret) + f"{secret}" + "%s" % secret
    assert secret.reveal() == API_KEY
    assert redact(f"key={API_KEY}!", [secret]) == "key=[REDACTED]!"


def test_config_and_client_reprs_hide_the_api_key() -> None:
    config = make_config()
    assert API_KEY not in repr(config)
    assert API_KEY not in repr(SyncAPIClient(config))
    assert API_KEY not in repr(AsyncAPIClient(config))


def test_error_text_that_echoes_the_key_is_redacted(runner: Runner) -> None:
    body = {"error": {"code": "UNAUTHORIZED", "message": f"Invalid API key {API_KEY}", "details": {"key": API_KEY}}}
    with pytest.raises(APIStatusError) as caught:
        runner.run([json_response(401, body)], GET)
    error = caught.value
    rendered = f"{error} {error!r} {error.message} {error.details} {error.args}"
    assert API_KEY not in rendered
    assert "[REDACTED]" in error.message


def test_logs_never_carry_the_key(runner: Runner, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="test_sdk")
    with pytest.raises(APIStatusError):
        runner.run([json_response(500, {"message": API_KEY})], GET)
    assert caplog.records, "the client should log its attempts"
    assert all(record.name == "test_sdk" for record in caplog.records)
    assert API_KEY not in caplog.text
