"""Aliases in the Stripe sandbox: a guide's placeholder ID (`price_1234567890`) read as a real object's ID.

`POST /sandbox/stripe/aliases` stores them (`control.create_alias`); `following_aliases` wraps every handler so that
path IDs, ID filters and the IDs a body refers to are read through them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from ..server import Context, Reply
from ..validation import ValidRequest
from . import objects as obj

_REFERENCES = ("customer", "price", "subscription", "payment_intent")


def following_aliases(handler: Callable[[Context, ValidRequest], Reply]) -> Callable[[Context, ValidRequest], Reply]:
    """`handler` seeing real IDs where the request names aliases: path IDs, ID filters, and body references
    (`customer`, `line_items[].price`, `items[].price`)."""

    def with_real_ids(ctx: Context, req: ValidRequest) -> Reply:
        def real(value: Any) -> Any:
            return obj.canonical_id(ctx.store, value)

        body = req.body
        if isinstance(body, dict):
            body = {**body, **({"customer": real(body["customer"])} if "customer" in body else {})}
            for rows in ("line_items", "items"):
                if isinstance(body.get(rows), list):
                    body[rows] = [
                        {**row, "price": real(row["price"])} if isinstance(row, dict) and "price" in row else row
                        for row in body[rows]
                    ]
        return handler(
            ctx,
            attrs.evolve(
                req,
                path={name: real(value) for name, value in req.path.items()},
                query={name: real(value) if name in _REFERENCES else value for name, value in req.query.items()},
                body=body,
            ),
        )

    return with_real_ids
