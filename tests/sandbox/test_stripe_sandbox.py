"""The Stripe sandbox on its own wire: bracket forms, Stripe's error shape, Request-Id, idempotency, life cycles."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from sdk_sandbox.forms import FormError, coerce, parse_form


def test_forms_decode_raw_and_encoded_brackets() -> None:
    assert parse_form(b"a[b]=1&line_items%5B0%5D%5Bprice%5D=p&line_items[0][quantity]=2&expand[]=x&expand[]=y") == {
        "a": {"b": "1"},
        "line_items": [{"price": "p", "quantity": "2"}],
        "expand": ["x", "y"],
    }
    assert parse_form(b"metadata=") == {"metadata": ""}
    schema = {"properties": {"n": {"type": "integer"}, "ok": {"type": "boolean"}, "tags": {"type": "array"}}}
    assert coerce(parse_form(b"n=14&ok=true&tags=a"), schema) == {"n": 14, "ok": True, "tags": ["a"]}
    for bad in (b"a=1&a[b]=2", b"a[b=1", b"a[b]x=1", b"\xff=1", b"a" + b"[x]" * 9 + b"=1"):
        with pytest.raises(FormError):
            parse_form(bad)


@pytest.fixture
def http(stripe_sandbox: Any) -> Any:
    with httpx.Client(base_url=stripe_sandbox.url, headers={"Authorization": f"Bearer {stripe_sandbox.api_key}"}) as c:
        yield c


def test_errors_have_stripe_shape_and_request_id(http: httpx.Client, stripe_sandbox: Any) -> None:
    missing = http.get("/v1/customers/cus_nope")
    assert missing.status_code == 404 and missing.headers["request-id"].startswith("req_")
    assert missing.json() == {
        "error": {
            "type": "invalid_request_error",
            "message": "No such customer: 'cus_nope'",
            "code": "resource_missing",
            "param": "id",
        }
    }
    invalid = http.post("/v1/checkout/sessions", data={"mode": "bogus", "success_url": "https://x"})
    assert invalid.status_code == 400 and invalid.json()["error"]["param"] == "mode"
    unauthorized = httpx.get(f"{stripe_sandbox.url}/v1/customers", headers={"Authorization": "Bearer sk_test_nope"})
    assert unauthorized.status_code == 401 and "sk_test_nope" not in unauthorized.text
    assert unauthorized.json()["error"]["type"] == "invalid_request_error"


def test_idempotency_replays_and_refuses_another_body(http: httpx.Client) -> None:
    first = http.post("/v1/customers", data={"email": "a@example.com"}, headers={"Idempotency-Key": "k1"})
    again = http.post("/v1/customers", data={"email": "a@example.com"}, headers={"Idempotency-Key": "k1"})
    assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
    other = http.post("/v1/customers", data={"email": "b@example.com"}, headers={"Idempotency-Key": "k1"})
    assert other.status_code == 400 and other.json()["error"]["type"] == "idempotency_error"
    assert len(http.get("/v1/customers").json()["data"]) == 1


def test_metadata_updates_follow_stripe_rules(http: httpx.Client) -> None:
    customer = http.post("/v1/customers", data={"metadata[a]": "1", "metadata[b]": "2"}).json()
    cleared_one = http.post(f"/v1/customers/{customer['id']}", data={"metadata[a]": ""}).json()
    assert cleared_one["metadata"] == {"b": "2"}
    cleared_all = http.post(f"/v1/customers/{customer['id']}", data={"metadata": ""}).json()
    assert cleared_all["metadata"] == {}
    deleted = http.delete(f"/v1/customers/{customer['id']}").json()
    assert deleted == {"id": customer["id"], "object": "customer", "deleted": True}
    assert http.get(f"/v1/customers/{customer['id']}").json()["deleted"] is True


def test_delete_parameters_in_the_query_string_and_hidden_keys(http: httpx.Client, stripe_sandbox: Any) -> None:
    created = stripe_sandbox.trigger("customer.subscription.created")["created"]
    sub = http.delete(f"/v1/subscriptions/{created['subscription']}", params={"invoice_now": "true"})
    assert sub.status_code == 200 and sub.json()["status"] == "canceled"
    assert not [key for key in sub.json() if key.startswith("sandbox_")]
    events = http.get("/v1/events", params={"type": "customer.subscription.*"}).json()["data"]
    assert [event["type"] for event in events] == [
        "customer.subscription.deleted",
        "customer.subscription.updated",
        "customer.subscription.created",
    ]
    assert events[1]["data"]["previous_attributes"] == {"status": "incomplete"}


def test_list_cursors(http: httpx.Client) -> None:
    ids = [http.post("/v1/products", data={"name": f"p{n}"}).json()["id"] for n in range(4)]
    newest_first = ids[::-1]
    page = http.get("/v1/products", params={"limit": 2}).json()
    assert [row["id"] for row in page["data"]] == newest_first[:2] and page["has_more"] is True
    after = http.get("/v1/products", params={"limit": 2, "starting_after": newest_first[1]}).json()
    assert [row["id"] for row in after["data"]] == newest_first[2:] and after["has_more"] is False
    before = http.get("/v1/products", params={"ending_before": newest_first[2]}).json()
    assert [row["id"] for row in before["data"]] == newest_first[:2]
    assert http.get("/v1/products", params={"limit": 0}).status_code == 400


def test_an_alias_names_an_existing_object_for_every_request(http: httpx.Client, stripe_sandbox: Any) -> None:
    product = http.post("/v1/products", data={"name": "Pro"}).json()
    recurring = {"product": product["id"], "unit_amount": 900, "currency": "usd", "recurring[interval]": "month"}
    price = http.post("/v1/prices", data=recurring).json()
    assert stripe_sandbox.alias("price_monthly", price["id"]) == {
        "alias": "price_monthly",
        "id": price["id"],
        "object": "price",
    }
    assert http.get("/v1/prices/price_monthly").json()["id"] == price["id"]
    customer = http.post("/v1/customers", data={"email": "a@example.com"}).json()
    stripe_sandbox.alias("cus_1234567890", customer["id"])
    trial = {"customer": "cus_1234567890", "items[0][price]": "price_monthly", "trial_period_days": 14}
    created = http.post("/v1/subscriptions", data=trial)
    assert created.status_code == 200, created.text
    subscription = created.json()
    assert subscription["customer"] == customer["id"] and subscription["items"]["data"][0]["price"]["id"] == price["id"]
    for filters in ({"customer": "cus_1234567890"}, {"price": "price_monthly"}):  # list filters follow aliases
        assert [row["id"] for row in http.get("/v1/subscriptions", params=filters).json()["data"]] == [
            subscription["id"]
        ]
    session = http.post(
        "/v1/checkout/sessions",
        data={"mode": "subscription", "customer": "cus_1234567890", "success_url": "https://x",
              "line_items[0][price]": "price_monthly", "line_items[0][quantity]": 1},
    ).json()  # fmt: skip
    assert session["customer"] == customer["id"]  # stored with the real ID
    assert [
        row["id"] for row in http.get("/v1/checkout/sessions", params={"customer": customer["id"]}).json()["data"]
    ] == [session["id"]]
    assert [row["id"] for row in http.get("/v1/prices").json()["data"]] == [price["id"]]  # lists show real IDs only

    endpoint = http.post(
        "/v1/webhook_endpoints", data={"url": "http://127.0.0.1:9/hook", "enabled_events[]": "*"}
    ).json()
    stripe_sandbox.alias("we_guide", endpoint["id"])
    deleted = http.delete("/v1/webhook_endpoints/we_guide").json()
    assert deleted == {"id": endpoint["id"], "object": "webhook_endpoint", "deleted": True}
    assert http.get("/v1/webhook_endpoints").json()["data"] == []  # the endpoint itself, not just its alias

    stripe_sandbox.alias("cus_1234567890", http.post("/v1/customers", data={"email": "b@example.com"}).json()["id"])
    assert http.get("/v1/customers/cus_1234567890").json()["email"] == "b@example.com"  # re-pointed


def test_an_alias_must_name_a_stripe_object_of_its_prefix(http: httpx.Client, stripe_sandbox: Any) -> None:
    customer = http.post("/v1/customers", data={"email": "a@example.com"}).json()

    def alias(name: str, object_id: str) -> httpx.Response:
        return httpx.post(f"{stripe_sandbox.root_url}/sandbox/stripe/aliases", json={"alias": name, "id": object_id})

    unknown = alias("cus_x", "cus_nope")
    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "resource_missing"
    assert alias("sub_x", customer["id"]).json()["error"]["param"] == "alias"  # a customer's alias starts cus_
    product = http.post("/v1/products", data={"name": "Pro"}).json()
    price = http.post("/v1/prices", data={"product": product["id"], "unit_amount": 100, "currency": "usd"}).json()
    taken = alias(customer["id"], price["id"])
    assert taken.status_code == 400  # price prefix
    shadow = http.post("/v1/customers", data={"email": "b@example.com"}).json()
    assert alias(shadow["id"], customer["id"]).status_code == 409  # an object's own ID is never an alias
    assert http.get(f"/v1/customers/{shadow['id']}").json()["email"] == "b@example.com"
    session = http.post(
        "/v1/checkout/sessions",
        data={"mode": "payment", "success_url": "https://x", "line_items[0][price]": price["id"]},
    ).json()
    assert alias("cs_test_guide", f"sbxli_{session['id']}").status_code == 404  # sandbox bookkeeping is no object
