"""Cold start of every client of the family against its peer, and the first request after it, measured in one run.

A serverless function or a CLI pays import time on every start. Each row is the CPU time of a fresh interpreter that
imports a client and constructs it (the HTTP stack is imported on the first request, not here), against the peer a
user would otherwise import: `import stripe` (Vault, Loops, Stripe), `from twilio.rest import Client` (Twilio), the
published vortex-python-sdk (Vortex). The first-request rows show what the move costs later: a fresh interpreter
that imports, constructs and sends one request to a sandbox on loopback, beside the same without the request.
"""

from __future__ import annotations

import subprocess
import sys

from harness import Row, cold_cpu_seconds

VORTEX_KEY = "VRTX.AAAAAAAAAAAAAAAAAAAAAA.bench_secret_key"
CONSTRUCT = {
    "VaultAuth": "from vault_auth import VaultAuth; c = VaultAuth(api_key={key!r}, base_url={url!r})",
    "LoopsClient": "from app_integrations.loops import LoopsClient; c = LoopsClient(api_key={key!r}, base_url={url!r})",
    "StripeClient": (
        "from app_integrations.stripe import StripeClient; c = StripeClient(api_key={key!r}, base_url={url!r})"
    ),
    "TwilioClient": (
        "from app_integrations.twilio import TwilioClient; "
        "c = TwilioClient({sid!r}, {key!r}, '+15005550006', base_url={url!r})"
    ),
    "Vortex": "from vortex_sdk import Vortex; c = Vortex(api_key={key!r}, base_url={url!r})",
}
FIRST_REQUEST = {
    "VaultAuth": "c.health_check()",
    "LoopsClient": "assert c.test_api_key()['success']",
}


def start_sandbox(api: str) -> tuple[subprocess.Popen[str], str, str]:
    """The API's sandbox in its own process: the process, its URL and API key (Twilio's `SID:token`)."""
    process = subprocess.Popen([sys.executable, "-m", "sdk_sandbox", "serve", "--api", api], stdout=subprocess.PIPE,
                               text=True)  # fmt: skip
    assert process.stdout is not None
    fields = process.stdout.readline().split()
    process.stdout.readline()
    return process, fields[1], fields[-1]


def run(baseline_python: str, upstream_python: str) -> list[Row]:
    """Five cold-start rows (target 0.5x the peer) and two first-request rows (reported, no target)."""
    stripe = cold_cpu_seconds(baseline_python, "import stripe")
    twilio = cold_cpu_seconds(baseline_python, "from twilio.rest import Client")
    fake = {"key": "vault_m2m_bench", "url": "http://127.0.0.1:9", "sid": "AC" + "a" * 32}
    rows = []
    for name, peer, peer_name in (
        ("VaultAuth", stripe, "import stripe"),
        ("LoopsClient", stripe, "import stripe"),
        ("StripeClient", stripe, "import stripe"),
        ("TwilioClient", twilio, "from twilio.rest import Client"),
    ):
        ours = cold_cpu_seconds(baseline_python, CONSTRUCT[name].format(**fake))
        rows.append(Row(f"cold import + {name}(...) (s CPU)", ours, peer, peer_name, "s CPU", 0.5))
    vortex = CONSTRUCT["Vortex"].format(key=VORTEX_KEY, url="https://api.vortexsoftware.com/api/v1")
    ours, theirs = cold_cpu_seconds(baseline_python, vortex), cold_cpu_seconds(upstream_python, vortex)
    rows.append(Row("cold import + Vortex(...) (s CPU)", ours, theirs, "vortex-python-sdk 0.19.0", "s CPU", 0.5))
    for name, api in (("VaultAuth", "vault"), ("LoopsClient", "loops")):
        process, url, key = start_sandbox(api)
        try:
            construct = CONSTRUCT[name].format(key=key, url=url, sid="")
            first = cold_cpu_seconds(baseline_python, f"{construct}; {FIRST_REQUEST[name]}")
            only = cold_cpu_seconds(baseline_python, construct)
        finally:
            process.terminate()
            process.wait(timeout=10)
        rows.append(Row(f"cold start + first request, {name} (s CPU)", first, only, "import + construct only",
                        "s CPU", None))  # fmt: skip
    return rows
