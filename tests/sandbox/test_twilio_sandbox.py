"""The Twilio sandbox over a real socket: messages with Twilio's SIDs and fields, test numbers, Lookups from a real
numbering plan, the delivery life cycle on the sandbox clock, and status callbacks signed as Twilio signs them."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import threading
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qsl
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import httpx
import pytest

from sdk_sandbox.pytest_plugin import SandboxHandle

SENDER = "+15005550006"
MOBILE = "+12125551234"
LANDLINE = "+442071838750"


class Receiver:
    """A real HTTP server on loopback that records every status callback; answers with `status` (a list cycles)."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.statuses: list[int] = [200]
        self._server: WSGIServer = make_server("127.0.0.1", 0, self._app, handler_class=_Quiet)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.02,), daemon=True)
        self._thread.start()

    def _app(self, environ: dict[str, Any], start: Any) -> list[bytes]:
        body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        self.requests.append({
            "path": environ["PATH_INFO"], "query": environ.get("QUERY_STRING", ""), "body": body,
            "params": dict(parse_qsl(body.decode())), "signature": environ.get("HTTP_X_TWILIO_SIGNATURE"),
            "token": environ.get("HTTP_I_TWILIO_IDEMPOTENCY_TOKEN"), "agent": environ.get("HTTP_USER_AGENT"),
        })  # fmt: skip
        status = self.statuses[min(len(self.requests), len(self.statuses)) - 1]
        start(f"{status} X", [("Content-Type", "text/plain")])
        return [b"ok"]

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


def api(sandbox: SandboxHandle) -> httpx.Client:
    return httpx.Client(base_url=sandbox.url, auth=(sandbox.account_sid, sandbox.auth_token), timeout=10)


def send(sandbox: SandboxHandle, **form: Any) -> httpx.Response:
    fields = {"To": MOBILE, "From": SENDER, "Body": "hello", **form}
    with api(sandbox) as client:
        return client.post(f"/2010-04-01/Accounts/{sandbox.account_sid}/Messages.json", data=fields)


def sign(url: str, params: dict[str, str], token: str) -> str:
    text = url + "".join(k + params[k] for k in sorted(params))
    return base64.b64encode(hmac.new(token.encode(), text.encode(), hashlib.sha1).digest()).decode()


def test_a_message_is_created_queued_with_twilio_fields(twilio_sandbox: SandboxHandle) -> None:
    response = send(twilio_sandbox, Body="hello é")
    assert response.status_code == 201
    message = response.json()
    assert re.fullmatch(r"SM[0-9a-f]{32}", message["sid"])
    assert message["status"] == "queued" and message["direction"] == "outbound-api"
    assert (message["to"], message["from"], message["body"]) == (MOBILE, SENDER, "hello é")
    assert message["num_segments"] == "1" and message["price"] is None and message["error_code"] is None
    assert parsedate_to_datetime(message["date_created"]).tzinfo is not None
    assert message["uri"] == f"/2010-04-01/Accounts/{twilio_sandbox.account_sid}/Messages/{message['sid']}.json"


def test_repeated_media_urls_make_an_mms(twilio_sandbox: SandboxHandle) -> None:
    body = b"To=%2B12125551234&From=%2B15005550006&MediaUrl=https%3A%2F%2Fa.test%2F1&MediaUrl=https%3A%2F%2Fa.test%2F2"
    with api(twilio_sandbox) as client:
        response = client.post(
            f"/2010-04-01/Accounts/{twilio_sandbox.account_sid}/Messages.json",
            content=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )
    assert response.status_code == 201, response.text
    assert response.json()["sid"].startswith("MM") and response.json()["num_media"] == "2"


@pytest.mark.parametrize(
    ("sender", "to", "code"),
    [
        (SENDER, "+15005550001", 21211),
        (SENDER, "+15005550002", 21612),
        (SENDER, "+15005550003", 21408),
        (SENDER, "+15005550004", 21610),
        (SENDER, "+15005550009", 21614),
        ("+15005550001", MOBILE, 21212),
        ("+15005550007", MOBILE, 21606),
        ("+15005550008", MOBILE, 21611),
        ("+15005550005", MOBILE, 21606),
        ("+15005550001", "+15005550001", 21212),  # the From rule is applied first
        (SENDER, "+1234567890", 21211),  # not a number of the numbering plan
    ],
)
def test_test_numbers_give_their_documented_errors(
    twilio_sandbox: SandboxHandle, sender: str, to: str, code: int
) -> None:
    response = send(twilio_sandbox, From=sender, To=to)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == code and body["status"] == 400
    assert body["more_info"] == f"https://www.twilio.com/docs/errors/{code}"


@pytest.mark.parametrize(
    ("form", "code"), [({"Body": ""}, 21602), ({"Body": "x" * 1601}, 21617), ({"To": None}, 21604)]
)
def test_bad_fields_get_twilio_codes(twilio_sandbox: SandboxHandle, form: dict[str, Any], code: int) -> None:
    fields = {k: v for k, v in {"To": MOBILE, "From": SENDER, "Body": "hi", **form}.items() if v is not None}
    with api(twilio_sandbox) as client:
        response = client.post(f"/2010-04-01/Accounts/{twilio_sandbox.account_sid}/Messages.json", data=fields)
    assert response.status_code == 400 and response.json()["code"] == code


def test_wrong_or_missing_credentials_are_20003(twilio_sandbox: SandboxHandle) -> None:
    path = f"/2010-04-01/Accounts/{twilio_sandbox.account_sid}/Messages.json"
    for auth in [(twilio_sandbox.account_sid, "wrong"), None]:
        with httpx.Client(base_url=twilio_sandbox.url, auth=auth) as client:
            response = client.get(path)
        assert response.status_code == 401
        assert response.json()["code"] == 20003 and response.headers["www-authenticate"] == "Basic"


def test_unknown_messages_and_other_accounts_are_20404(twilio_sandbox: SandboxHandle) -> None:
    with api(twilio_sandbox) as client:
        missing = client.get(f"/2010-04-01/Accounts/{twilio_sandbox.account_sid}/Messages/SM{'0' * 32}.json")
        other = client.get(f"/2010-04-01/Accounts/AC{'1' * 32}/Messages.json")
    assert missing.status_code == other.status_code == 404
    assert missing.json()["code"] == other.json()["code"] == 20404


def test_the_list_pages_with_next_page_uri(twilio_sandbox: SandboxHandle) -> None:
    sids = [send(twilio_sandbox, Body=f"n{i}").json()["sid"] for i in range(5)]
    seen: list[str] = []
    uri: str | None = f"/2010-04-01/Accounts/{twilio_sandbox.account_sid}/Messages.json?PageSize=2&To=%2B12125551234"
    with api(twilio_sandbox) as client:
        while uri:
            page = client.get(uri).json()
            assert page["page_size"] == 2
            seen += [m["sid"] for m in page["messages"]]
            uri = page["next_page_uri"]
    assert seen == sids[::-1]


def test_the_clock_moves_a_message_to_delivered_with_a_signed_callback_each_step(
    twilio_sandbox: SandboxHandle, receiver: Receiver
) -> None:
    url = f"{receiver.url}/status?site=1"
    sid = send(twilio_sandbox, StatusCallback=url).json()["sid"]
    twilio_sandbox.control("PUT", "/sandbox/clock", {"offset_seconds": 10})
    done = twilio_sandbox.wait_for_callbacks(3, sid)
    assert [c["status"] for c in done] == ["sending", "sent", "delivered"]
    assert [r["params"]["MessageStatus"] for r in receiver.requests] == ["sending", "sent", "delivered"]
    for request in receiver.requests:
        assert request["signature"] == sign(url, request["params"], twilio_sandbox.auth_token)
        assert request["agent"] == "TwilioProxy/1.1" and request["token"]
        assert request["params"]["MessageSid"] == request["params"]["SmsSid"] == sid
        assert "ErrorCode" not in request["params"]
    assert len({r["token"] for r in receiver.requests}) == 3
    with api(twilio_sandbox) as client:
        message = client.get(f"/2010-04-01/Accounts/{twilio_sandbox.account_sid}/Messages/{sid}.json").json()
    assert message["status"] == "delivered" and message["date_sent"] and message["price"]


def test_no_callback_is_sent_for_the_initial_status(twilio_sandbox: SandboxHandle, receiver: Receiver) -> None:
    sid = send(twilio_sandbox, StatusCallback=f"{receiver.url}/s").json()["sid"]
    assert twilio_sandbox.callbacks(sid) == []


def test_a_landline_ends_undelivered_with_30006(twilio_sandbox: SandboxHandle, receiver: Receiver) -> None:
    sid = send(twilio_sandbox, To=LANDLINE, StatusCallback=f"{receiver.url}/s").json()["sid"]
    assert twilio_sandbox.advance_message(sid, "undelivered")["error_code"] == 30006
    done = twilio_sandbox.wait_for_callbacks(3, sid)
    assert done[-1]["params"]["MessageStatus"] == "undelivered" and done[-1]["params"]["ErrorCode"] == "30006"


def test_control_fails_a_message_and_refuses_impossible_moves(twilio_sandbox: SandboxHandle) -> None:
    sid = send(twilio_sandbox).json()["sid"]
    assert twilio_sandbox.fail_message(sid, error_code=30007)["status"] == "failed"
    with pytest.raises(httpx.HTTPStatusError):
        twilio_sandbox.advance_message(sid)
    other = send(twilio_sandbox).json()["sid"]
    message = twilio_sandbox.fail_message(other, "undelivered", 30003)
    assert (message["status"], message["error_code"], message["error_message"]) == (
        "undelivered", 30003, "Unreachable destination handset",
    )  # fmt: skip


def test_a_failing_receiver_is_retried_as_the_url_fragment_says(
    twilio_sandbox: SandboxHandle, receiver: Receiver
) -> None:
    receiver.statuses = [500, 500, 200]
    sid = send(twilio_sandbox, StatusCallback=f"{receiver.url}/s#rc=2").json()["sid"]
    twilio_sandbox.advance_message(sid)
    (callback,) = twilio_sandbox.wait_for_callbacks(1, sid)
    assert (callback["attempts"], callback["response_status"], callback["state"]) == (3, 200, "delivered")
    assert len({r["token"] for r in receiver.requests}) == 1  # one event, one idempotency token, three attempts
    assert all(r["path"] == "/s" for r in receiver.requests)  # the fragment is never sent


def test_a_dropped_answer_still_created_the_message(twilio_sandbox: SandboxHandle) -> None:
    twilio_sandbox.inject_fault("drop_after")
    with pytest.raises(httpx.RemoteProtocolError):
        send(twilio_sandbox)
    with api(twilio_sandbox) as client:
        listed = client.get(f"/2010-04-01/Accounts/{twilio_sandbox.account_sid}/Messages.json").json()
    assert len(listed["messages"]) == 1


@pytest.mark.parametrize("number", ["+12125551234", "%2B12125551234"])
def test_lookup_v2_answers_from_the_numbering_plan(twilio_sandbox: SandboxHandle, number: str) -> None:
    with api(twilio_sandbox) as client:
        found = client.get(f"/v2/PhoneNumbers/{number}", params={"Fields": "line_type_intelligence"}).json()
    assert found["valid"] is True and found["phone_number"] == "+12125551234"
    assert (found["country_code"], found["calling_country_code"], found["national_format"]) == (
        "US", "1", "(212) 555-1234",
    )  # fmt: skip
    assert found["line_type_intelligence"]["type"] == "mobile"
    assert found["line_type_intelligence"]["carrier_name"]


def test_lookup_is_deterministic_and_knows_real_carriers(twilio_sandbox: SandboxHandle) -> None:
    with api(twilio_sandbox) as client:
        first = client.get("/v2/PhoneNumbers/+15108675310", params={"Fields": "line_type_intelligence"}).json()
        again = client.get("/v2/PhoneNumbers/+15108675310", params={"Fields": "line_type_intelligence"}).json()
        french = client.get("/v1/PhoneNumbers/+33612345678", params={"Type": "carrier"}).json()
        landline = client.get("/v2/PhoneNumbers/+442071838750", params={"Fields": "line_type_intelligence"}).json()
    assert first == again
    assert french["carrier"]["name"] == "SFR" and french["carrier"]["type"] == "mobile"
    assert french["national_format"] == "06 12 34 56 78"
    assert landline["line_type_intelligence"]["type"] == "landline"


def test_invalid_numbers_are_valid_false_in_v2_and_404_in_v1(twilio_sandbox: SandboxHandle) -> None:
    with api(twilio_sandbox) as client:
        v2 = client.get("/v2/PhoneNumbers/+1234567890").json()
        v1 = client.get("/v1/PhoneNumbers/+1234567890", params={"Type": "carrier"})
        national = client.get("/v2/PhoneNumbers/2125551234", params={"CountryCode": "US"}).json()
    assert v2["valid"] is False and v2["validation_errors"] == ["TOO_SHORT"] and v2["line_type_intelligence"] is None
    assert v1.status_code == 404 and v1.json()["code"] == 20404
    assert national["valid"] is True and national["phone_number"] == "+12125551234"


def test_callbacks_leave_loopback_only_when_switched_on(twilio_sandbox: SandboxHandle) -> None:
    sid = send(twilio_sandbox, StatusCallback="https://example.com/webhooks/twilio/").json()["sid"]
    twilio_sandbox.advance_message(sid)
    (callback,) = twilio_sandbox.wait_for_callbacks(1, sid)
    assert callback["state"] == "skipped" and callback["attempts"] == 0
    assert twilio_sandbox.control("PUT", "/sandbox/delivery", {"remote_callbacks": True})["remote_callbacks"] is True
    twilio_sandbox.reset()
    assert twilio_sandbox.control("PUT", "/sandbox/delivery", {"step_seconds": 2}) == {
        "step_seconds": 2, "remote_callbacks": False, "retry_delays": [0.2, 0.5, 1.0, 2.0, 4.0],
    }  # fmt: skip
