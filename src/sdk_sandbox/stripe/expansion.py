"""Stripe's `expand`: IDs in an answer replaced by the objects they name, on request.

`expand[]=customer` on an object, `expand[]=data.product` on a list, dotted paths through expanded objects and
lists (`line_items.data.price.product`), and `line_items` of a Checkout Session as Stripe's list object. A path
through a field that cannot be expanded is Stripe's 400 `This property cannot be expanded (...)`.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from ..server import Context, Reply
from ..validation import Rejection, ValidRequest
from . import objects as obj

MAX_DEPTH = 4
"""Stripe expands at most four levels deep."""

EXPANDABLE: dict[str, dict[str, str | None]] = {
    "checkout.session": {
        "customer": "customer",
        "invoice": "invoice",
        "line_items": None,
        "payment_intent": "payment_intent",
        "subscription": "subscription",
    },
    "subscription": {
        "customer": "customer",
        "default_payment_method": "payment_method",
        "latest_invoice": "invoice",
    },
    "invoice": {"customer": "customer", "payment_intent": "payment_intent", "subscription": "subscription"},
    "payment_intent": {"customer": "customer", "invoice": "invoice", "payment_method": "payment_method"},
    "price": {"product": "product"},
    "product": {"default_price": "price"},
    "line_item": {"subscription": "subscription"},
    "subscription_item": {},
    "item": {},
    "customer": {},
    "event": {},
    "webhook_endpoint": {},
    "payment_method": {"customer": "customer"},
}
"""By object kind: the fields `expand` may name, and the kind of object each field's ID names (`None`: computed)."""


def refuse(path: str) -> Rejection:
    """Stripe's answer to an expansion it does not offer."""
    return Rejection(400, "invalid_request_error", f"This property cannot be expanded ({path}).")


def check(document: Mapping[str, Any], schema: Any, path: str) -> None:
    """Refuse `path` unless the answer's schema offers it: each step a field of the object (`data` on a list), the
    last one among its `x-expandableFields`. Past an object the subset does not model, the data decides."""
    parts = path.split(".")
    for index, part in enumerate(parts):
        schema = _deref(document, schema)
        if not isinstance(schema, dict):
            raise refuse(path)
        properties = schema.get("properties")
        if properties is None:
            return
        if part == "line_items" and properties.get("object", {}).get("enum") == ["checkout.session"]:
            return  # a Checkout Session's computed list of items
        if part not in properties:
            raise refuse(path)
        if index == len(parts) - 1 and part not in schema.get("x-expandableFields", []):
            raise refuse(path)
        schema = _object_of(document, properties[part])


def _deref(document: Mapping[str, Any], node: Any) -> Any:
    """`node`, or what its local `$ref` points to (one level: the document's schemas refer to each other)."""
    while isinstance(node, dict) and "$ref" in node:
        target: Any = document
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def _object_of(document: Mapping[str, Any], schema: Any) -> Any:
    """The object schema of a field (its object option when it may be an ID or an object; a list's items)."""
    schema = _deref(document, schema)
    if not isinstance(schema, dict):
        return None
    for option in schema.get("anyOf", []):
        option = _deref(document, option)
        if isinstance(option, dict) and (option.get("type") == "object" or "properties" in option):
            return option
    if schema.get("type") == "array":
        return _object_of(document, schema.get("items"))
    return schema if schema.get("type") == "object" or "properties" in schema else None


def expand(ctx: Context, req: ValidRequest, body: dict[str, Any], paths: Sequence[str]) -> dict[str, Any]:
    """`body` (an object or a list envelope) with every path of `paths` expanded; raises `Rejection` on a bad one."""
    document = ctx.app.api.spec.document
    operation = document["paths"][req.operation.path][req.operation.method.lower()]
    answer = operation["responses"]["200"]["content"]["application/json"]["schema"]
    for path in paths:
        parts = path.split(".")
        if len(parts) > MAX_DEPTH + (1 if body.get("object") == "list" else 0):
            raise Rejection(
                400, "invalid_request_error", f"You cannot expand more than {MAX_DEPTH} levels of a property."
            )
        check(document, answer, path)
        _walk(ctx, body, parts, path)
    return body


def _walk(ctx: Context, node: Any, parts: list[str], path: str) -> None:
    if not parts:
        return
    if not isinstance(node, dict):
        raise refuse(path)
    head, rest = parts[0], parts[1:]
    if node.get("object") == "list":
        if head != "data":
            raise refuse(path)
        for row in node.get("data") or []:
            _walk(ctx, row, rest, path)
        return
    fields = EXPANDABLE.get(str(node.get("object")), {})
    if head not in node and head not in fields:
        raise refuse(path)
    value = node.get(head)
    if isinstance(value, str):
        if head not in fields:
            raise refuse(path)
        node[head] = value = _load(ctx, fields[head], value)
    elif head == "line_items" and node.get("object") == "checkout.session":
        node[head] = value = line_items(ctx, node)
    elif not isinstance(value, dict) and value is not None and rest:
        raise refuse(path)
    if value is not None:
        _walk(ctx, value, rest, path)


def _load(ctx: Context, kind: str | None, object_id: str) -> Any:
    """The object `object_id` names as the API shows it (a test payment method such as `pm_card_visa` included);
    the ID itself when the sandbox holds no such object."""
    found = obj.load(ctx.store, object_id)
    if found is None and kind == "payment_method" and object_id in obj.TEST_METHODS:
        found = obj.payment_method(ctx, obj.TEST_METHODS[object_id], None)
        found["id"] = object_id
    return object_id if found is None else obj.public(found)


def line_items(ctx: Context, session: dict[str, Any]) -> dict[str, Any]:
    """A Checkout Session's `line_items`: Stripe's list of `item` objects, each with its price in full."""
    row = obj.load(ctx.store, f"sbxli_{session['id']}", "sandbox.line_items")
    items = []
    for index, line in enumerate(row["data"] if row else []):
        price = obj.load(ctx.store, line["price"], "price") or {"id": line["price"], "unit_amount": 0}
        product = obj.load(ctx.store, str(price.get("product")), "product") or {}
        amount = int(price.get("unit_amount") or 0) * int(line["quantity"])
        items.append(
            {
                "id": f"li_{session['id'].removeprefix('cs_test_')[:20]}{index}",
                "object": "item",
                "amount_discount": 0,
                "amount_subtotal": amount,
                "amount_tax": 0,
                "amount_total": amount,
                "currency": price.get("currency", session.get("currency")),
                "description": product.get("name", ""),
                "price": obj.public(price),
                "quantity": int(line["quantity"]),
            }
        )
    return obj.listing(f"/v1/checkout/sessions/{session['id']}/line_items", items)


def expanding(handler: Callable[[Context, ValidRequest], Reply]) -> Callable[[Context, ValidRequest], Reply]:
    """`handler` whose successful answer is expanded as the request's `expand` (query or body) asks."""

    def with_expansions(ctx: Context, req: ValidRequest) -> Reply:
        body = req.body if isinstance(req.body, dict) else {}
        paths = req.query.get("expand") or body.get("expand")
        reply = handler(ctx, req)
        if not paths or reply.status != 200 or not isinstance(reply.body, dict):
            return reply
        return attrs.evolve(reply, body=expand(ctx, req, copy.deepcopy(reply.body), list(paths)))

    return with_expansions
