"""`StripeClient` and `AsyncStripeClient`: the guide's Stripe client, returning result dicts and never raising.

Both run the calls of `operations.py` through `sdk_runtime`: finite timeouts, retries of connection failures,
409, 429 and 5xx (a POST only with its `Idempotency-Key`, minted for every POST), `Stripe-Should-Retry` obeyed
both ways, `Request-Id` kept on every result. Webhook verification (`verify_webhook_signature`) is local and the
same method on both twins; it runs in debug mode too.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Unpack

from sdk_runtime import RequestOptionsArgs, RequestOptionsArgsWithoutKey, accepts_request_options

from ..results import INVALID_SIGNATURE, NOT_CONFIGURED, Failure, log_failure
from ..service import AsyncServiceClient, ServiceSpec, SyncServiceClient
from ..webhooks import WebhookVerificationError
from . import config, webhooks
from .types import (
    CheckoutSessionResult,
    CustomerResult,
    DeletedResult,
    ListResult,
    ObjectResult,
    SubscriptionResult,
    SubscriptionUpdate,
    WebhookResult,
)

if TYPE_CHECKING:
    import httpx  # for annotations only: the HTTP stack is imported on the first request

    from sdk_runtime import RequestOptions

    from . import operations as ops
else:

    class _Operations:
        """`operations` imported on first use: it loads the generated client's endpoints and models, which
        constructing a client (and verifying webhooks) never needs."""

        def __getattr__(self, name: str) -> Any:
            from . import operations

            return getattr(operations, name)

    ops = _Operations()


def _stripe_failure_keys(result: Failure) -> Mapping[str, Any]:
    details = result.get("details") or {}
    return {
        "decline_code": details.get("decline_code"),
        "error_type": details.get("type"),
        "param": details.get("param"),
    }


STRIPE = ServiceSpec(
    name="Stripe",
    api_key_setting=config.API_KEY_SETTING,
    base_url_setting=config.BASE_URL_SETTING,
    enabled_setting=config.ENABLED_SETTING,
    default_base_url=config.DEFAULT_BASE_URL,
    logger_name="app_integrations.stripe",
    retry_statuses=frozenset({409}),
    should_retry_header="Stripe-Should-Retry",
    failure_keys=_stripe_failure_keys,
)


class _StripeCommon:
    """Construction and webhook verification, shared by both twins (verification does no I/O)."""

    spec: ClassVar[ServiceSpec] = STRIPE
    logger: Any

    def _stripe_setup(
        self,
        api_key: str | None,
        webhook_secret: str | Iterable[str] | None,
        debug_mode: bool | None,
        base_url: str | None,
        timeout: float,
        max_retries: int,
        retry_delay: float,
        request_id: str | None,
        http_client: Any,
    ) -> None:
        self._setup(  # type: ignore[attr-defined]  # the service client after this mixin in the MRO
            api_key=api_key,
            debug_mode=debug_mode,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            retry_delay=retry_delay,
            request_id=request_id,
            http_client=http_client,
        )
        self._webhook_secrets = config.webhook_secrets(webhook_secret)

    def verify_webhook_signature(
        self, payload: bytes | str, signature: str | None, *, tolerance: int = webhooks.DEFAULT_TOLERANCE
    ) -> WebhookResult:
        """Verify a delivery's `Stripe-Signature` over its raw body: `{"success", "verified", "event"}`.

        Always checked, debug mode included. A bad signature is `{"success": False, "verified": False, "error",
        "code": "invalid_signature"}`; no configured secret is `code: "not_configured"`.
        """
        if not self._webhook_secrets:
            result: dict[str, Any] = {
                "success": False,
                "verified": False,
                "error": "Webhook secret not configured",
                "code": NOT_CONFIGURED,
                "status_code": None,
                "request_id": None,
            }
        else:
            try:
                event = webhooks.verify(payload, signature, self._webhook_secrets, tolerance=tolerance)
            except WebhookVerificationError as exc:
                result = {
                    "success": False,
                    "verified": False,
                    "error": f"Invalid webhook signature: {exc.reason}",
                    "code": INVALID_SIGNATURE,
                    "status_code": None,
                    "request_id": None,
                }
            else:
                return {"success": True, "verified": True, "event": event}
        log_failure(self.logger, "Stripe", "verify_webhook_signature", result)
        return result  # type: ignore[return-value]


def _next_page(result: ListResult, params: dict[str, Any]) -> dict[str, Any] | None:
    """The parameters of the page after `result`, or None when it was the last (or a failure)."""
    if not result["success"] or not result.get("has_more") or not result.get("next_starting_after"):
        return None
    return {**params, "starting_after": result["next_starting_after"]}


class StripeClient(_StripeCommon, SyncServiceClient):
    """Stripe (payments), blocking.

    Args:
        api_key: The secret key (`sk_test_...`); default `settings.STRIPE_API_KEY`, then the environment.
        webhook_secret: The endpoint secret (`whsec_...`), or several while rolling it; default
            `STRIPE_WEBHOOK_SECRET` (a list setting, or comma-separated).
        debug_mode: True simulates every API call; False never simulates; None (default) follows `DEBUG`/`TESTING`
            by the rule of `app_integrations.settings`: `STRIPE_ENABLED` false or no key simulates in debug mode and
            is a `disabled` / `not_configured` failure elsewhere, never a simulated payment in production.
        base_url: The API root; default `settings.STRIPE_BASE_URL`, else `https://api.stripe.com`.
        timeout: Seconds per attempt.
        max_retries: Retries of connection failures, 409, 429 and 5xx.
        retry_delay: First backoff in seconds.
        request_id: Sent as `X-Request-ID`.
        http_client: An `httpx.Client` to send through (never closed by this client).
    """

    def __init__(
        self,
        api_key: str | None = None,
        webhook_secret: str | Iterable[str] | None = None,
        debug_mode: bool | None = None,
        *,
        base_url: str | None = None,
        timeout: float = 10.0,
        max_retries: int = 2,
        retry_delay: float = 0.5,
        request_id: str | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        """See the class docstring for each argument."""
        self._stripe_setup(
            api_key, webhook_secret, debug_mode, base_url, timeout, max_retries, retry_delay, request_id, http_client
        )

    @accepts_request_options(own=("idempotency_key",))
    def create_checkout_session(
        self,
        price_id: str,
        success_url: str,
        cancel_url: str | None = None,
        customer_email: str | None = None,
        mode: str = "payment",
        payment_method_types: list[str] | None = None,
        metadata: Mapping[str, Any] | None = None,
        customer_id: str | None = None,
        *,
        request_options: RequestOptions | None = None,
        **kwargs: Any,
    ) -> CheckoutSessionResult:
        """A Checkout Session for one `price_id`: `result["session"]["url"]` is where to send the customer.

        Keyword arguments: `quantity`, `line_items` (instead of `price_id`), `trial_days` and
        `subscription_metadata` (subscription mode), `client_reference_id`, `allow_promotion_codes`,
        `expires_at`, `customer_creation`, `expand`, `idempotency_key`.
        """
        return self._run(
            "create_checkout_session",
            lambda: ops.create_checkout_session(
                price_id,
                success_url,
                cancel_url,
                customer_email,
                mode,
                payment_method_types,
                metadata,
                customer_id,
                kwargs,
            ),
        )

    @accepts_request_options
    def retrieve_checkout_session(
        self, session_id: str, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> CheckoutSessionResult:
        """One Checkout Session."""
        return self._run("retrieve_checkout_session", lambda: ops.retrieve_checkout_session(session_id))

    @accepts_request_options
    def expire_checkout_session(
        self,
        session_id: str,
        *,
        idempotency_key: str | None = None,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgsWithoutKey],
    ) -> CheckoutSessionResult:
        """Expire an open Checkout Session."""
        return self._run("expire_checkout_session", lambda: ops.expire_checkout_session(session_id, idempotency_key))

    @accepts_request_options(own=("idempotency_key",))
    def create_customer(
        self,
        email: str,
        name: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        *,
        request_options: RequestOptions | None = None,
        **kwargs: Any,
    ) -> CustomerResult:
        """A customer; keyword arguments `description`, `phone`, `expand`, `idempotency_key`."""
        return self._run("create_customer", lambda: ops.create_customer(email, name, metadata, kwargs))

    @accepts_request_options
    def retrieve_customer(
        self, customer_id: str, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> CustomerResult:
        """One customer."""
        return self._run("retrieve_customer", lambda: ops.retrieve_customer(customer_id))

    @accepts_request_options(own=("idempotency_key",))
    def update_customer(
        self, customer_id: str, *, request_options: RequestOptions | None = None, **fields: Any
    ) -> CustomerResult:
        """Change `email`, `name`, `metadata`, `description` or `phone`."""
        return self._run("update_customer", lambda: ops.update_customer(customer_id, fields))

    @accepts_request_options
    def delete_customer(
        self, customer_id: str, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> DeletedResult:
        """Delete a customer (Stripe cancels their subscriptions)."""
        return self._run("delete_customer", lambda: ops.delete_customer(customer_id))

    @accepts_request_options(own=("idempotency_key",))
    def create_subscription(
        self,
        customer_id: str,
        price_id: str,
        trial_days: int | None = None,
        metadata: Mapping[str, Any] | None = None,
        *,
        request_options: RequestOptions | None = None,
        **kwargs: Any,
    ) -> SubscriptionResult:
        """Subscribe `customer_id` to `price_id`; `result["subscription"]` has `id`, `status`, `current_period_end`.

        Keyword arguments: `quantity`, `payment_behavior`, `default_payment_method`, `cancel_at_period_end`,
        `description`, `expand`, `idempotency_key`.
        """
        return self._run(
            "create_subscription", lambda: ops.create_subscription(customer_id, price_id, trial_days, metadata, kwargs)
        )

    @accepts_request_options
    def retrieve_subscription(
        self,
        subscription_id: str,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> SubscriptionResult:
        """One subscription."""
        return self._run("retrieve_subscription", lambda: ops.retrieve_subscription(subscription_id))

    @accepts_request_options(own=("idempotency_key",))
    def update_subscription(
        self,
        subscription_id: str,
        *,
        request_options: RequestOptions | None = None,
        **fields: Unpack[SubscriptionUpdate],
    ) -> SubscriptionResult:
        """Change plan (`items=[{"id": item_id, "price": new_price}]`, prorated per `proration_behavior`),
        `cancel_at`, `cancel_at_period_end`, `trial_end`, `default_payment_method`, `payment_behavior`,
        `metadata` or `description` (see `SubscriptionUpdate`)."""
        return self._run("update_subscription", lambda: ops.update_subscription(subscription_id, fields))

    @accepts_request_options(own=("idempotency_key",))
    def cancel_subscription(
        self,
        subscription_id: str,
        at_period_end: bool = False,
        *,
        request_options: RequestOptions | None = None,
        **kwargs: Any,
    ) -> SubscriptionResult:
        """Cancel now (`status: canceled`), or at the end of the period (`cancel_at_period_end: True`).

        Keyword arguments (immediate cancel): `invoice_now`, `prorate`.
        """
        return self._run("cancel_subscription", lambda: ops.cancel_subscription(subscription_id, at_period_end, kwargs))

    @accepts_request_options(own=("idempotency_key",))
    def create_product(
        self, name: str, *, request_options: RequestOptions | None = None, **kwargs: Any
    ) -> ObjectResult:
        """A product (`description`, `metadata`, `active`)."""
        return self._run("create_product", lambda: ops.create_product(name, kwargs))

    @accepts_request_options(own=("idempotency_key",))
    def create_price(
        self,
        product_id: str,
        unit_amount: int,
        currency: str = "usd",
        *,
        request_options: RequestOptions | None = None,
        **kwargs: Any,
    ) -> ObjectResult:
        """A price in the smallest currency unit; `interval="month"` makes it recurring."""
        return self._run("create_price", lambda: ops.create_price(product_id, unit_amount, currency, kwargs))

    @accepts_request_options
    def retrieve(
        self,
        kind: str,
        object_id: str,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> ObjectResult:
        """One `price`, `invoice`, `payment_intent` or `event` by ID."""
        return self._run(f"retrieve_{kind}", lambda: ops.retrieve_object(f"retrieve_{kind}", object_id))

    @accepts_request_options(own=("idempotency_key",))
    def create_webhook_endpoint(
        self, url: str, enabled_events: list[str], *, request_options: RequestOptions | None = None, **kwargs: Any
    ) -> ObjectResult:
        """Register `url` for `enabled_events`; `result["webhook_endpoint"]["secret"]` is its signing secret."""
        return self._run("create_webhook_endpoint", lambda: ops.create_webhook_endpoint(url, enabled_events, kwargs))

    @accepts_request_options
    def delete_webhook_endpoint(
        self, endpoint_id: str, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> DeletedResult:
        """Remove a webhook endpoint."""
        return self._run("delete_webhook_endpoint", lambda: ops.delete_webhook_endpoint(endpoint_id))

    @accepts_request_options
    def list(
        self,
        kind: str,
        *,
        limit: int | None = None,
        starting_after: str | None = None,
        ending_before: str | None = None,
        request_options: RequestOptions | None = None,
        **filters: Any,
    ) -> ListResult:
        """One page of `kind` (`customers`, `subscriptions`, `checkout_sessions`, `invoices`, `payment_intents`,
        `events`, `products`, `prices`, `webhook_endpoints`), newest first, with that list's filters."""
        return self._run(
            f"list_{kind}", lambda: ops.list_objects(f"list_{kind}", limit, starting_after, ending_before, filters)
        )

    @accepts_request_options
    def auto_paging(
        self, kind: str, *, request_options: RequestOptions | None = None, **params: Any
    ) -> Iterator[dict[str, Any]]:
        """Every object of `kind`, page after page (`has_more` / `starting_after`); stops at the first failure."""
        page: dict[str, Any] | None = dict(params)
        while page is not None:
            result = self.list(kind, **page)
            yield from result.get("data", [])
            page = _next_page(result, page)


class AsyncStripeClient(_StripeCommon, AsyncServiceClient):
    """The asyncio twin of `StripeClient`: the same arguments (`http_client` an `httpx.AsyncClient`) and results,
    awaitable (verification stays sync)."""

    def __init__(
        self,
        api_key: str | None = None,
        webhook_secret: str | Iterable[str] | None = None,
        debug_mode: bool | None = None,
        *,
        base_url: str | None = None,
        timeout: float = 10.0,
        max_retries: int = 2,
        retry_delay: float = 0.5,
        request_id: str | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        """See `StripeClient`."""
        self._stripe_setup(
            api_key, webhook_secret, debug_mode, base_url, timeout, max_retries, retry_delay, request_id, http_client
        )

    @accepts_request_options(own=("idempotency_key",))
    async def create_checkout_session(
        self,
        price_id: str,
        success_url: str,
        cancel_url: str | None = None,
        customer_email: str | None = None,
        mode: str = "payment",
        payment_method_types: list[str] | None = None,
        metadata: Mapping[str, Any] | None = None,
        customer_id: str | None = None,
        *,
        request_options: RequestOptions | None = None,
        **kwargs: Any,
    ) -> CheckoutSessionResult:
        """See `StripeClient.create_checkout_session`."""
        return await self._run(
            "create_checkout_session",
            lambda: ops.create_checkout_session(
                price_id,
                success_url,
                cancel_url,
                customer_email,
                mode,
                payment_method_types,
                metadata,
                customer_id,
                kwargs,
            ),
        )

    @accepts_request_options
    async def retrieve_checkout_session(
        self, session_id: str, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> CheckoutSessionResult:
        """See `StripeClient.retrieve_checkout_session`."""
        return await self._run("retrieve_checkout_session", lambda: ops.retrieve_checkout_session(session_id))

    @accepts_request_options
    async def expire_checkout_session(
        self,
        session_id: str,
        *,
        idempotency_key: str | None = None,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgsWithoutKey],
    ) -> CheckoutSessionResult:
        """See `StripeClient.expire_checkout_session`."""
        return await self._run(
            "expire_checkout_session", lambda: ops.expire_checkout_session(session_id, idempotency_key)
        )

    @accepts_request_options(own=("idempotency_key",))
    async def create_customer(
        self,
        email: str,
        name: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        *,
        request_options: RequestOptions | None = None,
        **kwargs: Any,
    ) -> CustomerResult:
        """See `StripeClient.create_customer`."""
        return await self._run("create_customer", lambda: ops.create_customer(email, name, metadata, kwargs))

    @accepts_request_options
    async def retrieve_customer(
        self, customer_id: str, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> CustomerResult:
        """See `StripeClient.retrieve_customer`."""
        return await self._run("retrieve_customer", lambda: ops.retrieve_customer(customer_id))

    @accepts_request_options(own=("idempotency_key",))
    async def update_customer(
        self, customer_id: str, *, request_options: RequestOptions | None = None, **fields: Any
    ) -> CustomerResult:
        """See `StripeClient.update_customer`."""
        return await self._run("update_customer", lambda: ops.update_customer(customer_id, fields))

    @accepts_request_options
    async def delete_customer(
        self, customer_id: str, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> DeletedResult:
        """See `StripeClient.delete_customer`."""
        return await self._run("delete_customer", lambda: ops.delete_customer(customer_id))

    @accepts_request_options(own=("idempotency_key",))
    async def create_subscription(
        self,
        customer_id: str,
        price_id: str,
        trial_days: int | None = None,
        metadata: Mapping[str, Any] | None = None,
        *,
        request_options: RequestOptions | None = None,
        **kwargs: Any,
    ) -> SubscriptionResult:
        """See `StripeClient.create_subscription`."""
        return await self._run(
            "create_subscription", lambda: ops.create_subscription(customer_id, price_id, trial_days, metadata, kwargs)
        )

    @accepts_request_options
    async def retrieve_subscription(
        self,
        subscription_id: str,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> SubscriptionResult:
        """See `StripeClient.retrieve_subscription`."""
        return await self._run("retrieve_subscription", lambda: ops.retrieve_subscription(subscription_id))

    @accepts_request_options(own=("idempotency_key",))
    async def update_subscription(
        self,
        subscription_id: str,
        *,
        request_options: RequestOptions | None = None,
        **fields: Unpack[SubscriptionUpdate],
    ) -> SubscriptionResult:
        """See `StripeClient.update_subscription`."""
        return await self._run("update_subscription", lambda: ops.update_subscription(subscription_id, fields))

    @accepts_request_options(own=("idempotency_key",))
    async def cancel_subscription(
        self,
        subscription_id: str,
        at_period_end: bool = False,
        *,
        request_options: RequestOptions | None = None,
        **kwargs: Any,
    ) -> SubscriptionResult:
        """See `StripeClient.cancel_subscription`."""
        return await self._run(
            "cancel_subscription", lambda: ops.cancel_subscription(subscription_id, at_period_end, kwargs)
        )

    @accepts_request_options(own=("idempotency_key",))
    async def create_product(
        self, name: str, *, request_options: RequestOptions | None = None, **kwargs: Any
    ) -> ObjectResult:
        """See `StripeClient.create_product`."""
        return await self._run("create_product", lambda: ops.create_product(name, kwargs))

    @accepts_request_options(own=("idempotency_key",))
    async def create_price(
        self,
        product_id: str,
        unit_amount: int,
        currency: str = "usd",
        *,
        request_options: RequestOptions | None = None,
        **kwargs: Any,
    ) -> ObjectResult:
        """See `StripeClient.create_price`."""
        return await self._run("create_price", lambda: ops.create_price(product_id, unit_amount, currency, kwargs))

    @accepts_request_options
    async def retrieve(
        self,
        kind: str,
        object_id: str,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> ObjectResult:
        """See `StripeClient.retrieve`."""
        return await self._run(f"retrieve_{kind}", lambda: ops.retrieve_object(f"retrieve_{kind}", object_id))

    @accepts_request_options(own=("idempotency_key",))
    async def create_webhook_endpoint(
        self, url: str, enabled_events: list[str], *, request_options: RequestOptions | None = None, **kwargs: Any
    ) -> ObjectResult:
        """See `StripeClient.create_webhook_endpoint`."""
        return await self._run(
            "create_webhook_endpoint", lambda: ops.create_webhook_endpoint(url, enabled_events, kwargs)
        )

    @accepts_request_options
    async def delete_webhook_endpoint(
        self, endpoint_id: str, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> DeletedResult:
        """See `StripeClient.delete_webhook_endpoint`."""
        return await self._run("delete_webhook_endpoint", lambda: ops.delete_webhook_endpoint(endpoint_id))

    @accepts_request_options
    async def list(
        self,
        kind: str,
        *,
        limit: int | None = None,
        starting_after: str | None = None,
        ending_before: str | None = None,
        request_options: RequestOptions | None = None,
        **filters: Any,
    ) -> ListResult:
        """See `StripeClient.list`."""
        return await self._run(
            f"list_{kind}", lambda: ops.list_objects(f"list_{kind}", limit, starting_after, ending_before, filters)
        )

    @accepts_request_options
    async def auto_paging(
        self, kind: str, *, request_options: RequestOptions | None = None, **params: Any
    ) -> AsyncIterator[dict[str, Any]]:
        """See `StripeClient.auto_paging`."""
        page: dict[str, Any] | None = dict(params)
        while page is not None:
            result = await self.list(kind, **page)
            for item in result.get("data", []):
                yield item
            page = _next_page(result, page)


__all__ = ["STRIPE", "AsyncStripeClient", "StripeClient"]
