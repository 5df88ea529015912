"""The guide's "Adding New Integrations" and "Testing Integrations" blocks (67-76), as written.

The new-integration recipe's client (block 67) becomes `apps.integration.example.client`, the guide's
`<service_name>` filled in with `example` as its prose tells the reader. The guide's own tests (blocks 70, 74, 75)
run under pytest itself (pytester); block 70's tests patch the method block 71 adds, so they run with it added.
Some blocks do not work as written, and the tests say so: block 73 calls `some_operation()` without its argument,
block 75 uses `patch` without importing it, and block 74 mocks stripe-python, which this project does not use (the
same checks run against the Stripe sandbox instead).
"""

import json
import logging
import os
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.test import override_settings
from guide import GuideRunner

EXAMPLE = {"<service_name>": "example"}
QUIET = ("-q", "-p", "no:cacheprovider", "-o", "asyncio_default_fixture_loop_scope=function")


class _Echo(BaseHTTPRequestHandler):
    """Answers every POST with the JSON `{"status": "ok", "path": ...}`."""

    def do_POST(self) -> None:
        body = json.dumps({"status": "ok", "path": self.path}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        """Quiet."""


@pytest.fixture
def service_url() -> Iterator[str]:
    """A JSON HTTP service on a free loopback port (the "ServiceName API" of the recipe)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.guide(67, 68, 71, 72)
def test_the_client_recipe(guide: GuideRunner, service_url: str, monkeypatch: Any, caplog: Any) -> None:
    monkeypatch.setenv("SERVICE_API_KEY", "svc_key")
    guide.run(68, os=os)
    assert guide.namespace["SERVICE_ENABLED"] is True

    client_module = guide.module(67, "apps.integration.example.client")
    ServiceClient = client_module.ServiceClient
    with override_settings(DEBUG=False, SERVICE_API_KEY=""):
        assert ServiceClient().some_operation("x") == {"success": False, "error": "Client not configured"}
    with override_settings(DEBUG=True):
        assert ServiceClient(api_key="k").some_operation("x") == {"success": True, "simulated": True}
    with override_settings(DEBUG=False, SERVICE_API_KEY=guide.namespace["SERVICE_API_KEY"]):
        unfinished = ServiceClient().some_operation(service_url)
        assert unfinished["success"] is False and "_make_api_call" in unfinished["error"]  # step 1 alone

        guide.run(71, logger=client_module.logger, requests=__import__("requests"))  # the method the step adds
        monkeypatch.setattr(ServiceClient, "_make_api_call", guide.namespace["_make_api_call"], raising=False)
        done = ServiceClient().some_operation(f"{service_url}/v1/things")
        assert done == {"success": True, "data": {"status": "ok", "path": "/v1/things"}}
        down = ServiceClient().some_operation(f"http://127.0.0.1:{closed_port()}/v1/things")
        assert down["success"] is False and down["error"].startswith("API call failed: ")
        assert issubclass(guide.namespace["ServiceAPIError"], Exception)

    caplog.set_level(logging.DEBUG, logger="guide_blocks")
    guide.run(72)
    levels = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "guide_blocks"]
    assert [level for level, _ in levels] == ["DEBUG", "INFO", "WARNING", "ERROR"]


@pytest.mark.guide(67, 69)
def test_the_shortcut_recipe(guide: GuideRunner, user: Any) -> None:
    guide.module(67, "apps.integration.example.client")
    guide.run(69, fill=EXAMPLE)
    with override_settings(DEBUG=True, SERVICE_API_KEY="k"):
        assert guide.namespace["perform_common_task"](user, {"n": 1}) == {"success": True, "simulated": True}


@pytest.mark.guide(67, 70, 71)
def test_the_recipes_own_tests_pass_under_pytest(
    guide: GuideRunner, pytester: pytest.Pytester, monkeypatch: Any
) -> None:
    client_module = guide.module(67, "apps.integration.example.client")
    # Block 70 patches `_make_api_call`, which the client has once block 71's method is added (mock.patch.object
    # refuses to patch a missing attribute).
    guide.run(71, logger=client_module.logger, requests=__import__("requests"))
    monkeypatch.setattr(client_module.ServiceClient, "_make_api_call", guide.namespace["_make_api_call"], raising=False)
    pytester.makepyfile(test_example_client=guide.file_text(70, fill=EXAMPLE))
    with override_settings(DEBUG=False):
        outcome = pytester.runpytest_inprocess(*QUIET)
    outcome.assert_outcomes(passed=2)


@pytest.mark.guide(73)
def test_the_mocking_best_practice_block_calls_some_operation_without_its_argument(guide: GuideRunner) -> None:
    module = guide.module(67, "apps.integration.example.client")
    guide.run(73, ServiceClient=module.ServiceClient)
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'param'"):
        guide.namespace["test_with_mock"]({"status": "success", "data": {"id": 123}})


@pytest.mark.guide(74)
def test_the_stripe_mocking_block_needs_stripe_python_which_the_project_does_not_use(
    guide: GuideRunner, pytester: pytest.Pytester
) -> None:
    pytester.makepyfile(test_mocked_stripe=guide.file_text(74))
    outcome = pytester.runpytest_inprocess(*QUIET)
    outcome.assert_outcomes(errors=1)
    assert "No module named 'stripe'" in outcome.stdout.str()


def test_the_stripe_mocking_blocks_checks_against_the_sandbox(stripe_sandbox: Any) -> None:
    """Block 74's test, with the Stripe sandbox where the guide has a mock."""
    import httpx

    http = httpx.Client(base_url=stripe_sandbox.url, headers={"Authorization": f"Bearer {stripe_sandbox.api_key}"})
    product = http.post("/v1/products", data={"name": "Guide"}).json()
    price = http.post("/v1/prices", data={"product": product["id"], "unit_amount": 100, "currency": "usd"}).json()
    stripe_sandbox.alias("price_123", price["id"])
    with override_settings(
        STRIPE_API_KEY=stripe_sandbox.api_key, STRIPE_BASE_URL=stripe_sandbox.url, STRIPE_ENABLED=True
    ):
        from apps.integration.stripe.client import StripeClient

        client = StripeClient()
        result = client.create_checkout_session(
            price_id="price_123", success_url="https://example.com/success", cancel_url="https://example.com/cancel"
        )
    assert result["success"] is True
    assert "session" in result
    [session] = http.get("/v1/checkout/sessions").json()["data"]  # called once, as the mock's assertion says
    assert session["id"] == result["session"]["id"] and session["url"] == result["session"]["url"]
    http.close()


@pytest.mark.guide(75)
def test_the_test_utilities_block(guide: GuideRunner, pytester: pytest.Pytester, loops_sandbox: Any) -> None:
    loops_sandbox.set_rate_limit(enabled=False)
    loops_sandbox.create_template("Welcome", [], template_id="welcome")
    pytester.makeconftest(guide.file_text(75))
    pytester.makepyfile(
        test_utilities="""
from unittest.mock import MagicMock

from django.conf import settings

from apps.integration.loops.client import LoopsClient


def send():
    return LoopsClient().transactional_email(to_email="a@example.com", transactional_id="welcome")


def test_mode(integration_test_mode):
    assert settings.TESTING is True


def test_no_email_leaves(mock_all_integrations):
    assert isinstance(send(), MagicMock)


def test_without_the_fixture_the_email_is_sent():
    assert send()["success"] is True
"""
    )
    with override_settings(TESTING=False, LOOPS_API_KEY=loops_sandbox.api_key, LOOPS_BASE_URL=loops_sandbox.url):
        as_written = pytester.runpytest_inprocess(*QUIET)
        as_written.assert_outcomes(passed=2, errors=1)
        assert "NameError: name 'patch' is not defined" in as_written.stdout.str()
        assert len(loops_sandbox.outbox()) == 1  # only the unmocked test's

        pytester.makeconftest("from unittest.mock import patch\n" + guide.code(75))  # the import it lacks
        fixed = pytester.runpytest_inprocess(*QUIET)
        fixed.assert_outcomes(passed=3)
    assert len(loops_sandbox.outbox()) == 2  # the mocked send added nothing


@pytest.mark.guide(76)
def test_the_staging_settings_block(guide: GuideRunner, monkeypatch: Any) -> None:
    monkeypatch.setenv("STRIPE_TEST_KEY", "sk_test_staging")
    monkeypatch.setenv("TWILIO_TEST_SID", "AC" + "0" * 32)
    monkeypatch.setenv("STRIPE_LIVE_KEY", "sk_live_production")
    monkeypatch.setenv("INTEGRATION_TESTING", "true")
    guide.run(76, os=os)
    assert (guide.namespace["STRIPE_API_KEY"], guide.namespace["TWILIO_ACCOUNT_SID"]) == (
        "sk_test_staging",
        "AC" + "0" * 32,
    )
    monkeypatch.setenv("INTEGRATION_TESTING", "false")
    guide.run(76)
    assert guide.namespace["STRIPE_API_KEY"] == "sk_live_production"
