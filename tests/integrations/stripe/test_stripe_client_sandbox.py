"""StripeClient against the Stripe sandbox over loopback: seed 002's calls, lists, life cycles and idempotency."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from app_integrations.stripe import AsyncStripeClient, StripeClient


def test_seed_create_customer_returns_the_seed_keys(stripe_client: StripeClient) -> None:
    result = stripe_client.create_customer(email="user@example.com", name="John Doe", metadata={"user_id": "123"})
    assert result["success"], result
    customer = result["customer"]
    assert customer["id"].startswith("cus_")
    assert (customer["email"], customer["name"], customer["metadata"]) == (
        "user@example.com",
        "John Doe",
        {"user_id": "123"},
    )
    assert result["request_id"] and result["request_id"].startswith("req_")
    again = stripe_client.retrieve_customer(customer["id"])
    assert again["customer"]["metadata"] == {"user_id": "123"}


def test_update_list_and_delete_customers(stripe_client: StripeClient) -> None:
    ids = [stripe_client.create_customer(f"user{n}@example.com")["customer"]["id"] for n in range(5)]
    updated = stripe_client.update_customer(ids[0], name="Ada", metadata={"plan": "pro"})
    assert updated["customer"]["name"] == "Ada" and updated["customer"]["metadata"] == {"plan": "pro"}
    page = stripe_client.list("customers", limit=2)
    assert page["success"] and page["has_more"] and len(page["data"]) == 2
    assert [row["id"] for row in page["data"]] == ids[::-1][:2]  # newest first
    assert [row["id"] for row in stripe_client.auto_paging("customers", limit=2)] == ids[::-1]
    assert [row["id"] for row in stripe_client.list("customers", email="user3@example.com")["data"]] == [ids[3]]
    deleted = stripe_client.delete_customer(ids[1])
    assert deleted == {"success": True, "id": ids[1], "deleted": True, "request_id": deleted["request_id"]}
    assert ids[1] not in [row["id"] for row in stripe_client.auto_paging("customers")]


def test_seed_checkout_session_opens_the_hosted_page(
    stripe_client: StripeClient, monthly_price: str, stripe_sandbox: Any
) -> None:
    result = stripe_client.create_checkout_session(
        price_id=monthly_price,
        success_url="https://example.com/success",
        cancel_url="https://example.com/cancel",
        customer_email="user@example.com",
        mode="subscription",
        metadata={"user_id": "123"},
    )
    assert result["success"], result
    session = result["session"]
    assert session["id"].startswith("cs_test_") and session["url"].startswith(stripe_sandbox.url)
    assert {"id", "url", "payment_intent", "client_secret"} <= set(session)
    assert session["metadata"] == {"user_id": "123"} and session["status"] == "open"
    page = httpx.get(session["url"])
    assert page.status_code == 200 and "text/html" in page.headers["content-type"] and session["id"] in page.text
    paid = httpx.post(f"{session['url']}/pay", data={"card_number": "4242 4242 4242 4242", "email": "x@example.com"})
    assert paid.status_code == 303 and paid.headers["location"] == "https://example.com/success"
    done = stripe_client.retrieve_checkout_session(session["id"])["session"]
    assert done["status"] == "complete" and done["payment_status"] == "paid" and done["url"] is None
    subscription = stripe_client.retrieve_subscription(done["subscription"])["subscription"]
    assert subscription["status"] == "active" and subscription["customer"] == done["customer"]
    assert isinstance(subscription["current_period_end"], int)
    customer = stripe_client.retrieve_customer(done["customer"])["customer"]
    assert customer["email"] == "user@example.com"
    invoices = stripe_client.list("invoices", subscription=subscription["id"])["data"]
    assert [(i["status"], i["billing_reason"], i["amount_paid"]) for i in invoices] == [
        ("paid", "subscription_create", 2000)
    ]
    assert stripe_client.list("checkout_sessions", customer=done["customer"])["data"][0]["id"] == session["id"]


def test_declined_card_on_the_page_keeps_the_session_open(stripe_client: StripeClient, one_off_price: str) -> None:
    session = stripe_client.create_checkout_session(one_off_price, "https://example.com/ok", "https://example.com/no")[
        "session"
    ]
    declined = httpx.post(f"{session['url']}/pay", data={"card_number": "4000000000000002"})
    assert declined.status_code == 402 and "declined" in declined.text
    assert stripe_client.retrieve_checkout_session(session["id"])["session"]["status"] == "open"
    assert stripe_client.list("payment_intents")["data"] == []


def test_payment_mode_checkout_creates_a_paid_intent(
    stripe_client: StripeClient, one_off_price: str, stripe_sandbox: Any
) -> None:
    session = stripe_client.create_checkout_session(
        one_off_price, "https://example.com/ok?session={CHECKOUT_SESSION_ID}", quantity=2
    )["session"]
    done = stripe_sandbox.complete_checkout(session["id"])
    assert done["redirect"] == f"https://example.com/ok?session={session['id']}"
    intent = stripe_client.retrieve("payment_intent", done["session"]["payment_intent"])["object"]
    assert (intent["status"], intent["amount"]) == ("succeeded", 3000)
    assert done["events"][-1] == "checkout.session.completed"


def test_seed_create_subscription_with_trial_then_cancel(stripe_client: StripeClient, monthly_price: str) -> None:
    customer = stripe_client.create_customer("user@example.com")["customer"]["id"]
    result = stripe_client.create_subscription(customer, monthly_price, trial_days=14, metadata={"plan": "pro"})
    assert result["success"], result
    subscription = result["subscription"]
    assert subscription["status"] == "trialing" and subscription["metadata"] == {"plan": "pro"}
    assert subscription["current_period_end"] == subscription["trial_end"]
    later = stripe_client.cancel_subscription(subscription["id"], at_period_end=True)["subscription"]
    assert (later["status"], later["cancel_at_period_end"], later["cancel_at"]) == (
        "trialing",
        True,
        subscription["current_period_end"],
    )
    now = stripe_client.cancel_subscription(subscription["id"])["subscription"]
    assert now["status"] == "canceled" and now["canceled_at"]
    assert stripe_client.list("subscriptions", customer=customer)["data"] == []
    assert [s["id"] for s in stripe_client.list("subscriptions", customer=customer, status="canceled")["data"]] == [
        subscription["id"]
    ]


def test_subscription_without_a_payment_method_is_refused(stripe_client: StripeClient, monthly_price: str) -> None:
    customer = stripe_client.create_customer("user@example.com")["customer"]["id"]
    result = stripe_client.create_subscription(customer, monthly_price)
    assert not result["success"] and result["status_code"] == 400 and result["code"] == "resource_missing"
    paid = stripe_client.create_subscription(customer, monthly_price, default_payment_method="pm_card_visa")
    assert paid["subscription"]["status"] == "active"


def test_card_decline_is_a_402_failure_with_decline_code(stripe_client: StripeClient, monthly_price: str) -> None:
    customer = stripe_client.create_customer("user@example.com")["customer"]["id"]
    result = stripe_client.create_subscription(
        customer,
        monthly_price,
        default_payment_method="pm_card_chargeDeclinedInsufficientFunds",
        payment_behavior="error_if_incomplete",
    )
    assert result["success"] is False
    assert (result["status_code"], result["code"], result["decline_code"], result["error_type"]) == (
        402,
        "card_declined",
        "insufficient_funds",
        "card_error",
    )


def test_clock_runs_trial_end_renewal_and_failed_renewal(
    stripe_client: StripeClient, monthly_price: str, stripe_sandbox: Any
) -> None:
    customer = stripe_client.create_customer("user@example.com")["customer"]["id"]
    sub = stripe_client.create_subscription(
        customer, monthly_price, trial_days=7, default_payment_method="pm_card_visa"
    )
    sub_id = sub["subscription"]["id"]
    first = stripe_sandbox.advance(days=5)
    assert [e["type"] for e in first["events"]] == ["customer.subscription.trial_will_end"]
    second = stripe_sandbox.advance(days=3)
    types = [e["type"] for e in second["events"]]
    assert "invoice.paid" in types and types[-1] == "customer.subscription.updated"
    assert stripe_client.retrieve_subscription(sub_id)["subscription"]["status"] == "active"
    stripe_sandbox.fail_next_payment(decline_code="insufficient_funds")
    third = stripe_sandbox.advance(days=31)
    assert "invoice.payment_failed" in [e["type"] for e in third["events"]]
    assert stripe_client.retrieve_subscription(sub_id)["subscription"]["status"] == "past_due"


def test_cancel_at_period_end_ends_with_subscription_deleted(
    stripe_client: StripeClient, monthly_price: str, stripe_sandbox: Any
) -> None:
    customer = stripe_client.create_customer("user@example.com")["customer"]["id"]
    sub_id = stripe_client.create_subscription(customer, monthly_price, default_payment_method="pm_card_visa")[
        "subscription"
    ]["id"]
    stripe_client.cancel_subscription(sub_id, at_period_end=True)
    ran = stripe_sandbox.advance(days=32)
    assert [e["type"] for e in ran["events"]] == ["customer.subscription.deleted"]
    assert stripe_client.retrieve_subscription(sub_id)["subscription"]["status"] == "canceled"


def test_same_idempotency_key_replays_and_another_body_is_refused(stripe_client: StripeClient) -> None:
    first = stripe_client.create_customer("a@example.com", idempotency_key="signup-42")
    again = stripe_client.create_customer("a@example.com", idempotency_key="signup-42")
    assert first["customer"]["id"] == again["customer"]["id"]
    other = stripe_client.create_customer("b@example.com", idempotency_key="signup-42")
    assert (other["success"], other["status_code"], other["code"]) == (False, 400, "idempotency_error")
    assert len(stripe_client.list("customers")["data"]) == 1


class LoseFirstResponse(httpx.BaseTransport):
    """Sends every request for real, but loses the first response (the connection drops after the server acted)."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.sent: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = self.inner.handle_request(request)
        self.sent.append(request)
        if len(self.sent) == 1:
            response.read()
            response.close()
            raise httpx.ReadError("connection lost", request=request)
        return response

    def close(self) -> None:
        self.inner.close()


def test_post_retried_after_a_lost_connection_creates_one_object(stripe_sandbox: Any) -> None:
    transport = LoseFirstResponse()
    with (
        httpx.Client(transport=transport, base_url=stripe_sandbox.url) as http,
        StripeClient(
            api_key=stripe_sandbox.api_key, base_url=stripe_sandbox.url, retry_delay=0.01, http_client=http
        ) as client,
    ):
        result = client.create_customer("once@example.com")
        assert result["success"], result
        assert len(transport.sent) == 2
        keys = {request.headers["Idempotency-Key"] for request in transport.sent}
        assert len(keys) == 1 and result["idempotency_key"] in keys
        customers = client.list("customers")["data"]
    assert [c["id"] for c in customers] == [result["customer"]["id"]]


@pytest.mark.parametrize(
    ("fault", "code", "status"),
    [
        ({"kind": "status", "status": 429, "count": 5}, "rate_limit", 429),
        ({"kind": "status", "status": 500, "count": 5}, "api_error", 500),
        ({"kind": "status", "status": 503, "count": 5}, "api_error", 503),
        ({"kind": "malformed", "count": 5}, "malformed_response", 200),
        ({"kind": "html", "count": 5}, "server_error", 502),
    ],
)
def test_upstream_failures_are_failure_dicts(
    stripe_sandbox: Any, fault: dict[str, Any], code: str, status: int
) -> None:
    stripe_sandbox.control("POST", "/sandbox/faults", fault)
    with StripeClient(
        api_key=stripe_sandbox.api_key, base_url=stripe_sandbox.url, retry_delay=0.01, max_retries=1
    ) as c:
        result = c.create_customer("x@example.com")
    assert (result["success"], result["code"], result["status_code"]) == (False, code, status)
    assert stripe_sandbox.api_key not in str(result)


def test_409_is_retried_and_timeouts_fail(stripe_sandbox: Any) -> None:
    stripe_sandbox.control("POST", "/sandbox/faults", {"kind": "status", "status": 409, "count": 1})
    with StripeClient(api_key=stripe_sandbox.api_key, base_url=stripe_sandbox.url, retry_delay=0.01) as client:
        assert client.create_customer("x@example.com")["success"]
    stripe_sandbox.control("POST", "/sandbox/faults", {"kind": "delay", "delay": 1.0, "count": 1})
    with StripeClient(
        api_key=stripe_sandbox.api_key, base_url=stripe_sandbox.url, timeout=0.2, max_retries=0
    ) as client:
        result = client.list("customers")
    assert (result["success"], result["code"]) == (False, "timeout")


def test_every_error_type(
    stripe_client: StripeClient, monthly_price: str, one_off_price: str, stripe_sandbox: Any
) -> None:
    missing = stripe_client.retrieve_customer("cus_missing")
    assert (missing["status_code"], missing["code"], missing["error_type"], missing["param"]) == (
        404,
        "resource_missing",
        "invalid_request_error",
        "id",
    )
    wrong_mode = stripe_client.create_checkout_session(monthly_price, "https://example.com/ok", mode="payment")
    assert (wrong_mode["status_code"], wrong_mode["error_type"]) == (400, "invalid_request_error")
    assert wrong_mode["param"] == "line_items[0][price]"
    with StripeClient(api_key="sk_test_wrong", base_url=stripe_sandbox.url) as stranger:
        refused = stranger.create_customer("x@example.com")
    assert (refused["status_code"], refused["error_type"]) == (401, "invalid_request_error")
    assert refused["code"] == "unauthorized"  # not Stripe's error type, which an ordinary bad request shares
    assert "sk_test_wrong" not in str(refused)


def test_bad_arguments_never_reach_the_network(stripe_client: StripeClient) -> None:
    assert stripe_client.create_customer("not-an-email")["code"] == "invalid_argument"
    assert stripe_client.create_checkout_session("price_1", "https://x", mode="bogus")["code"] == "invalid_argument"
    assert stripe_client.create_customer("a@example.com", bcc="x")["code"] == "invalid_argument"
    assert stripe_client.retrieve_customer("../v1/customers")["code"] == "invalid_argument"


def test_debug_mode_simulates_with_the_seed_shape() -> None:
    client = StripeClient(api_key="sk_test_x", debug_mode=True)
    result = client.create_checkout_session("price_1", "https://example.com/ok", "https://example.com/no")
    assert result["success"] and result["simulated"] and result["session"]["id"] == "cs_test_simulated"
    assert "sk_test_x" not in repr(client)


async def test_async_twin_runs_the_same_calls(async_stripe_client: AsyncStripeClient, stripe_sandbox: Any) -> None:
    created = [await async_stripe_client.create_customer(f"u{n}@example.com") for n in range(3)]
    assert all(result["success"] for result in created)
    seen = [row["id"] async for row in async_stripe_client.auto_paging("customers", limit=2)]
    assert seen == [result["customer"]["id"] for result in reversed(created)]
    missing = await async_stripe_client.retrieve_subscription("sub_missing")
    assert missing["code"] == "resource_missing"


def test_an_unknown_list_or_retrieve_kind_is_a_failure_dict_not_an_exception(stripe_sandbox: Any) -> None:
    with StripeClient(api_key=stripe_sandbox.api_key, base_url=stripe_sandbox.url) as client:
        listed = client.list("customer")  # singular: not a list endpoint
        fetched = client.retrieve("planet", "x_1")
    assert listed["success"] is False and listed["code"] == "invalid_argument" and "customers" in listed["error"]
    assert fetched["success"] is False and fetched["code"] == "invalid_argument"
