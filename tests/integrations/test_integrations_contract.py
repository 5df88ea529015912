"""The contract every integration client keeps, checked across all of them at once: explicit constructors, one
meaning per result code, no exception for any argument, and codes written as `results.py` constants.

The clients talk to the Loops, Stripe and Twilio sandboxes over 127.0.0.1 (`sdk_sandbox`'s pytest plugin).
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from app_integrations.aws.s3 import S3Client
from app_integrations.loops import AsyncLoopsClient, LoopsClient
from app_integrations.stripe import AsyncStripeClient, StripeClient
from app_integrations.twilio import AsyncTwilioClient, TwilioClient
from sdk_runtime.call_proxies import CallViews

SOURCE = Path(__file__).resolve().parents[2] / "src" / "app_integrations"
CLIENTS = [LoopsClient, AsyncLoopsClient, StripeClient, AsyncStripeClient, TwilioClient, AsyncTwilioClient, S3Client]


@pytest.mark.parametrize("client_class", CLIENTS, ids=lambda c: c.__name__)
def test_every_constructor_is_explicit_typed_and_documented(client_class: type[Any]) -> None:
    init = client_class.__dict__.get("__init__")
    assert init is not None, f"{client_class.__name__} inherits its constructor from a private base"
    parameters = list(inspect.signature(init).parameters.values())[1:]
    assert parameters
    for parameter in parameters:
        assert parameter.kind not in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD), parameter
        assert parameter.annotation is not inspect.Parameter.empty, parameter
    assert init.__doc__ or client_class.__doc__
    documented = (client_class.__doc__ or "") + (StripeClient.__doc__ or "") + (TwilioClient.__doc__ or "")
    for parameter in parameters:
        assert parameter.name in documented or parameter.name in (LoopsClient.__doc__ or ""), parameter.name


@pytest.mark.parametrize("client_class", CLIENTS, ids=lambda c: c.__name__)
def test_a_misspelt_option_names_the_public_class(client_class: type[Any]) -> None:
    with pytest.raises(TypeError, match=f"{client_class.__name__}.__init__"):
        client_class(timout=5)


@pytest.fixture
def wrong_key_clients(
    loops_sandbox: Any, stripe_sandbox: Any, twilio_sandbox: Any
) -> Iterator[dict[str, Callable[[], dict[str, Any]]]]:
    loops = LoopsClient(api_key="wrong-key-123456", base_url=loops_sandbox.url, debug_mode=False)
    stripe = StripeClient(api_key="sk_test_wrong", base_url=stripe_sandbox.url, debug_mode=False)
    twilio = TwilioClient(
        twilio_sandbox.account_sid, "wrong-token-0123", "+15005550006", base_url=twilio_sandbox.url, debug_mode=False
    )
    yield {
        "loops send": lambda: dict(loops.transactional_email("ada@example.com", "welcome", {"a": 1})),
        "loops key check": lambda: dict(loops.test_api_key()),
        "stripe": lambda: dict(stripe.create_customer("ada@example.com")),
        "twilio": lambda: dict(twilio.send_sms("+14155550100", "hi")),
    }
    for client in (loops, stripe, twilio):
        client.close()


def test_a_wrong_key_is_unauthorized_on_every_service(wrong_key_clients: dict[str, Callable[[], Any]]) -> None:
    for service, call in wrong_key_clients.items():
        result = call()
        assert (result["success"], result["code"], result["status_code"]) == (False, "unauthorized", 401), service


BAD_VALUES: list[Any] = [None, 42, -1, "", "\x00", "x" * 100_000, 3.5, True, object(), [1], {"a": object()}, b"raw"]


def _fuzz(client: Any) -> list[tuple[str, str, str]]:
    """Call each public method with each bad value in each parameter; return what raised or answered no dict."""
    broken = []
    for name, method in inspect.getmembers(client, inspect.ismethod):
        if name.startswith("_") or name in ("close", "auto_paging") or hasattr(CallViews, name):
            continue  # CallViews' view makers are not API calls; their own tests cover bad options
        parameters = [
            p
            for p in inspect.signature(method).parameters.values()
            if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)
        ]
        for target in parameters:
            for bad in BAD_VALUES:
                arguments = {
                    p.name: "ada@example.com" if "email" in p.name else "x1"
                    for p in parameters
                    if p.default is inspect.Parameter.empty and p is not target
                }
                arguments[target.name] = bad
                try:
                    result = method(**arguments)
                except Exception as exc:  # the contract under test: nothing may escape
                    broken.append((name, target.name, f"{type(exc).__name__}: {exc}"[:120]))
                    continue
                if not isinstance(result, dict) or not isinstance(result.get("success"), bool):
                    broken.append((name, target.name, f"answered {result!r}"[:120]))
                elif bad == "\x00" and result.get("code") not in ("invalid_argument", "not_configured"):
                    broken.append((name, target.name, f"NUL was not refused: {result.get('code')}"))
    return broken


def test_no_argument_makes_a_client_raise(loops_sandbox: Any, stripe_sandbox: Any, twilio_sandbox: Any) -> None:
    twilio = TwilioClient(twilio_sandbox.account_sid, twilio_sandbox.auth_token, "+15005550006",
                          base_url=twilio_sandbox.url, debug_mode=False, max_retries=0)  # fmt: skip
    clients = [
        LoopsClient(api_key=loops_sandbox.api_key, base_url=loops_sandbox.url, debug_mode=False, max_retries=0),
        StripeClient(api_key=stripe_sandbox.api_key, base_url=stripe_sandbox.url, debug_mode=False, max_retries=0),
        twilio,
    ]
    broken = {type(client).__name__: _fuzz(client) for client in clients}
    for client in clients:
        client.close()
    assert broken == {"LoopsClient": [], "StripeClient": [], "TwilioClient": []}


@pytest.mark.parametrize(
    ("method", "arguments"),
    [
        ("create_customer", {"email": "ada@example.com", "name": "Ada\x00"}),
        ("retrieve_customer", {"customer_id": "cus 1"}),
        ("create_checkout_session", {"price_id": "price_1", "success_url": "\x00"}),
        ("create_checkout_session", {"price_id": "price_1", "success_url": "/relative"}),
        (
            "create_checkout_session",
            {"price_id": "price_1", "success_url": "https://x.example", "cancel_url": "ftp://x"},
        ),
        ("create_product", {"name": "Pro\x01"}),
    ],
)
def test_stripe_refuses_unusable_text_before_sending(
    stripe_sandbox: Any, method: str, arguments: dict[str, Any]
) -> None:
    with StripeClient(api_key=stripe_sandbox.api_key, base_url=stripe_sandbox.url, debug_mode=False) as client:
        result = getattr(client, method)(**arguments)
    assert (result["success"], result["code"]) == (False, "invalid_argument")


def _literal_codes(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            candidates: list[ast.expr] = []
            if name in ("failure", "InvalidArgument"):
                candidates = [*node.args[1:], *(k.value for k in node.keywords if k.arg == "code")]
            elif name == "answer":
                candidates = node.args[2:]
            found += [f"{path.name}:{node.lineno}" for c in candidates if isinstance(c, ast.Constant)]
            for keyword in node.keywords:
                if keyword.arg == "codes" and isinstance(keyword.value, ast.Dict):
                    found += [f"{path.name}:{node.lineno}" for v in keyword.value.values if isinstance(v, ast.Constant)]
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == "code" and isinstance(value, ast.Constant):
                    found.append(f"{path.name}:{node.lineno}")
    return found


def test_result_codes_are_constants_of_results_py() -> None:
    literals = [hit for path in sorted(SOURCE.rglob("*.py")) for hit in _literal_codes(path)]
    assert literals == []


def test_create_product_names_what_it_holds(stripe_sandbox: Any) -> None:
    with StripeClient(api_key=stripe_sandbox.api_key, base_url=stripe_sandbox.url, debug_mode=False) as client:
        product = client.create_product("Pro")
        price = client.create_price(product["product"]["id"], 500, "usd")
    assert product["product"]["object"] == "product" and product["object"] is product["product"]  # old key kept
    assert price["price"]["product"] == product["product"]["id"]
