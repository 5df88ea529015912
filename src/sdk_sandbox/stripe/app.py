"""The Stripe sandbox: `build_stripe_app()` serves openapi/stripe.yaml over SQLite, plus its control endpoints.

Beyond stripe-mock: state, Stripe's idempotency rules (same key and body replay the first answer, another body is
a 400 `idempotency_error`), `expand` on every answer, Stripe's error wording, a hosted checkout page that pays
with test cards, the events a real checkout or plan change fires, signed webhook delivery with retries, and a
clock that runs trials and renewals. This module only wires the pieces together:

    handlers.py   the upstream API, one handler per operationId
    control.py    the `/sandbox/...` endpoints and the hosted checkout page
    errors.py     Stripe's error bodies
    expansion.py  `expand[]`
    aliases.py    placeholder IDs read as real ones
    objects.py, billing.py, deliveries.py   objects, what happens over time, webhook delivery
    panel.py      the dashboard panel
"""

from __future__ import annotations

import secrets
from pathlib import Path

from ..control import COMMON_HANDLERS, control_index
from ..server import ApiDefinition, Handler, SandboxApp
from ..spec import SpecIndex
from ..specs import spec_path
from ..state import Store
from . import control, handlers
from . import objects as obj
from .aliases import following_aliases
from .errors import error_body, error_headers, unauthorized_body
from .expansion import expanding
from .panel import ACTIONS as STRIPE_ACTIONS
from .panel import stripe_panel
from .state import StripeState, state_of

CONTROL_SPEC = Path(__file__).with_name("control.yaml")


def check_credential(app: SandboxApp, credential: str) -> bool:
    """Accept the configured secret keys."""
    return credential in app.api_keys


def _setup(store: Store) -> None:
    store.script(obj.SCHEMA)


def _on_close(app: SandboxApp) -> None:
    state = state_of(app)
    state.worker = None
    for client in state.clients:
        client.close()
    state.clients.clear()


def _on_reset(app: SandboxApp) -> None:
    state_of(app).restore()


API_HANDLERS: dict[str, Handler] = {
    "PostProducts": handlers.post_products,
    "GetProducts": handlers.get_products,
    "GetProductsId": handlers.get_one("product", "id"),
    "PostPrices": handlers.post_prices,
    "GetPrices": handlers.get_prices,
    "GetPricesPrice": handlers.get_one("price", "price"),
    "PostCustomers": handlers.post_customers,
    "GetCustomers": handlers.get_customers,
    "GetCustomersCustomer": handlers.get_customer,
    "PostCustomersCustomer": handlers.post_customer,
    "DeleteCustomersCustomer": handlers.delete_customer,
    "PostCheckoutSessions": handlers.post_checkout_sessions,
    "GetCheckoutSessions": handlers.get_checkout_sessions,
    "GetCheckoutSessionsSession": handlers.get_one("checkout.session", "session"),
    "PostCheckoutSessionsSessionExpire": handlers.post_session_expire,
    "PostSubscriptions": handlers.post_subscriptions,
    "GetSubscriptions": handlers.get_subscriptions,
    "GetSubscriptionsSubscriptionExposedId": handlers.get_one("subscription", "subscription_exposed_id"),
    "PostSubscriptionsSubscriptionExposedId": handlers.post_subscription,
    "DeleteSubscriptionsSubscriptionExposedId": handlers.delete_subscription,
    "GetInvoices": handlers.get_invoices,
    "GetInvoicesInvoice": handlers.get_one("invoice", "invoice"),
    "GetPaymentIntents": handlers.get_payment_intents,
    "GetPaymentIntentsIntent": handlers.get_one("payment_intent", "intent"),
    "GetEvents": handlers.get_events,
    "GetEventsId": handlers.get_one("event", "id"),
    "PostWebhookEndpoints": handlers.post_webhook_endpoints,
    "GetWebhookEndpoints": handlers.get_webhook_endpoints,
    "DeleteWebhookEndpointsWebhookEndpoint": handlers.delete_webhook_endpoint,
}
CONTROL_HANDLERS: dict[str, Handler] = {
    "checkoutPage": control.checkout_page,
    "payCheckoutPage": control.pay_page,
    "completeCheckoutSession": control.complete_session,
    "triggerEvent": control.trigger,
    "advanceClock": control.advance_clock,
    "failNextPayment": control.fail_next_payment,
    "createAlias": control.create_alias,
    "listDeliveries": control.list_deliveries,
    "setDeliverySettings": control.delivery_settings,
}
HANDLERS: dict[str, Handler] = {
    **{name: following_aliases(expanding(handler)) for name, handler in API_HANDLERS.items()},
    **{name: following_aliases(handler) for name, handler in CONTROL_HANDLERS.items()},
    **COMMON_HANDLERS,
}


def build_stripe_app(*, db: str | None = None, api_keys: tuple[str, ...] | None = None) -> SandboxApp:
    """The Stripe sandbox app; with no `api_keys`, one `sk_test_...` key is minted (read it from `app.api_keys`).

    Set `app.root_url` to the sandbox's own root URL (the runner and the pytest plugin do) so that
    checkout session URLs point at its hosted page.
    """
    keys = api_keys or (f"sk_test_{secrets.token_hex(12)}",)
    definition = ApiDefinition(
        name="stripe",
        spec=SpecIndex.load(spec_path("stripe")),
        control=control_index(CONTROL_SPEC),
        handlers=HANDLERS,
        check_credential=check_credential,
        error_body=error_body,
        setup=_setup,
        tables=obj.TABLES,
        on_reset=_on_reset,
        request_id_header="Request-Id",
        idempotency_mismatch=(400, "idempotency_error"),
        idempotency_stores_5xx=True,
        error_headers=error_headers,
        dashboard=stripe_panel,
        actions=STRIPE_ACTIONS,
        bracket_query=True,
        reject_unknown_query=True,
        unauthorized_body=unauthorized_body,
        on_close=_on_close,
    )
    app = SandboxApp(definition, db=db, api_keys=keys)
    app.state = StripeState()
    return app
