"""Seed 002's Loops code blocks, as written (the import path aside: the template of issue 16 provides
`apps.integration.loops`), in debug mode and against the Loops sandbox."""

from __future__ import annotations

import contextlib
import io
from typing import Any

import pytest
from django.test import override_settings

from sdk_sandbox.pytest_plugin import SandboxHandle

CLIENT_BLOCK = """
from app_integrations.loops import LoopsClient

# Initialize with default settings
client = LoopsClient()

# Or with custom settings
client = LoopsClient(
    api_key="your_api_key",
    debug_mode=False  # Set to True to simulate without sending
)
"""
SEND_BLOCK = """
result = client.transactional_email(
    to_email="user@example.com",
    transactional_id="welcome_email",
    data_variables={
        "user_name": "John Doe",
        "login_url": "https://example.com/login"
    }
)

if result["success"]:
    print("Email sent successfully!")
else:
    print(f"Error: {result.get('error')}")
"""
RESET_BLOCK = """
from django.contrib.auth.tokens import default_token_generator
from django.utils.http import urlsafe_base64_encode
from django.utils.encoding import force_bytes
from app_integrations.loops.shortcuts import send_password_reset_email

# Generate reset token
token = default_token_generator.make_token(user)
uid = urlsafe_base64_encode(force_bytes(user.pk))
reset_url = f"https://example.com/reset/{uid}/{token}/"

# Send email
send_password_reset_email(user, reset_url)
"""
LOGIN_BLOCK = """
from app_integrations.loops.shortcuts import send_login_code_email

# Send magic link for authentication
send_login_code_email(user, next_url="/dashboard/")
"""
TEST_KEY_BLOCK = """
from app_integrations.loops import LoopsClient

client = LoopsClient()
result = client.test_api_key()

if result["success"]:
    print("Loops integration configured correctly!")
"""


def run(block: str, namespace: dict[str, Any]) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(block, namespace)  # noqa: S102  (the seed's own code, verbatim)
    return out.getvalue()


def test_the_blocks_in_debug_mode_simulate_every_send(user: Any) -> None:
    namespace: dict[str, Any] = {"user": user}
    with override_settings(DEBUG=True, LOOPS_API_KEY="", LOOPS_PASSWORD_RESET_ID="reset", LOOPS_LOGIN_CODE_ID="login"):
        run(CLIENT_BLOCK, namespace)
        namespace["client"] = namespace["LoopsClient"](debug_mode=True)
        assert run(SEND_BLOCK, namespace) == "Email sent successfully!\n"
        assert namespace["result"]["simulated"] is True
        run(RESET_BLOCK, namespace)
        run(LOGIN_BLOCK, namespace)
        assert run(TEST_KEY_BLOCK, namespace) == "Loops integration configured correctly!\n"


def test_the_blocks_against_the_sandbox_send_for_real(loops_sandbox: SandboxHandle, user: Any) -> None:
    loops_sandbox.set_rate_limit(enabled=False)
    loops_sandbox.create_template("Welcome", ["user_name", "login_url"], template_id="welcome_email")
    loops_sandbox.create_template("Reset", ["reset_url"], template_id="reset")
    loops_sandbox.create_template("Login", ["login_url"], template_id="login")
    namespace: dict[str, Any] = {"user": user}
    with override_settings(
        DEBUG=True,  # a development machine: LOOPS_BASE_URL pointing at the sandbox makes the calls real
        LOOPS_API_KEY=loops_sandbox.api_key,
        LOOPS_BASE_URL=loops_sandbox.url,
        LOOPS_PASSWORD_RESET_ID="reset",
        LOOPS_LOGIN_CODE_ID="login",
    ):
        run(CLIENT_BLOCK, namespace)
        assert run(SEND_BLOCK, namespace).startswith("Error: ")  # the seed's placeholder key is refused: 401
        namespace["client"] = namespace["LoopsClient"]()
        assert run(SEND_BLOCK, namespace) == "Email sent successfully!\n"
        run(RESET_BLOCK, namespace)
        run(LOGIN_BLOCK, namespace)
        assert run(TEST_KEY_BLOCK, namespace) == "Loops integration configured correctly!\n"
    assert [sent["transactionalId"] for sent in loops_sandbox.outbox()] == ["welcome_email", "reset", "login"]


@pytest.fixture(autouse=True)
def _db(integrations_db: None) -> None:
    """Every block may touch the database (login links)."""
