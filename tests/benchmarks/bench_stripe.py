"""Stripe figures against stripe-python 16.1.0, measured in this one run, both in the bench env (our wheels there).

Webhook verification of one payload (ours vs `stripe.Webhook.construct_event`), a `create_customer` round trip
against the same Stripe sandbox (ours vs `client.v1.customers.create`), and a cold import plus client construction
(ours vs `import stripe`).
"""

from __future__ import annotations

import subprocess
import sys

from harness import Row, cold_cpu_seconds

SECRET = "whsec_bench_secret"
VERIFY_SETUP = f"""
import json, time
invoice = {{"id": "in_1", "object": "invoice", "amount_paid": 2000, "lines": {{"data": [{{}}] * 3}}}}
payload = json.dumps({{"id": "evt_1", "object": "event", "type": "invoice.paid", "data": {{"object": invoice}}}})
payload = payload.encode()
import hmac, hashlib
stamp = int(time.time())
mac = hmac.new({SECRET!r}.encode(), f"{{stamp}}.".encode() + payload, hashlib.sha256).hexdigest()
header = f"t={{stamp}},v1={{mac}}"
"""
VERIFY_OURS = "from app_integrations.stripe.webhooks import verify\ncall = lambda: verify(payload, header, {s!r})"
VERIFY_STRIPE = "import stripe\ncall = lambda: stripe.Webhook.construct_event(payload, header, {s!r})"
LOOP = """
for _ in range(500):
    call()
best = None
for _ in range({rounds}):
    start = time.perf_counter()
    for _ in range({n}):
        call()
    took = (time.perf_counter() - start) / {n}
    best = took if best is None else min(best, took)
print(best)
"""
CREATE_OURS = """
import time
from app_integrations.stripe import StripeClient
client = StripeClient(api_key={key!r}, base_url={url!r}, max_retries=0)
call = lambda: client.create_customer("bench@example.com", name="Bench")
"""
CREATE_STRIPE = """
import time, stripe
client = stripe.StripeClient({key!r}, base_addresses={{"api": {url!r}}})
call = lambda: client.v1.customers.create(params={{"email": "bench@example.com", "name": "Bench"}})
"""


def per_call(python: str, code: str) -> float:
    out = subprocess.run([python, "-c", code], capture_output=True, text=True, check=True).stdout
    return float(out.strip().splitlines()[-1])


def run(baseline_python: str, upstream_python: str) -> list[Row]:
    """Three rows; see the module docstring."""
    loop = LOOP.format(rounds=7, n=3000)
    ours_verify = per_call(baseline_python, VERIFY_SETUP + VERIFY_OURS.format(s=SECRET) + loop)
    stripe_verify = per_call(baseline_python, VERIFY_SETUP + VERIFY_STRIPE.format(s=SECRET) + loop)
    process = subprocess.Popen(
        [sys.executable, "-m", "sdk_sandbox", "serve", "--api", "stripe"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None
        fields = process.stdout.readline().split()
        process.stdout.readline()
        url, key = fields[1], fields[-1]
        round_trip = LOOP.replace("range(500)", "range(50)").format(rounds=5, n=150)
        ours_create = per_call(baseline_python, CREATE_OURS.format(key=key, url=url) + round_trip)
        stripe_create = per_call(baseline_python, CREATE_STRIPE.format(key=key, url=url) + round_trip)
    finally:
        process.terminate()
        process.wait(timeout=10)
    ours_import = cold_cpu_seconds(
        baseline_python,
        "from app_integrations.stripe import StripeClient\nStripeClient(api_key='sk_test_x', base_url='http://127.0.0.1:9')",
    )
    stripe_import = cold_cpu_seconds(baseline_python, "import stripe")
    return [
        Row("stripe webhook verify (per call)", ours_verify, stripe_verify, "stripe.Webhook.construct_event", "s", 1.0),
        Row("stripe create_customer round trip", ours_create, stripe_create, "stripe customers.create", "s", 1.0),
        Row("stripe cold import + StripeClient()", ours_import, stripe_import, "import stripe", "s CPU", 0.5),
    ]
