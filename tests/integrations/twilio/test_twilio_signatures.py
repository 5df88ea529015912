"""`X-Twilio-Signature` computed and validated as twilio-python's RequestValidator does, minus its pitfalls."""

from __future__ import annotations

import json

import pytest

from app_integrations.twilio import RequestValidator, compute_signature, validate_signature
from app_integrations.twilio.signatures import body_hash, url_variants

TOKEN = "12345"
URL = "https://mycompany.com/myapp.php?foo=1&bar=2"
PARAMS = {
    "CallSid": "CA1234567890ABCDE",
    "Caller": "+12349013030",
    "Digits": "1234",
    "From": "+12349013030",
    "To": "+18005551212",
}
KNOWN = "0/KCTR6DLpKmkAf8muzZqo1nDgQ="  # Twilio's documented example


def test_twilios_documented_example() -> None:
    assert compute_signature(URL, PARAMS, TOKEN) == KNOWN
    assert validate_signature(URL, PARAMS, KNOWN, TOKEN)


@pytest.mark.parametrize(
    "url",
    ["https://mycompany.com:443/myapp.php?foo=1&bar=2", "https://mycompany.com/myapp.php?foo=1&bar=2"],
)
def test_the_default_port_may_be_present_or_not(url: str) -> None:
    assert validate_signature(url, PARAMS, KNOWN, TOKEN)
    signed_with_port = compute_signature("https://mycompany.com:443/myapp.php?foo=1&bar=2", PARAMS, TOKEN)
    assert validate_signature(url, PARAMS, signed_with_port, TOKEN)


@pytest.mark.parametrize(
    "url",
    [
        "http://mycompany.com/myapp.php?foo=1&bar=2",  # scheme changed by a TLS-terminating proxy
        "https://mycompany.com:8443/myapp.php?foo=1&bar=2",  # another port is another URL
        "https://evil.example/myapp.php?foo=1&bar=2",
        "https://mycompany.com/myapp.php?foo=1&bar=3",
    ],
)
def test_another_url_does_not_validate(url: str) -> None:
    assert not validate_signature(url, PARAMS, KNOWN, TOKEN)


def test_url_variants() -> None:
    assert url_variants("https://a.test/x") == ["https://a.test/x", "https://a.test:443/x"]
    assert url_variants("http://a.test:80/x") == ["http://a.test:80/x", "http://a.test/x"]
    assert url_variants("https://a.test:8443/x") == ["https://a.test:8443/x"]


@pytest.mark.parametrize(
    "change", [{"Digits": "1235"}, {"Extra": "1"}, {"To": "+18005551213"}], ids=["changed", "added", "to"]
)
def test_any_changed_parameter_fails(change: dict[str, str]) -> None:
    assert not validate_signature(URL, {**PARAMS, **change}, KNOWN, TOKEN)


@pytest.mark.parametrize("signature", [None, "", "0/KCTR6DLpKmkAf8muzZqo1nDgQ", "é" * 28, KNOWN.lower()])
def test_missing_or_malformed_signatures_are_false_never_an_exception(signature: str | None) -> None:
    assert validate_signature(URL, PARAMS, signature, TOKEN) is False


def test_a_wrong_or_empty_token_fails_and_rotation_accepts_either() -> None:
    assert not validate_signature(URL, PARAMS, KNOWN, "54321")
    assert not validate_signature(URL, PARAMS, KNOWN, "")
    assert not validate_signature(URL, PARAMS, KNOWN, [])
    assert validate_signature(URL, PARAMS, KNOWN, ["new-token", TOKEN])


def test_repeated_values_are_sorted_and_deduplicated_like_twilio_python() -> None:
    class MultiDict(dict[str, list[str]]):
        def getlist(self, key: str) -> list[str]:
            return self[key]

    a = compute_signature("https://a.test/x", MultiDict({"MediaUrl": ["b", "a", "b"]}), TOKEN)
    assert a == compute_signature("https://a.test/x", {"MediaUrl": ["a", "b"]}, TOKEN)


def test_json_bodies_are_checked_against_body_sha256() -> None:
    body = json.dumps({"event": "x"}).encode()
    url = f"https://a.test/hook?bodySHA256={body_hash(body)}"
    signature = compute_signature(url, None, TOKEN)
    assert validate_signature(url, None, signature, TOKEN, body=body)
    assert not validate_signature(url, None, signature, TOKEN, body=body + b" ")
    assert not validate_signature(url, None, signature, TOKEN)  # the body must be given


def test_the_request_validator_interface() -> None:
    validator = RequestValidator(TOKEN)
    assert validator.compute_signature(URL, PARAMS) == KNOWN
    assert validator.validate(URL, PARAMS, KNOWN)
    assert validator.validate(URL, PARAMS, None) is False  # twilio-python raises TypeError here
    body = '{"a": 1}'
    url = f"https://a.test/hook?bodySHA256={validator.compute_hash(body)}"
    signature = validator.compute_signature(url, {})
    assert validator.validate(url, body, signature)
    assert not validator.validate(url, '{"a": 2}', signature)
    assert not validator.validate(url, {}, signature)  # a dict cannot skip the body check
    assert TOKEN not in repr(validator)


def test_shared_key_signatures_may_use_hmac_sha256() -> None:
    from app_integrations.twilio.signatures import signature_algorithm

    assert signature_algorithm(None) == signature_algorithm("") == signature_algorithm("key=k1") == "HMAC_SHA1"
    algorithm = signature_algorithm("key=webhooks_sharedkey_1, algorithm=HMAC_SHA256")
    assert algorithm == "HMAC_SHA256"
    signature = compute_signature(URL, PARAMS, "shared-secret", algorithm)
    assert len(signature) == 44 and signature != compute_signature(URL, PARAMS, "shared-secret")
    assert validate_signature(URL, PARAMS, signature, "shared-secret", algorithm=algorithm)
    assert not validate_signature(URL, PARAMS, signature, "shared-secret")  # read as SHA-1: no
    assert not validate_signature(URL, PARAMS, signature, "shared-secret", algorithm="HMAC_MD5")
    with pytest.raises(ValueError, match="unsupported"):
        compute_signature(URL, PARAMS, "shared-secret", "HMAC_MD5")
