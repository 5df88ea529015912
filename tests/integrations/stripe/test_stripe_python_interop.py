"""stripe-python (a test peer in .venv-peers, never our dependency) against our sandbox and our verifier.

stripe-python creates a customer and a checkout session on the sandbox and lists them; a webhook the sandbox
signed verifies under `stripe.Webhook.construct_event`; a header stripe-python's helper makes verifies under ours.
"""

from __future__ import annotations

import json
import os
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest

from app_integrations.stripe import StripeClient, verify

ROOT = Path(__file__).resolve().parents[3]
PEER_PYTHON = ROOT / ".venv-peers" / "bin" / "python"
PEER_SCRIPT = Path(__file__).with_name("stripe_python_peer.py")


@pytest.fixture(scope="module")
def peer_python() -> Path:
    if not PEER_PYTHON.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(".venv-peers is missing: `make test` builds it from requirements-peers.txt")
        pytest.skip(".venv-peers is missing: run `make test` (it builds the stripe-python peer env)")
    return PEER_PYTHON


@pytest.fixture
def capture() -> Iterator[tuple[str, list[tuple[bytes, dict[str, str]]]]]:
    """A loopback HTTP server that records each POST (body, headers) and answers 200."""
    seen: list[tuple[bytes, dict[str, str]]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            seen.append((body, {k.lower(): v for k, v in self.headers.items()}))
            self.send_response(200)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", seen
    finally:
        server.shutdown()
        server.server_close()


def test_stripe_python_talks_to_the_sandbox_and_signatures_cross_verify(
    peer_python: Path, stripe_sandbox: Any, stripe_client: StripeClient, one_off_price: str, capture: Any
) -> None:
    url, seen = capture
    endpoint = stripe_client.create_webhook_endpoint(url, ["customer.created"])["webhook_endpoint"]
    stripe_sandbox.trigger("customer.created")
    stripe_sandbox.wait_for_deliveries()
    body, headers = seen[0]
    job = {
        "url": stripe_sandbox.url,
        "api_key": stripe_sandbox.api_key,
        "price": one_off_price,
        "payload": body.decode(),
        "signature": headers["stripe-signature"],
        "secret": endpoint["secret"],
    }
    run = subprocess.run(
        [str(peer_python), str(PEER_SCRIPT)],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    out = json.loads(run.stdout)
    assert out["customer"]["email"] == "peer@example.com" and out["customer"]["metadata"] == {"source": "stripe-python"}
    assert out["session"]["customer_email"] == "peer@example.com"  # expand[0]=customer honoured
    assert out["session"]["amount_total"] == 3000 and out["session"]["metadata"] == {"order": "42"}
    assert out["session"]["url"].startswith(stripe_sandbox.url + "/sandbox/checkout/")
    assert out["customer"]["id"] in out["customer_ids"] and out["session_ids"] == [out["session"]["id"]]
    assert out["missing"]["code"] == "resource_missing" and out["missing"]["status"] == 404
    assert out["missing"]["request_id"].startswith("req_")
    assert out["event"]["type"] == "customer.created"
    # Our verifier accepts the header stripe-python's helper made; our facade sees what stripe-python created.
    assert verify(body, out["generated_header"], endpoint["secret"])["type"] == "customer.created"
    ours = stripe_client.retrieve_checkout_session(out["session"]["id"])
    assert ours["session"]["customer"] == out["customer"]["id"]
    assert httpx.get(out["session"]["url"]).status_code == 200
