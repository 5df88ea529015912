"""The guide's LoopsClient blocks (1-3, 10), as written, against the Loops sandbox and in debug mode."""

from typing import Any

import pytest
from django.test import override_settings
from guide import GuideRunner


@pytest.fixture
def loops_settings(loops_sandbox: Any) -> Any:
    """The project pointed at the Loops sandbox, as `make demo` does."""
    loops_sandbox.set_rate_limit(enabled=False)
    loops_sandbox.create_template("Welcome", ["user_name", "login_url"], template_id="welcome_email")
    with override_settings(LOOPS_API_KEY=loops_sandbox.api_key, LOOPS_BASE_URL=loops_sandbox.url):
        yield loops_sandbox


@pytest.mark.guide(1)
def test_the_settings_block_reads_the_key_from_the_environment(guide: GuideRunner, monkeypatch: Any) -> None:
    import os

    import config.settings.third_party

    monkeypatch.setenv("LOOPS_API_KEY", "loops-key-from-env")
    guide.run(1, os=os)
    assert guide.namespace["LOOPS_API_KEY"] == "loops-key-from-env"
    assert guide.missing_from(1, config.settings.third_party) == []


@pytest.mark.guide(2, 3, 10)
def test_the_client_blocks_send_through_the_sandbox(guide: GuideRunner, loops_settings: Any) -> None:
    guide.run(2)
    assert guide.run(3).startswith("Error: ")  # the guide's placeholder key "your_api_key" is refused
    assert loops_settings.outbox() == []
    guide.namespace["client"] = guide.namespace["LoopsClient"]()  # "Initialize with default settings"
    assert guide.run(3) == "Email sent successfully!\n"
    assert guide.run(10) == "Loops integration configured correctly!\n"
    [sent] = loops_settings.outbox()
    assert sent["transactionalId"] == "welcome_email" and sent["dataVariables"]["user_name"] == "John Doe"


@pytest.mark.guide(2, 3)
def test_the_client_blocks_simulate_in_debug_mode(guide: GuideRunner) -> None:
    with override_settings(DEBUG=True, LOOPS_API_KEY="", LOOPS_BASE_URL=""):
        guide.run(2)
        guide.namespace["client"] = guide.namespace["LoopsClient"]()
        assert guide.run(3) == "Email sent successfully!\n"
        assert guide.namespace["result"]["simulated"] is True
