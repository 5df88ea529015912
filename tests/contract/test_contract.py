"""Schemathesis contract runs: each document against its sandbox, with every check, stateful chains included.

The CLI engine runs against the sandbox on a real loopback socket (it orders producers before consumers and
reports every failure, unlike the in-process pytest integration). Two more runs against deliberately broken
variants prove the checks bite: a response missing a required field, and an ignored auth check.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from sdk_sandbox.pytest_plugin import SandboxHandle
from sdk_sandbox.runner import BackgroundServer, bind, url_of
from sdk_sandbox.twilio.state import state_of as twilio_state
from sdk_sandbox.vault import build_vault_app

from ..json_rewrite import rewrite_json

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
ST = str(Path(sys.executable).parent / "st")
OUTER_TIMEOUT = 600
EXAMPLE_TEMPLATE = "clfq6dinn000yl70fgwwyp82l"  # openapi/loops.yaml's example transactionalId


def run_schemathesis(spec: Path, url: str, auth_header: str, *extra: str) -> subprocess.CompletedProcess[str]:
    """`st run` bounded for CI (config in schemathesis.toml), from this folder so the hooks import."""
    command = [
        ST, "--config-file", str(HERE / "schemathesis.toml"), "--no-color",
        "run", str(spec), "--url", url, "-H", auth_header,
        "--continue-on-failure", "--request-timeout", "5", *extra,
    ]  # fmt: skip
    env = {**os.environ, "PYTHONPATH": str(HERE)}
    return subprocess.run(command, capture_output=True, text=True, cwd=HERE, env=env, timeout=OUTER_TIMEOUT)


def assert_clean(result: subprocess.CompletedProcess[str]) -> None:
    summary = result.stdout[-4000:]
    assert result.returncode == 0, summary
    assert "Failures:" not in result.stdout, summary
    assert "✅ Stateful" in result.stdout, "the stateful phase must run and pass: " + summary


def test_vault_document_holds_against_the_vault_sandbox(vault_sandbox: SandboxHandle) -> None:
    auth = f"Authorization: Bearer {vault_sandbox.api_key}"
    assert_clean(run_schemathesis(ROOT / "openapi" / "vault.yaml", vault_sandbox.url, auth))


def test_vortex_document_holds_against_the_vortex_sandbox(vortex_sandbox: SandboxHandle) -> None:
    # Invitations for the targets and groups the document's examples name, so examples and links reach data.
    for n in range(5):
        vortex_sandbox.create_invitation(
            "email", "user@example.com", groups=[{"type": "team", "groupId": "team-1", "name": f"Team {n}"}]
        )
    auth = f"x-api-key: {vortex_sandbox.api_key}"
    assert_clean(run_schemathesis(ROOT / "openapi" / "vortex.yaml", vortex_sandbox.url, auth))


def test_loops_document_holds_against_the_loops_sandbox(loops_sandbox: SandboxHandle) -> None:
    # The fuzzer sends far more than Loops' 10 requests/s; the limit itself is tested in tests/sandbox.
    loops_sandbox.set_rate_limit(enabled=False)
    # The template of the document's example send, so the examples phase reaches a real send.
    loops_sandbox.create_template("Password reset", ["name", "passwordResetLink"], template_id=EXAMPLE_TEMPLATE)
    loops_sandbox.create_mailing_list("Newsletter", list_id="list_newsletter")
    auth = f"Authorization: Bearer {loops_sandbox.api_key}"
    assert_clean(run_schemathesis(ROOT / "openapi" / "loops.yaml", loops_sandbox.url, auth))


def test_stripe_document_holds_against_the_stripe_sandbox(stripe_sandbox: SandboxHandle) -> None:
    # Objects for the IDs the document's examples and links reach (prices to sell, a customer).
    stripe_sandbox.trigger("customer.subscription.created")
    stripe_sandbox.trigger("checkout.session.completed")
    auth = f"Authorization: Bearer {stripe_sandbox.api_key}"
    # 29 operations: fewer examples each than the smaller documents get, to stay within the suite's time budget.
    assert_clean(run_schemathesis(ROOT / "openapi" / "stripe.yaml", stripe_sandbox.url, auth, "--max-examples", "5"))


# The account schemathesis.toml names for the Twilio operations' `AccountSid`, so generated requests reach messages.
TWILIO_CONTRACT_ACCOUNT = "ACc0ffee00c0ffee00c0ffee00c0ffee00"


def test_twilio_document_holds_against_the_twilio_sandbox() -> None:
    import base64

    from sdk_sandbox.twilio import build_twilio_app

    app = build_twilio_app(account_sid=TWILIO_CONTRACT_ACCOUNT)
    sock = bind()
    server = BackgroundServer([(app, sock)])
    server.start()
    try:
        credential = base64.b64encode(f"{TWILIO_CONTRACT_ACCOUNT}:{twilio_state(app).auth_token}".encode()).decode()
        result = run_schemathesis(ROOT / "openapi" / "twilio.yaml", url_of(sock), f"Authorization: Basic {credential}")
    finally:
        server.stop()
    assert_clean(result)


def _drop_email(body: Any) -> None:
    data = body.get("data") if isinstance(body, dict) else None
    if isinstance(data, dict):
        data.pop("email", None)


@pytest.fixture
def broken_sandbox(request: pytest.FixtureRequest) -> Iterator[tuple[str, str]]:
    """A Vault sandbox with one defect planted, served on loopback: `(url, api_key)`."""
    app = build_vault_app()
    if request.param == "ignored_auth":
        app.api = attrs.evolve(app.api, check_credential=lambda app, credential: True)
        served: Any = app
    else:
        served = rewrite_json(app, _drop_email)  # the required `email` removed from every user
    sock = bind()
    server = BackgroundServer([(served, sock)])
    server.start()
    try:
        yield url_of(sock), next(iter(app.api_keys))
    finally:
        server.stop()


@pytest.mark.parametrize(
    ("broken_sandbox", "operation", "code"),
    [("missing_field", "createUser", "ST108"), ("ignored_auth", "listUsers", "ST401")],
    indirect=["broken_sandbox"],
)
def test_the_contract_run_catches_a_planted_defect(broken_sandbox: tuple[str, str], operation: str, code: str) -> None:
    url, key = broken_sandbox
    result = run_schemathesis(
        ROOT / "openapi" / "vault.yaml", url, f"Authorization: Bearer {key}",
        "--include-operation-id", operation, "--phases", "examples,coverage",
    )  # fmt: skip
    assert result.returncode == 1, result.stdout[-3000:]
    assert code in result.stdout, result.stdout[-3000:]
