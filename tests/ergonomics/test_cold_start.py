"""Importing an SDK and constructing its client loads neither httpx nor the generated endpoints; a request does.

Each check runs in a fresh interpreter (what a serverless function or a CLI pays on every start) and reads
`sys.modules`: no timing, only what was imported. The figures themselves are `make bench` (`bench_cold_start`).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from sdk_sandbox.pytest_plugin import SandboxHandle

CONSTRUCT = {
    "VaultAuth": "from vault_auth import VaultAuth; c = VaultAuth(api_key={key!r}, base_url={url!r})",
    "AsyncVaultAuth": "from vault_auth import AsyncVaultAuth; c = AsyncVaultAuth(api_key={key!r}, base_url={url!r})",
    "Vortex": "from vortex_sdk import Vortex; c = Vortex(api_key={key!r}, base_url={url!r})",
    "LoopsClient": "from app_integrations.loops import LoopsClient; c = LoopsClient(api_key={key!r}, base_url={url!r})",
    "StripeClient": (
        "from app_integrations.stripe import StripeClient; c = StripeClient(api_key={key!r}, base_url={url!r})"
    ),
    "TwilioClient": (
        "from app_integrations.twilio import TwilioClient; c = TwilioClient({sid!r}, {token!r}, '+15005550006', "
        "base_url={url!r})"
    ),
}
SANDBOX = {"VaultAuth": "vault", "AsyncVaultAuth": "vault", "Vortex": "vortex", "LoopsClient": "loops",
           "StripeClient": "stripe", "TwilioClient": "twilio"}  # fmt: skip
FIRST_REQUEST = {
    "VaultAuth": "c.users.list()",
    "AsyncVaultAuth": "import asyncio\nasync def main():\n    await c.users.list()\nasyncio.run(main())",
    "Vortex": "c.get_invitations_by_target_sync('email', 'nobody@example.com')",
    "LoopsClient": "assert c.test_api_key()['success']",
    "StripeClient": "assert c.list('customers')['success']",
    "TwilioClient": "assert c.list_messages()['success']",
}
HEAVY = ("httpx", "vault_api.api", "vortex_api.api", "loops_api.api", "stripe_api.api", "twilio_api.api")


def loaded_after(code: str) -> list[str]:
    """Which of the heavy modules a fresh interpreter has loaded after running `code`."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    loaded: list[str] = json.loads(out.strip().splitlines()[-1])
    return loaded


@pytest.mark.parametrize("name", sorted(CONSTRUCT))
def test_import_and_construct_load_no_http_stack_and_the_first_request_does(
    name: str, request: pytest.FixtureRequest
) -> None:
    box: SandboxHandle = request.getfixturevalue(f"{SANDBOX[name]}_sandbox")
    fields = {"key": box.api_key, "url": box.url, "sid": "", "token": ""}
    if name == "TwilioClient":
        fields.update(sid=box.account_sid, token=box.auth_token)
    construct = CONSTRUCT[name].format(**fields)
    assert loaded_after(construct) == []
    assert "httpx" in loaded_after(f"{construct}\n{FIRST_REQUEST[name]}")
