"""stripe-python 16.1.0 (a test peer in .venv-peers) making a two-plan app's calls against the Stripe sandbox.

Each test runs one scenario of `stripe_python_app_peer.py` through the official client over loopback and checks
what it saw against what Stripe answers: expansions, unknown parameters, Stripe's error wording, plan changes.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[3]
PEER_PYTHON = ROOT / ".venv-peers" / "bin" / "python"
PEER_SCRIPT = Path(__file__).with_name("stripe_python_app_peer.py")


@pytest.fixture(scope="module")
def peer_python() -> Path:
    """.venv-peers' interpreter; with CI=true its absence fails the test instead of skipping it."""
    if not PEER_PYTHON.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(".venv-peers is missing: `make test` builds it from requirements-peers.txt")
        pytest.skip(".venv-peers is missing: run `make test` (it builds the stripe-python peer env)")
    return PEER_PYTHON


def run_scenario(peer_python: Path, sandbox: Any, scenario: str) -> dict[str, Any]:
    """What stripe-python saw running `scenario` against the sandbox."""
    job = {"url": sandbox.url, "api_key": sandbox.api_key, "scenario": scenario}
    run = subprocess.run(
        [str(peer_python), str(PEER_SCRIPT)],
        input=json.dumps(job),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    out: dict[str, Any] = json.loads(run.stdout)
    assert "unexpected" not in out, out
    return out


def test_expand_on_retrieve_list_dotted_and_line_items(peer_python: Path, stripe_sandbox: Any) -> None:
    out = run_scenario(peer_python, stripe_sandbox, "expand")
    assert out["customer_email"] == "plan@example.com"
    assert out["latest_invoice_object"] == "invoice"
    assert out["price_product_names"] == ["Basic", "Pro"]
    assert out["line_items_object"] == "list"
    assert out["line_items_url"].startswith("/v1/checkout/sessions/cs_") and out["line_items_url"].endswith(
        "/line_items"
    )
    assert out["line_item"] == {"object": "item", "quantity": 3, "price": out["one_off"], "amount_total": 1500}
    assert out["deep_product_name"] == "Basic"
    assert out["listed_customer_emails"] == ["plan@example.com"]


def test_unknown_parameters_are_stripes_parameter_unknown(peer_python: Path, stripe_sandbox: Any) -> None:
    out = run_scenario(peer_python, stripe_sandbox, "unknown_parameters")
    for case, param in (("query", "colour"), ("body", "colour"), ("nested", "package")):
        error = out[case]
        assert error["class"] == "InvalidRequestError" and error["http_status"] == 400, (case, error)
        assert error["code"] == "parameter_unknown" and error["param"] == param, (case, error)
        assert error["message"] == f"Received unknown parameter: {param}", (case, error)
    refused = out["not_expandable"]
    assert refused["http_status"] == 400 and refused["message"] == "This property cannot be expanded (data.colour)."


def test_error_wording_matches_stripe(peer_python: Path, stripe_sandbox: Any) -> None:
    out = run_scenario(peer_python, stripe_sandbox, "error_wording")
    missing = out["missing"]
    assert (missing["class"], missing["http_status"]) == ("InvalidRequestError", 400)
    assert missing["param"] == "name" and missing["code"] == "parameter_missing"
    assert missing["message"] == "Missing required param: name."
    assert out["missing_price_currency"]["message"] == "Missing required param: currency."
    assert out["missing_price_currency"]["param"] == "currency"
    invalid = out["invalid_integer"]
    assert invalid["code"] == "parameter_invalid_integer" and invalid["param"] == "limit"
    assert invalid["message"] == "Invalid integer for limit."  # Stripe quotes the value; the sandbox never does
    enum = out["invalid_enum"]
    assert enum["param"] == "mode" and enum["http_status"] == 400
    assert enum["message"] == "Invalid mode: must be one of payment, setup, or subscription"
    bad_key = out["bad_key"]
    assert bad_key["class"] == "AuthenticationError" and bad_key["http_status"] == 401
    assert bad_key["body"] == {
        "error": {"message": "Invalid API Key provided: sk_test_" + "*" * 15 + "wxyz", "type": "invalid_request_error"}
    }
    assert "notarealkey" not in json.dumps(bad_key)


def test_plan_change_with_prorations(peer_python: Path, stripe_sandbox: Any) -> None:
    out = run_scenario(peer_python, stripe_sandbox, "plan_change")
    # The same item now on the dearer price, two seats.
    assert out["upgraded_items"] == [[out["dear"], 2, out["item_id"]]]
    # always_invoice: an invoice at once with the unused time credited and the remaining time charged.
    assert out["invoice"]["billing_reason"] == "subscription_update" and out["invoice"]["status"] == "paid"
    lines = out["lines"]
    assert all(line["proration"] for line in lines)
    credit = next(line for line in lines if line["amount"] < 0)
    charge = next(line for line in lines if line["amount"] > 0)
    assert credit["price"] == out["cheap"] and -1000 <= credit["amount"] < 0
    assert charge["price"] == out["dear"] and 0 < charge["amount"] <= 6000
    assert out["invoice"]["total"] == sum(line["amount"] for line in lines)
    # A second item added, then deleted again; trial_end=now, a new default card, a cancel date.
    assert out["extra_items"] == [[out["dear"], 2], [out["cheap"], 1]]
    assert out["dropped_items"] == [[out["dear"], 2]]
    dropped = out["dropped"]
    assert dropped["status"] == "active" and dropped["default_payment_method"] == "pm_card_mastercard"
    assert dropped["cancel_at"] == dropped["current_period_end"]
    assert out["bad_item"]["http_status"] == 400 and out["bad_item"]["param"] == "items[0][id]"
    assert out["bad_behaviour"]["param"] == "proration_behavior"
    assert out["bad_behaviour"]["message"].startswith("Invalid proration_behavior: must be one of ")
    # Each change fired customer.subscription.updated naming what changed.
    assert sum("items" in keys for keys in out["updated_previous"]) == 3
