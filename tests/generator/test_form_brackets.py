"""The bracket form-encoding override: Stripe's nested form bodies reach the wire as `a[b]=v`, arrays indexed.

A fixture spec with one `x-form-style: brackets` body and one plain form body is generated with our templates and
with the stock ones; the stock client hands httpx the nested dict (which sends Python reprs), ours encodes once.
The committed `stripe_api` client is checked too, on seed 002's checkout call.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from urllib.parse import parse_qsl

import generate  # generator/generate.py: on the path by pytest's `pythonpath`
import pytest

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures"

BODY = {
    "mode": "subscription",
    "active": True,
    "metadata": {"user_id": "42", "note": "a b&c"},
    "line_items": [{"price": "price_1", "quantity": 2}],
    "expand": ["customer", "subscription"],
}


def _generate(tmp: Path, templates: Path | None) -> Path:
    return generate.generate_spec(
        FIXTURES / "form_brackets.yaml",
        FIXTURES / "form_brackets_api.yaml",
        tmp / "form_brackets_api",
        "#\n",
        templates,
    )


def _load(package_dir: Path, module: str) -> ModuleType:
    for name in [m for m in sys.modules if m.startswith("form_brackets_api")]:
        del sys.modules[name]
    sys.path.insert(0, str(package_dir.parent))
    try:
        return importlib.import_module(module)
    finally:
        sys.path.remove(str(package_dir.parent))


@pytest.fixture(scope="module")
def packages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    yield {
        "ours": _generate(tmp_path_factory.mktemp("ours"), generate.TEMPLATES),
        "stock": _generate(tmp_path_factory.mktemp("stock"), None),
    }


def _kwargs(package_dir: Path) -> dict[str, object]:
    endpoint = _load(package_dir, "form_brackets_api.api.default.post_things")
    models = _load(package_dir, "form_brackets_api.models")
    body = models.PostThingsBody.from_dict(BODY)
    result: dict[str, object] = endpoint._get_kwargs(body=body)
    return result


def test_stock_template_hands_httpx_a_nested_dict(packages: dict[str, Path]) -> None:
    kwargs = _kwargs(packages["stock"])
    assert "content" not in kwargs
    assert isinstance(kwargs["data"], dict) and isinstance(kwargs["data"]["metadata"], dict)  # httpx would send a repr


def test_our_template_encodes_brackets_once(packages: dict[str, Path]) -> None:
    kwargs = _kwargs(packages["ours"])
    assert "data" not in kwargs
    content = kwargs["content"]
    assert isinstance(content, bytes)
    assert content == (
        b"mode=subscription&active=true&metadata[user_id]=42&metadata[note]=a+b%26c"
        b"&line_items[0][price]=price_1&line_items[0][quantity]=2&expand[0]=customer&expand[1]=subscription"
    )
    assert kwargs["headers"] == {"Content-Type": "application/x-www-form-urlencoded"}


def test_plain_form_bodies_keep_repeated_keys(packages: dict[str, Path]) -> None:
    endpoint = _load(packages["ours"], "form_brackets_api.api.default.post_flat")
    models = _load(packages["ours"], "form_brackets_api.models")
    kwargs = endpoint._get_kwargs(body=models.PostFlatBody.from_dict({"MediaUrl": ["a", "b"]}))
    assert kwargs["data"] == {"MediaUrl": ["a", "b"]}  # sdk_runtime's Call.from_kwargs repeats the key


def test_none_and_empty_dicts_are_left_out_and_empty_strings_kept() -> None:
    from stripe_api.types import encode_form_brackets

    encoded = encode_form_brackets({"a": None, "metadata": {}, "description": "", "n": {"x": {"y": 1}}})
    assert encoded == b"description=&n[x][y]=1"


def test_committed_stripe_client_encodes_seed_checkout() -> None:
    from stripe_api.api.checkout_sessions import post_checkout_sessions
    from stripe_api.models import PostCheckoutSessionsBody

    body = PostCheckoutSessionsBody.from_dict(
        {
            "success_url": "https://example.com/ok?x=1",
            "mode": "subscription",
            "line_items": [{"price": "price_1", "quantity": 1}],
            "subscription_data": {"trial_period_days": 14},
            "metadata": {"user_id": "7"},
            "payment_method_types": ["card"],
        }
    )
    kwargs = post_checkout_sessions._get_kwargs(body=body, idempotency_key="k1")
    assert isinstance(kwargs["content"], bytes)
    pairs = parse_qsl(kwargs["content"].decode())
    assert ("line_items[0][price]", "price_1") in pairs
    assert ("subscription_data[trial_period_days]", "14") in pairs
    assert ("metadata[user_id]", "7") in pairs
    assert ("payment_method_types[0]", "card") in pairs
    assert kwargs["headers"]["Stripe-Version"] == "2023-08-16"
    assert kwargs["headers"]["Idempotency-Key"] == "k1"
