"""Seed 002's LoopsClient blocks, as written, against the Loops sandbox and in debug mode."""

import contextlib
import io
from typing import Any

import pytest
from django.test import override_settings

from . import seed


def run(block: str, namespace: dict[str, Any]) -> str:
    """Execute one seed block in `namespace`; what it printed."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(block, namespace)
    return out.getvalue()


@pytest.fixture
def loops_settings(loops_sandbox: Any) -> Any:
    """The project pointed at the Loops sandbox, as `make demo` does."""
    loops_sandbox.set_rate_limit(enabled=False)
    loops_sandbox.create_template("Welcome", ["user_name", "login_url"], template_id="welcome_email")
    with override_settings(LOOPS_API_KEY=loops_sandbox.api_key, LOOPS_BASE_URL=loops_sandbox.url):
        yield loops_sandbox


def test_the_client_blocks_send_through_the_sandbox(loops_settings: Any) -> None:
    namespace: dict[str, Any] = {}
    run(seed.CLIENT, namespace)
    assert run(seed.TRANSACTIONAL, namespace).startswith("Error: ")  # the seed's placeholder "your_api_key"
    namespace["client"] = namespace["LoopsClient"]()
    assert run(seed.TRANSACTIONAL, namespace) == "Email sent successfully!\n"
    assert run(seed.TEST_API_KEY, namespace) == "Loops integration configured correctly!\n"
    [sent] = loops_settings.outbox()
    assert sent["transactionalId"] == "welcome_email" and sent["dataVariables"]["user_name"] == "John Doe"


def test_the_client_blocks_simulate_in_debug_mode() -> None:
    namespace: dict[str, Any] = {}
    with override_settings(DEBUG=True, LOOPS_API_KEY="", LOOPS_BASE_URL=""):
        run(seed.CLIENT, namespace)
        namespace["client"] = namespace["LoopsClient"]()
        assert run(seed.TRANSACTIONAL, namespace) == "Email sent successfully!\n"
        assert namespace["result"]["simulated"] is True
