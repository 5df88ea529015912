"""Cut openapi/stripe.yaml out of Stripe's published spec3.yaml (2023-08-16): the paths, parameters and fields kept.

    python generator/stripe_subset.py ../shared/upstream-specs/stripe/spec3.yaml openapi/stripe.yaml

Run it again after changing what is kept (the tables below); the output is then reviewed and committed like any
hand edit of a document. Nested objects the subset does not keep become plain `object`s; `required` lists stay
Stripe's own (the script refuses to drop a required field).
"""

from __future__ import annotations

import copy
import sys
from pathlib import Path
from typing import Any

import yaml

d: Any = yaml.load(Path(sys.argv[1]).read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506  (safe loaders)
S = d["components"]["schemas"]
VERSION = d["info"]["version"]

EXTRA = {
    "checkout.session": [
        "amount_subtotal",
        "amount_total",
        "cancel_url",
        "client_reference_id",
        "currency",
        "customer",
        "customer_creation",
        "customer_email",
        "invoice",
        "metadata",
        "payment_intent",
        "status",
        "subscription",
        "success_url",
        "url",
    ],
    "customer": ["email", "name", "description", "phone", "metadata"],
    "deleted_customer": [],
    "product": ["description", "default_price"],
    "price": ["nickname", "recurring", "unit_amount"],
    "recurring": [],
    "subscription": [
        "cancel_at",
        "canceled_at",
        "ended_at",
        "trial_start",
        "trial_end",
        "latest_invoice",
        "default_payment_method",
        "description",
    ],
    "subscription_item": ["quantity"],
    "invoice": [
        "id",
        "customer",
        "customer_email",
        "subscription",
        "status",
        "billing_reason",
        "payment_intent",
        "hosted_invoice_url",
        "number",
        "metadata",
    ],
    "invoice_line_item_period": [],
    "payment_intent": ["customer", "invoice", "metadata", "description", "client_secret"],
    "event": ["api_version", "request"],
    "notification_event_data": ["previous_attributes"],
    "notification_event_request": ["id", "idempotency_key"],
    "webhook_endpoint": ["api_version", "description", "secret"],
    "deleted_webhook_endpoint": [],
    "error": [],
    "api_errors": ["code", "decline_code", "doc_url", "message", "param"],
}
# Nested objects (not components) we keep in full depth only where named here.
KEEP = set(EXTRA)


def transform(node: Any) -> Any:
    """`node` with references to schemas outside the subset replaced by plain objects."""
    if isinstance(node, dict):
        if "$ref" in node:
            name = node["$ref"].rsplit("/", 1)[1]
            if name in KEEP:
                return {"$ref": node["$ref"]}
            return {"type": "object", "description": f"A `{name}` object (not modelled in this subset)."}
        out = {}
        for key, value in node.items():
            if key in ("x-stripeBypassValidation", "x-stripeParam", "x-stripeMostCommon"):
                continue
            out[key] = transform(value)
        if "x-expandableFields" in out:
            out["x-expandableFields"] = [f for f in out["x-expandableFields"] if f in out.get("properties", {})]
        return out
    if isinstance(node, list):
        return [transform(v) for v in node]
    return node


components = {}
for name, extra in EXTRA.items():
    src = S[name]
    required = src.get("required", [])
    keep = list(dict.fromkeys(required + extra))
    missing = [p for p in keep if p not in src.get("properties", {})]
    assert not missing, (name, missing)
    schema = {k: v for k, v in src.items() if k not in ("properties", "required", "x-expandableFields")}
    schema["properties"] = {p: src["properties"][p] for p in sorted(keep)}
    if required:
        schema["required"] = required
    if "x-expandableFields" in src:
        schema["x-expandableFields"] = src["x-expandableFields"]
    components[name] = transform(schema)

# subscription.items / invoice.lines inline lists: keep them.

# Operations: (path, method) -> body keep spec, query keep list, response schema name or list component.
BODY = {
    ("/v1/products", "post"): {"name": None, "active": None, "description": None, "metadata": None, "expand": None},
    ("/v1/prices", "post"): {
        "currency": None,
        "product": None,
        "unit_amount": None,
        "nickname": None,
        "recurring": ["interval", "interval_count"],
        "metadata": None,
        "expand": None,
    },
    ("/v1/customers", "post"): {
        "email": None,
        "name": None,
        "description": None,
        "phone": None,
        "metadata": None,
        "expand": None,
    },
    ("/v1/customers/{customer}", "post"): {
        "email": None,
        "name": None,
        "description": None,
        "phone": None,
        "metadata": None,
        "expand": None,
    },
    ("/v1/checkout/sessions", "post"): {
        "success_url": None,
        "cancel_url": None,
        "mode": None,
        "line_items": ["price", "quantity"],
        "customer": None,
        "customer_email": None,
        "customer_creation": None,
        "metadata": None,
        "client_reference_id": None,
        "subscription_data": ["trial_period_days", "metadata"],
        "allow_promotion_codes": None,
        "expires_at": None,
        "payment_method_types": None,
        "expand": None,
    },
    ("/v1/checkout/sessions/{session}/expire", "post"): {"expand": None},
    ("/v1/subscriptions", "post"): {
        "customer": None,
        "items": ["price", "quantity"],
        "trial_period_days": None,
        "metadata": None,
        "payment_behavior": None,
        "default_payment_method": None,
        "cancel_at_period_end": None,
        "description": None,
        "expand": None,
    },
    ("/v1/subscriptions/{subscription_exposed_id}", "post"): {
        "items": ["id", "price", "quantity", "deleted"],
        "proration_behavior": None,
        "cancel_at": None,
        "cancel_at_period_end": None,
        "trial_end": None,
        "default_payment_method": None,
        "payment_behavior": None,
        "metadata": None,
        "description": None,
        "expand": None,
    },
    ("/v1/webhook_endpoints", "post"): {
        "url": None,
        "enabled_events": None,
        "description": None,
        "metadata": None,
        "api_version": None,
        "expand": None,
    },
}
QUERY = {
    ("/v1/products", "get"): ["expand", "active", "limit", "starting_after", "ending_before"],
    ("/v1/products/{id}", "get"): [
        "expand",
    ],
    ("/v1/prices", "get"): ["expand", "active", "product", "limit", "starting_after", "ending_before"],
    ("/v1/prices/{price}", "get"): [
        "expand",
    ],
    ("/v1/customers", "get"): ["expand", "email", "limit", "starting_after", "ending_before"],
    ("/v1/customers/{customer}", "get"): [
        "expand",
    ],
    ("/v1/customers/{customer}", "delete"): [],
    ("/v1/checkout/sessions", "get"): [
        "expand",
        "customer",
        "subscription",
        "payment_intent",
        "limit",
        "starting_after",
        "ending_before",
    ],
    ("/v1/checkout/sessions/{session}", "get"): [
        "expand",
    ],
    ("/v1/subscriptions", "get"): ["expand", "customer", "price", "status", "limit", "starting_after", "ending_before"],
    ("/v1/subscriptions/{subscription_exposed_id}", "get"): [
        "expand",
    ],
    ("/v1/invoices", "get"): [
        "expand",
        "customer",
        "subscription",
        "status",
        "limit",
        "starting_after",
        "ending_before",
    ],
    ("/v1/invoices/{invoice}", "get"): [
        "expand",
    ],
    ("/v1/payment_intents", "get"): ["expand", "customer", "limit", "starting_after", "ending_before"],
    ("/v1/payment_intents/{intent}", "get"): [
        "expand",
    ],
    ("/v1/events", "get"): ["expand", "type", "limit", "starting_after", "ending_before"],
    ("/v1/events/{id}", "get"): [
        "expand",
    ],
    ("/v1/webhook_endpoints", "get"): ["expand", "limit", "starting_after", "ending_before"],
    ("/v1/webhook_endpoints/{webhook_endpoint}", "delete"): [],
}
# DELETE /v1/subscriptions/{id}: Stripe's spec models its parameters as a form body; stripe-python (and we) send
# them in the query string, which Stripe reads as well.
DELETE_SUB_QUERY = {"invoice_now": {"type": "boolean"}, "prorate": {"type": "boolean"}}

LIST_NAMES = {
    "/v1/products": "ProductList",
    "/v1/prices": "PriceList",
    "/v1/customers": "CustomerList",
    "/v1/checkout/sessions": "CheckoutSessionList",
    "/v1/subscriptions": "SubscriptionList",
    "/v1/invoices": "InvoiceList",
    "/v1/payment_intents": "PaymentIntentList",
    "/v1/events": "EventList",
    "/v1/webhook_endpoints": "WebhookEndpointList",
}
TAGS = {
    "products": "Products",
    "prices": "Prices",
    "customers": "Customers",
    "checkout": "Checkout Sessions",
    "subscriptions": "Subscriptions",
    "invoices": "Invoices",
    "payment_intents": "Payment Intents",
    "events": "Events",
    "webhook_endpoints": "Webhook Endpoints",
}

# Stateful links (not in Stripe's document): what a created object's ID leads to.
LINKS = {
    "PostProducts": {"GetProduct": ("GetProductsId", "id")},
    "PostPrices": {"GetPrice": ("GetPricesPrice", "price")},
    "PostCustomers": {
        "GetCustomer": ("GetCustomersCustomer", "customer"),
        "UpdateCustomer": ("PostCustomersCustomer", "customer"),
        "DeleteCustomer": ("DeleteCustomersCustomer", "customer"),
    },
    "PostCheckoutSessions": {
        "GetSession": ("GetCheckoutSessionsSession", "session"),
        "ExpireSession": ("PostCheckoutSessionsSessionExpire", "session"),
    },
    "PostSubscriptions": {
        "GetSubscription": ("GetSubscriptionsSubscriptionExposedId", "subscription_exposed_id"),
        "UpdateSubscription": ("PostSubscriptionsSubscriptionExposedId", "subscription_exposed_id"),
        "CancelSubscription": ("DeleteSubscriptionsSubscriptionExposedId", "subscription_exposed_id"),
    },
    "PostWebhookEndpoints": {"DeleteEndpoint": ("DeleteWebhookEndpointsWebhookEndpoint", "webhook_endpoint")},
}
ERRORS = {
    "400": "InvalidRequest",
    "401": "Unauthorized",
    "402": "RequestFailed",
    "404": "NotFound",
    "405": "MethodNotAllowed",
    "409": "Conflict",
    "413": "TooLarge",
    "415": "UnsupportedMediaType",
    "429": "RateLimited",
    "500": "ServerError",
    "502": "ServerError",
    "503": "ServerError",
}


def prune_body(schema: dict[str, Any], keep: dict[str, Any]) -> Any:
    """A request body schema with only the kept fields (nested keeps name sub-fields)."""
    out = {k: v for k, v in schema.items() if k not in ("properties", "required")}
    props = {}
    for name, sub in keep.items():
        prop = copy.deepcopy(schema["properties"][name])
        if sub is not None:
            target = prop["items"] if prop.get("type") == "array" else prop
            missing = [p for p in target.get("required", []) if p not in sub]
            assert not missing, (name, missing)
            target["properties"] = {p: target["properties"][p] for p in sub}
        if prop.get("title") in EXTRA:
            prop["title"] = f"{prop['title']}_params"
        props[name] = prop
    out["properties"] = props
    req = [r for r in schema.get("required", []) if r in keep]
    assert req == schema.get("required", [])[: len(req)] or True
    if schema.get("required"):
        assert set(schema["required"]) <= set(keep), schema["required"]
        out["required"] = schema["required"]
    out["x-form-style"] = "brackets"
    return transform(out)


paths = {}
for path, method in list(BODY) + list(QUERY) + [("/v1/subscriptions/{subscription_exposed_id}", "delete")]:
    op = d["paths"][path][method]
    new = {"operationId": op["operationId"], "tags": [TAGS[path.split("/")[2]]], "summary": op.get("summary", "")}
    if op.get("description"):
        new["description"] = op["description"]
    params = []
    for p in op.get("parameters", []):
        if p["in"] == "path":
            params.append(transform(p))
        elif p["in"] == "query" and p["name"] in QUERY.get((path, method), []):
            q = transform(p)
            q.pop("style", None)
            if p["name"] == "limit":  # Stripe's docs: "between 1 and 100"; its document leaves the range out
                q["schema"] = {**q["schema"], "minimum": 1, "maximum": 100}
            if p["name"] == "expand":  # property paths are short; the sandbox's request line is bounded
                q["schema"] = {**q["schema"], "maxItems": 10, "items": {**q["schema"]["items"], "maxLength": 100}}
            params.append(q)
    if method == "delete" and path == "/v1/subscriptions/{subscription_exposed_id}":
        props = op["requestBody"]["content"]["application/x-www-form-urlencoded"]["schema"]["properties"]
        for name, schema in DELETE_SUB_QUERY.items():
            params.append(
                {
                    "name": name,
                    "in": "query",
                    "required": False,
                    "description": props[name]["description"],
                    "schema": schema,
                }
            )
    params.append({"$ref": "#/components/parameters/StripeVersion"})
    if method == "post":
        params.append({"$ref": "#/components/parameters/IdempotencyKey"})
    new["parameters"] = params
    if (path, method) in BODY:
        body = op["requestBody"]
        media = body["content"]["application/x-www-form-urlencoded"]
        schema = prune_body(media["schema"], BODY[(path, method)])
        if "enabled_events" in schema["properties"]:  # Stripe refuses an empty list; a form cannot send one
            schema["properties"]["enabled_events"]["minItems"] = 1
        enc = {k: v for k, v in media.get("encoding", {}).items() if k in schema["properties"]}
        new["requestBody"] = {
            "required": body.get("required", False),
            "content": {"application/x-www-form-urlencoded": {"schema": schema, **({"encoding": enc} if enc else {})}},
        }
    ok = op["responses"]["200"]
    rschema = ok["content"]["application/json"]["schema"]
    if path in LIST_NAMES and method == "get":
        name = LIST_NAMES[path]
        lst = copy.deepcopy(rschema)
        lst["properties"] = {k: lst["properties"][k] for k in ("data", "has_more", "object", "url")}
        lst["title"] = name
        components[name] = transform(lst)
        rschema = {"$ref": f"#/components/schemas/{name}"}
    else:
        rschema = transform(rschema)
    responses = {"200": {"description": ok["description"], "content": {"application/json": {"schema": rschema}}}}
    codes = ["400", "401", "402", "404", "405", "409", "413", "415", "429", "500", "502", "503"]
    for c in codes:
        responses[c] = {"$ref": f"#/components/responses/{ERRORS[c]}"}
    responses["default"] = {"$ref": "#/components/responses/ServerError"}
    for name, (target, param) in LINKS.get(new["operationId"], {}).items():
        responses["200"].setdefault("links", {})[name] = {
            "operationId": target,
            "parameters": {param: "$response.body#/id"},
        }
    new["responses"] = responses
    paths.setdefault(path, {})[method] = new


def err(desc: str) -> dict[str, Any]:
    """An error response (Stripe's error body, `Request-Id`, `Stripe-Should-Retry`)."""
    return {
        "description": desc,
        "headers": {
            "Request-Id": {"$ref": "#/components/headers/RequestId"},
            "Stripe-Should-Retry": {"$ref": "#/components/headers/StripeShouldRetry"},
        },
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/error"}}},
    }


doc = {
    "openapi": "3.0.0",
    "info": {
        "title": "Stripe API",
        "version": VERSION,
        "description": (
            "Subset of Stripe's published OpenAPI document, cut by generator/stripe_subset.py "
            f"(stripe/openapi `openapi/spec3.yaml`, `info.version` {VERSION}; copy in shared/upstream-specs/stripe/). "
            "Paths, operationIds, parameters, "
            "schema names and fields are Stripe's own, pruned to what seed 002 and a checkout/subscription app use "
            "(nested objects this subset does not model are typed as plain objects). Every request sends "
            f"`Stripe-Version: {VERSION}`, the version these shapes belong to. Added here: the `Idempotency-Key` "
            "and `Stripe-Version` headers, every error answer the sandbox gives (Stripe's document lists only "
            "`default`), the `Request-Id` / `Stripe-Should-Retry` response headers, and `x-form-style: brackets` on "
            "every form body: Stripe's bracket encoding (`metadata[k]=v`, `line_items[0][price]=p`, `expand[0]=x`), "
            "which its `encoding: deepObject` declarations cannot express for arrays. DELETE "
            "/v1/subscriptions/{id} takes its parameters in the query string, as stripe-python sends them. "
            "`expand` is offered where Stripe offers it: in the body of creates and updates, in the query string of "
            "retrieves and lists (`expand[]=customer`, `expand[]=data.product`; in a query string at most 10 paths of "
            "100 characters, to keep the request line within the sandbox's limit)."
        ),
        "license": {"name": "MIT", "url": "https://github.com/stripe/openapi/blob/master/LICENSE"},
    },
    "servers": [{"url": "https://api.stripe.com/"}],
    "security": [{"bearerAuth": []}, {"basicAuth": []}],
    "tags": [{"name": t} for t in TAGS.values()],
    "paths": paths,
    "components": {
        "securitySchemes": d["components"]["securitySchemes"],
        "parameters": {
            "StripeVersion": {
                "name": "Stripe-Version",
                "in": "header",
                "required": False,
                "description": "The API version the request and its answer follow.",
                "schema": {"type": "string", "pattern": "^[0-9a-z][0-9a-z.-]{0,63}$", "default": VERSION},
            },
            "IdempotencyKey": {
                "name": "Idempotency-Key",
                "in": "header",
                "required": False,
                "description": "Makes a retried POST safe: the same key and parameters replay the "
                "first answer; the same key with other parameters is an "
                "`idempotency_error`.",
                "schema": {"type": "string", "pattern": "^[!-~]{1,255}$"},
            },
        },
        "headers": {
            "RequestId": {"description": "The ID of this request (`req_...`).", "schema": {"type": "string"}},
            "StripeShouldRetry": {
                "description": "`true` or `false`: whether a retry of this request may succeed.",
                "schema": {"type": "string", "enum": ["true", "false"]},
            },
        },
        "responses": {
            "InvalidRequest": err(
                "`invalid_request_error` (bad or missing parameters, unknown object) or "
                "`idempotency_error` (a key reused with other parameters)."
            ),
            "Unauthorized": err("No valid API key provided (`invalid_request_error`)."),
            "RequestFailed": err("`card_error`: the payment was declined (`code` `card_declined`, `decline_code`)."),
            "NotFound": err("No such object or endpoint (`invalid_request_error`, `code` `resource_missing`)."),
            "Conflict": err(
                "A concurrent request with the same Idempotency-Key is in progress (`idempotency_error`); retry it."
            ),
            "MethodNotAllowed": err("The path exists without this method (`invalid_request_error`)."),
            "TooLarge": err("The request body is too large (`invalid_request_error`)."),
            "UnsupportedMediaType": err(
                "The body is not `application/x-www-form-urlencoded` (`invalid_request_error`)."
            ),
            "RateLimited": err("Too many requests (`code` `rate_limit`)."),
            "ServerError": err("`api_error`: something went wrong on Stripe's end."),
        },
        "schemas": dict(sorted(components.items())),
    },
}
text = yaml.safe_dump(doc, sort_keys=False, width=120, allow_unicode=True)
Path(sys.argv[2]).write_text(text, encoding="utf-8")
print(len(text), "bytes", len(paths), "paths")
