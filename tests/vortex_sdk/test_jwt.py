"""`generate_jwt`: byte-identical to the upstream SDK (reference test vector) and accepted by the sandbox's verifier."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any
from unittest import mock

import freezegun
import pytest

from sdk_sandbox.pytest_plugin import SandboxHandle
from vortex_sdk import ConfigurationError, User, Vortex
from vortex_sdk.jwt import mint, parse_api_key, parse_expires_in

# reference/upstream-apis.md §1.2, produced by the upstream SDK with time.time() patched to 1700000000.
VECTOR_KEY = "VRTX.AAAAAAAAAAAAAAAAAAAAAA.test_secret_key"
VECTOR_USER = {"id": "user-123", "email": "user@example.com"}
VECTOR_1H = (
    "eyJpYXQiOjE3MDAwMDAwMDAsImFsZyI6IkhTMjU2IiwidHlwIjoiSldUIiwia2lkIjoiMDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAwIn0"
    ".eyJ1c2VySWQiOiJ1c2VyLTEyMyIsInVzZXJFbWFpbCI6InVzZXJAZXhhbXBsZS5jb20iLCJleHBpcmVzIjoxNzAwMDAzNjAwfQ"
    ".grKQnVCC9mxcHe4ha4UKJkWteNGuo9xn1zDaGGwcF08"
)
VECTOR_30D_SIGNATURE = "JwTUp5BEroQrxxlQZ0hWJNBzIhhf7QOZL_7zRoFutcI"


def decode(part: str) -> Any:
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def raw_parts(token: str) -> tuple[str, str]:
    """Header and payload JSON text exactly as encoded (order and spacing matter for byte compatibility)."""
    header, payload, _ = token.split(".")
    pad = lambda p: p + "=" * (-len(p) % 4)  # noqa: E731
    return base64.urlsafe_b64decode(pad(header)).decode(), base64.urlsafe_b64decode(pad(payload)).decode()


def test_reference_vector_one_hour() -> None:
    key = parse_api_key(VECTOR_KEY)
    assert key.kid == "00000000-0000-0000-0000-000000000000"
    assert key.key.hex() == "af98caac63498e845dfc30cfe223c8a091f25e1c5a7e1b158c96245e16aa9f56"
    assert mint(key, VECTOR_USER, {}, clock=lambda: 1700000000) == VECTOR_1H
    assert mint(key, User(**VECTOR_USER), {}, clock=lambda: 1700000000.9) == VECTOR_1H


def test_reference_vector_thirty_days_as_published_0_19() -> None:
    token = mint(parse_api_key(VECTOR_KEY), VECTOR_USER, {}, expires_in="30d", clock=lambda: 1700000000)
    assert token.split(".")[2] == VECTOR_30D_SIGNATURE
    assert decode(token.split(".")[1])["expires"] == 1702592000


def test_generate_jwt_default_is_one_hour_from_now() -> None:
    before = int(time.time())
    token = Vortex(api_key=VECTOR_KEY).generate_jwt(user=VECTOR_USER)
    header, payload = decode(token.split(".")[0]), decode(token.split(".")[1])
    assert list(header) == ["iat", "alg", "typ", "kid"]
    assert header["alg"] == "HS256" and header["typ"] == "JWT"
    assert before <= header["iat"] <= int(time.time())
    assert payload["expires"] - header["iat"] == 3600
    assert "exp" not in payload and "iat" not in payload


def test_claim_order_matches_upstream() -> None:
    user = User(id="u1", email="a@example.com", admin_scopes=["autojoin"], userName="Ada", department="Eng", scope="x")
    token = mint(parse_api_key(VECTOR_KEY), user, {"componentId": "c1", "scope": "s2"}, clock=lambda: 1700000000)
    header_text, payload_text = raw_parts(token)
    assert header_text == '{"iat":1700000000,"alg":"HS256","typ":"JWT","kid":"00000000-0000-0000-0000-000000000000"}'
    # identity, expiry, userName, adminScopes, the user's extras in order, then **extra (later keys overwrite).
    assert payload_text == (
        '{"userId":"u1","userEmail":"a@example.com","expires":1700003600,"userName":"Ada",'
        '"adminScopes":["autojoin"],"department":"Eng","scope":"s2","componentId":"c1"}'
    )


def test_seed_calls_run_as_written() -> None:
    vortex = Vortex(api_key=VECTOR_KEY, base_url="https://api.vortexsoftware.com/api/v1")
    user = User(id="user-123", email="user@example.com", admin_scopes=["autojoin"])
    assert decode(vortex.generate_jwt(user=user).split(".")[1])["adminScopes"] == ["autojoin"]
    user_dict = {"id": "user-123", "email": "user@example.com", "admin_scopes": ["autojoin"]}
    assert vortex.generate_jwt(user=user_dict).split(".")[1] == vortex.generate_jwt(user=user).split(".")[1]
    jwt = vortex.generate_jwt(
        user=User(id="user-123", email="user@example.com"),
        componentId="optional-component-id",
        scope="optional-scope",
        scopeType="optional-scope-type",
    )
    payload = decode(jwt.split(".")[1])
    assert (payload["componentId"], payload["scope"], payload["scopeType"]) == (
        "optional-component-id",
        "optional-scope",
        "optional-scope-type",
    )
    # The seed's to_vortex_user passes admin_scopes=None for non-admins: no adminScopes claim at all.
    plain = decode(vortex.generate_jwt(user=User(id="u", email="e@example.com", admin_scopes=None)).split(".")[1])
    assert "adminScopes" not in plain


@pytest.mark.parametrize(
    ("value", "seconds"), [(None, 3600), (90, 90), ("30s", 30), ("5m", 300), ("1h", 3600), ("7d", 604800)]
)
def test_expires_in_forms(value: Any, seconds: int) -> None:
    assert parse_expires_in(value) == seconds


@pytest.mark.parametrize("value", [0, -5, "5", "1w", "h", "1.5h", 1.5, True, 10**9, "999999999d"])
def test_bad_expires_in_is_refused(value: Any) -> None:
    with pytest.raises(ValueError, match="expires_in"):
        Vortex(api_key=VECTOR_KEY).generate_jwt(user=VECTOR_USER, expires_in=value)


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("not-a-key", "Invalid API key format. Expected: VRTX.{encodedId}.{key}"),
        ("VRTX.a.b.c", "Invalid API key format. Expected: VRTX.{encodedId}.{key}"),
        ("VRTY.AAAAAAAAAAAAAAAAAAAAAA.secret", "Invalid API key prefix. Expected: VRTX"),
        ("VRTX.AAAA.secret", "Invalid UUID in API key: "),
        ("VRTX.!!!!.secret", "Invalid UUID in API key: "),
        ("VRTX.AAAAAAAAAAAAAAAAAAAAAA.", "Invalid API key format. Expected: VRTX.{encodedId}.{key}"),
    ],
)
def test_malformed_key_fails_at_construction_with_upstream_message(key: str, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        Vortex(api_key=key)
    assert isinstance(caught.value, ConfigurationError)
    assert str(caught.value).startswith(message)


@pytest.mark.usefixtures("no_configured_credentials")
def test_key_from_environment_and_missing_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("VORTEX_API_KEY", VECTOR_KEY)
    assert Vortex().generate_jwt(user=VECTOR_USER).count(".") == 2
    monkeypatch.delenv("VORTEX_API_KEY")
    with pytest.raises(ConfigurationError, match="VORTEX_API_KEY"):
        Vortex()


def test_key_and_signing_key_never_shown() -> None:
    vortex = Vortex(api_key=VECTOR_KEY)
    key = parse_api_key(VECTOR_KEY)
    for text in (repr(vortex), str(vortex), repr(key), repr(vars(vortex))):
        assert "test_secret_key" not in text
        assert key.key.hex() not in text


@pytest.mark.parametrize(
    ("user", "error"),
    [
        ({"email": "a@example.com"}, ValueError),
        ({"id": "u1"}, ValueError),
        ({"id": "", "email": "a@example.com"}, ValueError),
        ({"id": 5, "email": "a@example.com"}, ValueError),
        ({"id": "u1", "email": "a@example.com", "admin_scopes": "autojoin"}, ValueError),
        ({"id": "u1", "email": "a@example.com", "admin_scopes": [1]}, ValueError),
        ("user-123", TypeError),
    ],
)
def test_bad_user_is_refused(user: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        Vortex(api_key=VECTOR_KEY).generate_jwt(user=user)


def test_unserializable_extra_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="JSON-serializable"):
        Vortex(api_key=VECTOR_KEY).generate_jwt(user=VECTOR_USER, when=object())


def test_sandbox_verifies_generated_tokens(vortex_sandbox: SandboxHandle) -> None:
    vortex = Vortex(api_key=vortex_sandbox.api_key, base_url=vortex_sandbox.url)
    token = vortex.generate_jwt(
        user=User(id="user-9", email="nine@example.com", admin_scopes=["autojoin"]), componentId="c1", expires_in="5m"
    )
    verified = vortex_sandbox.control("POST", "/sandbox/jwt/verify", {"token": token})
    assert verified["payload"]["userId"] == "user-9"
    assert verified["payload"]["adminScopes"] == ["autojoin"]
    assert verified["payload"]["componentId"] == "c1"
    assert verified["header"]["kid"] == parse_api_key(vortex_sandbox.api_key).kid


def test_sandbox_refuses_a_token_from_another_key(vortex_sandbox: SandboxHandle) -> None:
    other = "VRTX.AAAAAAAAAAAAAAAAAAAAAA.someone_elses_key"
    token = Vortex(api_key=other).generate_jwt(user=VECTOR_USER)
    with pytest.raises(Exception, match="401"):
        vortex_sandbox.control("POST", "/sandbox/jwt/verify", {"token": token})


def test_generate_jwt_reads_a_clock_patched_with_mock() -> None:
    # `time.time` is looked up per call, so a patch made after import governs the token (as it does upstream).
    with mock.patch("time.time", return_value=1700000000.0):
        assert Vortex(api_key=VECTOR_KEY).generate_jwt(VECTOR_USER) == VECTOR_1H
        token = Vortex(api_key=VECTOR_KEY).generate_token({"user": {"id": "user-123"}})
    assert decode(token.split(".")[1]) == {"user": {"id": "user-123"}, "iat": 1700000000, "exp": 1702592000}


def test_generate_jwt_reads_a_clock_frozen_with_freezegun() -> None:
    # Only this test's clock is frozen: the session's sandbox servers run asyncio loops in other threads, and a timer
    # they set on a frozen clock would never fire (their stop would hang). freezegun's `real_asyncio` patches the loop
    # class only after it has frozen `time.monotonic`, a window those threads hit; `ignore` holds from the start.
    with freezegun.freeze_time("2023-11-14T22:13:20Z", ignore=["asyncio"]):  # 1700000000
        assert Vortex(api_key=VECTOR_KEY).generate_jwt(VECTOR_USER) == VECTOR_1H
        assert Vortex(api_key=VECTOR_KEY).generate_jwt(VECTOR_USER, expires_in="30d").endswith(VECTOR_30D_SIGNATURE)
        token = Vortex(api_key=VECTOR_KEY).generate_token({"user": {"id": "u"}}, {"expiresIn": 60})
    assert decode(token.split(".")[1])["iat"] == 1700000000
    assert decode(token.split(".")[0]) == {"alg": "HS256", "typ": "JWT", "kid": "00000000-0000-0000-0000-000000000000"}


def test_generate_token_takes_upstream_models_and_warns_without_a_user_id(caplog: pytest.LogCaptureFixture) -> None:
    class Payload:  # what a pydantic model offers
        def model_dump(self, **options: Any) -> dict[str, Any]:
            return {"component": "widget-1", "scope": "ws-1"}

    token = Vortex(api_key=VECTOR_KEY).generate_token(Payload())  # type: ignore[arg-type]
    assert decode(token.split(".")[1])["component"] == "widget-1"
    assert "without user.id" in caplog.text


def test_sign_matches_the_documented_canonical_hmac() -> None:
    key = parse_api_key(VECTOR_KEY)
    user = {"id": "user-123", "email": "user@example.com", "adminScopes": ["b", "a"], "meta": {"z": 1, "a": 2}}
    canonical = '{"adminScopes":["b","a"],"meta":{"a":2,"z":1},"userEmail":"user@example.com","userId":"user-123"}'
    expected = hmac.new(key.key, canonical.encode(), hashlib.sha256).hexdigest()
    vortex = Vortex(api_key=VECTOR_KEY)
    assert vortex.sign(user) == f"{key.kid}:{expected}"
    assert vortex.sign(User(id="user-123", email="user@example.com")) == vortex.sign(VECTOR_USER)
    with pytest.raises(ValueError, match="userId"):
        vortex.sign({"email": "user@example.com"})
