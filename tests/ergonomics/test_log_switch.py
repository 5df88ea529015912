"""The logging switch from the environment (`VAULT_LOG`, `VORTEX_LOG`, `APP_INTEGRATIONS_LOG`) on every facade.

Each client is made with its variable set, sends real requests to its sandbox over loopback, and what lands on
standard error is read back: one line per answer with method, URL, status, attempt, time and request ID, and not
one secret, although the secrets were put where a careless logger would print them.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest

from sdk_runtime.log_switch import SecretFilter, disable, enable_from_environment
from sdk_sandbox.pytest_plugin import SandboxHandle

SWITCHES = {
    "vault": ("VAULT_LOG", "vault_auth"),
    "vortex": ("VORTEX_LOG", "vortex_sdk"),
    "loops": ("APP_INTEGRATIONS_LOG", "app_integrations.loops"),
    "stripe": ("APP_INTEGRATIONS_LOG", "app_integrations.stripe"),
    "twilio": ("APP_INTEGRATIONS_LOG", "app_integrations.twilio"),
}


def make(api: str, box: SandboxHandle) -> Any:
    if api == "vault":
        from vault_auth import VaultAuth

        return VaultAuth(api_key=box.api_key, base_url=box.url, retry_delay=0.01)
    if api == "vortex":
        from vortex_sdk import Vortex

        return Vortex(api_key=box.api_key, base_url=box.url, retry_delay=0.01)
    from importlib import import_module

    module = import_module(f"app_integrations.{api}")
    if api == "twilio":
        return module.TwilioClient(box.account_sid, box.auth_token, "+15005550006", base_url=box.url,
                                   retry_delay=0.01, debug_mode=False)  # fmt: skip
    cls = getattr(module, {"loops": "LoopsClient", "stripe": "StripeClient"}[api])
    return cls(api_key=box.api_key, base_url=box.url, retry_delay=0.01, debug_mode=False)


def calls(api: str, client: Any, box: SandboxHandle) -> None:
    """A read, and a call that puts the credential itself into the request's path or query."""
    from sdk_runtime import SDKError

    if api == "vault":
        client.users.list()
        with pytest.raises(SDKError):
            client.users.get(box.api_key)  # a 404 whose URL is the key
    elif api == "vortex":
        client.get_invitations_by_target_sync("email", "nobody@example.com")
        with pytest.raises(SDKError):
            client.get_invitation_sync(box.api_key)
    elif api == "loops":
        client.test_api_key()
        client.find_contact(f"{box.api_key}@example.com")
    elif api == "stripe":
        client.list("customers")
        client.retrieve_customer(box.api_key)
    else:
        client.list_messages()
        client.get_message_status(box.auth_token)


@pytest.fixture(params=sorted(SWITCHES))
def api(request: pytest.FixtureRequest) -> Iterator[str]:
    """Each API in turn; its logger is switched off again after the test."""
    yield request.param
    disable(SWITCHES[request.param][1])


@pytest.mark.parametrize("level", ["info", "debug"])
def test_the_switch_logs_each_answer_and_no_secret(
    api: str, level: str, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    box: SandboxHandle = request.getfixturevalue(f"{api}_sandbox")
    env, _ = SWITCHES[api]
    monkeypatch.setenv(env, level)
    box.inject_fault("status", count=1, status=503)
    with make(api, box) as client:
        calls(api, client, box)
    err = capsys.readouterr().err
    secrets = [box.api_key] + ([box.auth_token] if api == "twilio" else [])
    for secret in secrets:
        assert secret not in err
    assert re.search(r"GET http://127\.0\.0\.1:\d+/\S+ -> 503 \(attempt 1, [\d.]+ ms, request_id=\S+\)", err), err
    assert re.search(r"-> 200 \(attempt 2, [\d.]+ ms, request_id=\S+\)", err), err
    assert "retrying GET" in err
    # Loops and Twilio check their arguments' shape, so a key never reaches their URLs; the headers show it at debug.
    if level == "debug" or api in ("vault", "vortex", "stripe"):
        assert "[REDACTED]" in err  # a credential in the URL or the headers was there to be caught, and was
    if level == "debug":
        assert "headers:" in err and "User-Agent" in err
    else:
        assert "headers:" not in err


def test_without_the_variable_nothing_is_written(
    vault_sandbox: SandboxHandle, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("VAULT_LOG", raising=False)
    from vault_auth import VaultAuth

    with VaultAuth(api_key=vault_sandbox.api_key, base_url=vault_sandbox.url) as client:
        client.users.list()
    assert capsys.readouterr().err == ""


def test_an_unknown_level_warns_and_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOME_SDK_LOG", "verbose")
    with pytest.warns(RuntimeWarning, match="SOME_SDK_LOG='verbose' is not a log level"):
        assert enable_from_environment("SOME_SDK_LOG", "some_sdk") is False
    assert logging.getLogger("some_sdk").level == logging.NOTSET


def test_the_filter_catches_credentials_it_was_not_told_about() -> None:
    secret_filter = SecretFilter()
    secret_filter.add(["vault_m2m_registered_key"])
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "%s | %s | %s", (
        "key vault_m2m_registered_key", "Authorization: Bearer sk_live_unregistered123", "{'api_key': 'abcdef123456'}",
    ), None)  # fmt: skip
    secret_filter.filter(record)
    text = record.getMessage()
    assert "registered_key" not in text and "unregistered123" not in text and "abcdef123456" not in text
