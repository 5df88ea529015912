"""Interoperability with twilio-python 9.13.0 (a test peer in its own env): callbacks the sandbox signs validate
under its `RequestValidator`, and signatures its `compute_signature` makes validate under ours, form and JSON."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qsl
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest

from app_integrations.twilio.signatures import body_hash, compute_signature, validate_signature
from sdk_sandbox.pytest_plugin import SandboxHandle

from . import twilio_peer

TOKEN = "interop-token-0123456789"
CASES: list[tuple[str, dict[str, Any]]] = [
    ("https://mycompany.com/myapp.php?foo=1&bar=2", {"CallSid": "CA1234567890ABCDE", "Digits": "1234"}),
    ("https://example.com:443/hook", {"Body": "héllo wörld ✓", "From": "+15005550006", "To": "+12125551234"}),
    ("http://127.0.0.1:8000/integrations/webhooks/twilio/?site=a%20b", {"MessageStatus": "sent", "Empty": ""}),
    ("https://example.com/hook", {"MediaUrl": ["https://b.test/2", "https://a.test/1", "https://a.test/1"]}),
    ("https://example.com/hook", {}),
]


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    """A real HTTP server recording each callback's body and signature."""
    seen: list[dict[str, Any]] = []

    def app(environ: dict[str, Any], start: Any) -> list[bytes]:
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)).decode()
        seen.append({"params": dict(parse_qsl(body, keep_blank_values=True)),
                     "signature": environ.get("HTTP_X_TWILIO_SIGNATURE")})  # fmt: skip
        start("200 OK", [("Content-Type", "text/plain")])
        return [b""]

    server = make_server("127.0.0.1", 0, app, handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", seen
    server.shutdown()
    server.server_close()


def test_callbacks_the_sandbox_signs_validate_under_request_validator(
    twilio_sandbox: SandboxHandle, receiver: tuple[str, list[dict[str, Any]]]
) -> None:
    import httpx

    base, seen = receiver
    url = f"{base}/status?tenant=7"
    with httpx.Client(base_url=twilio_sandbox.url, auth=(twilio_sandbox.account_sid, twilio_sandbox.auth_token)) as c:
        sid = c.post(
            f"/2010-04-01/Accounts/{twilio_sandbox.account_sid}/Messages.json",
            data={"To": "+442071838750", "From": "+15005550006", "Body": "hi", "StatusCallback": url},
        ).json()["sid"]
    twilio_sandbox.advance_message(sid, "undelivered")
    twilio_sandbox.wait_for_callbacks(3, sid)
    cases = [{"op": "validate", "token": twilio_sandbox.auth_token, "url": url, "params": s["params"],
              "signature": s["signature"]} for s in seen]  # fmt: skip
    cases.append({**cases[0], "token": "wrong"})
    assert twilio_peer.run(cases) == [True, True, True, False]
    assert all(validate_signature(url, s["params"], s["signature"], twilio_sandbox.auth_token) for s in seen)


def test_request_validator_signatures_validate_under_ours_for_form_bodies() -> None:
    signatures = twilio_peer.run([{"op": "compute", "token": TOKEN, "url": u, "params": p} for u, p in CASES])
    for (url, params), signature in zip(CASES, signatures, strict=True):
        assert validate_signature(url, params, signature, TOKEN), url
        assert compute_signature(url, params, TOKEN) == signature
        assert not validate_signature(url, {**params, "X": "1"}, signature, TOKEN)


def test_our_signatures_validate_under_request_validator() -> None:
    cases = [{"op": "validate", "token": TOKEN, "url": u, "params": p, "signature": compute_signature(u, p, TOKEN)}
             for u, p in CASES if not any(isinstance(v, list) for v in p.values())]  # fmt: skip
    assert twilio_peer.run(cases) == [True] * len(cases)


def test_json_bodies_interoperate_through_body_sha256() -> None:
    body = json.dumps({"MessageSid": "SM" + "5" * 32, "MessageStatus": "delivered", "note": "é"})
    (their_hash,) = twilio_peer.run([{"op": "hash", "token": TOKEN, "body": body}])
    assert their_hash == body_hash(body)
    url = f"https://example.com/hook?bodySHA256={their_hash}"
    (their_signature,) = twilio_peer.run([{"op": "compute", "token": TOKEN, "url": url, "params": {}}])
    assert validate_signature(url, None, their_signature, TOKEN, body=body)
    assert not validate_signature(url, None, their_signature, TOKEN, body=body.replace("delivered", "failed"))
    ours = compute_signature(url, None, TOKEN)
    assert twilio_peer.run([{"op": "validate", "token": TOKEN, "url": url, "params": body, "signature": ours}]) == [
        True
    ]


def test_a_request_validator_signature_passes_the_django_view(twilio_sandbox: SandboxHandle, sms_db: None) -> None:
    from django.test import Client, override_settings

    path = "/integrations/webhooks/twilio/"
    params = {"MessageSid": "SM" + "6" * 32, "MessageStatus": "sent", "AccountSid": twilio_sandbox.account_sid}
    signature, = twilio_peer.run([{"op": "compute", "token": TOKEN, "url": "https://app.example.com" + path,
                                   "params": params}])  # fmt: skip
    with override_settings(TWILIO_AUTH_TOKEN=TOKEN, TWILIO_STATUS_CALLBACK_BASE_URL="https://app.example.com"):
        answer = Client().post(path, params, HTTP_X_TWILIO_SIGNATURE=signature)
    assert answer.status_code == 200 and answer.json()["duplicate"] is False


def test_shared_key_hmac_sha256_signatures_interoperate(twilio_sandbox: SandboxHandle, sms_db: None) -> None:
    from django.test import Client, override_settings

    url, params = CASES[1]
    theirs, = twilio_peer.run([{"op": "compute", "token": TOKEN, "url": url, "params": params,
                                "algorithm": "HMAC_SHA256"}])  # fmt: skip
    assert validate_signature(url, params, theirs, TOKEN, algorithm="HMAC_SHA256")
    ours = compute_signature(url, params, TOKEN, "HMAC_SHA256")
    check = {"op": "validate", "token": TOKEN, "url": url, "params": params, "signature": ours,
             "algorithm": "HMAC_SHA256"}  # fmt: skip
    assert twilio_peer.run([check]) == [True]
    path = "/integrations/webhooks/twilio/"
    form = {"MessageSid": "SM" + "7" * 32, "MessageStatus": "sent"}
    signed, = twilio_peer.run([{"op": "compute", "token": "shared-key-secret", "url": "https://app.example.com" + path,
                                "params": form, "algorithm": "HMAC_SHA256"}])  # fmt: skip
    header = {"HTTP_X_TWILIO_WEBHOOKS_SIGNATURE_SETTINGS": "key=webhooks_sharedkey_1,algorithm=HMAC_SHA256"}
    with override_settings(TWILIO_WEBHOOK_AUTH_TOKENS=["shared-key-secret"],
                           TWILIO_STATUS_CALLBACK_BASE_URL="https://app.example.com"):  # fmt: skip
        assert Client().post(path, form, HTTP_X_TWILIO_SIGNATURE=signed, **header).status_code == 200
        assert Client().post(path, form, HTTP_X_TWILIO_SIGNATURE=signed).status_code == 400  # read as SHA-1
