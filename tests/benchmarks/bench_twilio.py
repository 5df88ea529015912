"""Twilio figures against twilio-python 9.13.0 and raw httpx, measured in this one run.

Signature validation and the cold start run in the bench env, where our wheels and twilio-python sit side by side;
the send round trip runs here against the Twilio sandbox in its own process (as the real API is remote).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

import httpx
from harness import Row, cold_cpu_seconds

from app_integrations.twilio import TwilioClient

SID = "AC" + "0" * 32
# Seconds per validation of one status callback, ours then twilio-python's, printed by the bench env.
VALIDATE_LOOP = """
import time
from app_integrations.twilio.signatures import compute_signature, validate_signature
from twilio.request_validator import RequestValidator
token = "bench-token-0123456789abcdef"
url = "https://app.example.com/integrations/webhooks/twilio/?tenant=7"
params = {"AccountSid": "AC" + "1" * 32, "ApiVersion": "2010-04-01", "From": "+15005550006",
          "MessageSid": "SM" + "2" * 32, "MessageStatus": "delivered", "SmsSid": "SM" + "2" * 32,
          "SmsStatus": "delivered", "To": "+12125551234"}
signature = compute_signature(url, params, token)
theirs = RequestValidator(token)
assert validate_signature(url, params, signature, token) and theirs.validate(url, params, signature)
def best(fn):
    for _ in range(2000):
        fn()
    times = []
    for _ in range(7):
        start = time.perf_counter()
        for _ in range(5000):
            fn()
        times.append((time.perf_counter() - start) / 5000)
    return min(times)
ours, other = [], []
for _ in range(3):  # interleaved
    ours.append(best(lambda: validate_signature(url, params, signature, token)))
    other.append(best(lambda: theirs.validate(url, params, signature)))
print(min(ours), min(other))
"""
OURS_COLD = (
    f"from app_integrations.twilio import TwilioClient\nTwilioClient({SID!r}, 'token-0123456789', '+15005550006')"
)
THEIRS_COLD = f"from twilio.rest import Client\nClient({SID!r}, 'token-0123456789')"


def start_sandbox() -> tuple[subprocess.Popen[str], str, str, str]:
    """The Twilio sandbox in its own process: the process, its URL, account SID and auth token."""
    process = subprocess.Popen(
        [sys.executable, "-m", "sdk_sandbox", "serve", "--api", "twilio"], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    fields = process.stdout.readline().split()
    process.stdout.readline()
    account, token = fields[-1].split(":", 1)
    return process, fields[1], account, token


def round_trips(url: str, account: str, token: str) -> tuple[float, float]:
    """Median seconds of one send over interleaved rounds: `send_sms` vs a raw httpx POST of the same form."""
    form = {"To": "+12125551234", "From": "+15005550006", "Body": "bench"}
    path = f"{url}/2010-04-01/Accounts/{account}/Messages.json"
    with TwilioClient(account, token, "+15005550006", base_url=url) as client, httpx.Client(
        auth=(account, token)
    ) as raw:  # fmt: skip
        for _ in range(50):
            client.send_sms(form["To"], form["Body"])
            raw.post(path, data=form).raise_for_status()
        ours, theirs = [], []
        for _ in range(15):
            start = time.perf_counter()
            for _ in range(40):
                client.send_sms(form["To"], form["Body"])
            ours.append((time.perf_counter() - start) / 40)
            start = time.perf_counter()
            for _ in range(40):
                raw.post(path, data=form)
            theirs.append((time.perf_counter() - start) / 40)
    return statistics.median(ours), statistics.median(theirs)


def run(baseline_python: str, upstream_python: str) -> list[Row]:
    """Three rows: callback validation, the send round trip, and cold import + client construction."""
    out = subprocess.run([baseline_python, "-c", VALIDATE_LOOP], capture_output=True, text=True, check=True).stdout
    ours_validate, theirs_validate = (float(x) for x in out.split())
    process, url, account, token = start_sandbox()
    try:
        ours_send, raw_send = round_trips(url, account, token)
    finally:
        process.terminate()
        process.wait(timeout=10)
    ours_cold = cold_cpu_seconds(baseline_python, OURS_COLD)
    theirs_cold = cold_cpu_seconds(baseline_python, THEIRS_COLD)
    return [
        Row("twilio: callback signature validation", ours_validate * 1e6, theirs_validate * 1e6,
            "RequestValidator.validate", "us", 1.0),
        Row("twilio: send_sms round trip (sandbox)", ours_send * 1e3, raw_send * 1e3, "raw httpx POST", "ms", 1.15),
        Row("twilio: cold import + TwilioClient()", ours_cold, theirs_cold, "from twilio.rest import Client",
            "s CPU", 1.0),
    ]  # fmt: skip
