"""How the Stripe sandbox words a refusal: Stripe's `{"error": {type, code, message, param}}` bodies.

Field problems found by validation become Stripe's own sentences and codes (`Missing required param: name.`,
`Received unknown parameter: colour`, `Invalid mode: must be one of payment, setup, or subscription`); a bad key
gets Stripe's 401 body, naming the key masked to its prefix and last four characters.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..server import Reply

ERROR_TYPES = {402: "card_error", 500: "api_error", 502: "api_error", 503: "api_error", 504: "api_error"}
CARD_MESSAGES = {
    "card_declined": "Your card was declined.",
    "expired_card": "Your card has expired.",
    "incorrect_cvc": "Your card's security code is incorrect.",
    "processing_error": "An error occurred while processing your card. Try again in a little bit.",
}
NO_KEY = (
    "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer "
    "auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for "
    "details, or we can help at https://support.stripe.com/."
)
_TYPE_NAMES = {"integer": "integer", "number": "number", "boolean": "boolean", "string": "string"}


def param_name(field: str) -> str:
    """`line_items.0.price` as Stripe names it: `line_items[0][price]`."""
    head, *rest = field.split(".")
    return head + "".join(f"[{part}]" for part in rest)


def _one_of(choices: str) -> str:
    """`a, b, c` as Stripe lists choices: `a, b, or c`."""
    items = [item.strip() for item in choices.split(",")]
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])}, or {items[-1]}"


def field_error(field: str, problem: str) -> dict[str, Any]:
    """Stripe's error for one field problem found by validation."""
    param = param_name(field)
    if problem == "is required":
        return {"code": "parameter_missing", "param": param, "message": f"Missing required param: {param}."}
    if problem == "is not a known field":
        return {"code": "parameter_unknown", "param": param, "message": f"Received unknown parameter: {param}"}
    if problem.startswith("must be one of: "):
        return {"param": param, "message": f"Invalid {param}: must be one of {_one_of(problem[16:])}"}
    for prefix in ("must be of type ", "must be an ", "must be a "):
        kind = problem.removeprefix(prefix) if problem.startswith(prefix) else ""
        if kind in _TYPE_NAMES:
            return {"code": f"parameter_invalid_{kind}", "param": param, "message": f"Invalid {kind} for {param}."}
    if problem == "must be true or false":
        return {"code": "parameter_invalid_boolean", "param": param, "message": f"Invalid boolean for {param}."}
    return {"code": "parameter_invalid", "param": param, "message": f"Invalid {param}: {problem}"}


def error_body(status: int, code: str, message: str, fields: Mapping[str, list[str]]) -> dict[str, Any]:
    """Stripe's `{"error": {type, code, message, param}}` for a refusal the shared server made."""
    error: dict[str, Any] = {"type": ERROR_TYPES.get(status, "invalid_request_error"), "message": message}
    if code == "idempotency_error":
        error["type"] = "idempotency_error"
    elif status == 404:
        error["code"] = "resource_missing"
    elif status == 429:
        error["code"] = "rate_limit"
        error["message"] = "Too many requests hit the API too quickly."
    elif fields:
        field, problems = next(iter(fields.items()))
        error.update(field_error(field, problems[0]))
    return {"error": error}


def unauthorized_body(credential: str | None) -> dict[str, Any]:
    """Stripe's 401: no key, or the key shown as `sk_test_****…wxyz` (never whole)."""
    if credential is None:
        return {"error": {"message": NO_KEY, "type": "invalid_request_error"}}
    prefix = next((p for p in ("sk_test_", "sk_live_", "rk_test_", "rk_live_") if credential.startswith(p)), "")
    rest = credential[len(prefix) :]
    shown = f"{prefix}{'*' * (len(rest) - 4)}{rest[-4:]}" if len(rest) > 8 else f"{prefix}{'*' * len(rest)}"
    return {"error": {"message": f"Invalid API Key provided: {shown}", "type": "invalid_request_error"}}


def error_headers(status: int) -> Mapping[str, str]:
    """`Stripe-Should-Retry: true` where a retry can succeed (409, 5xx)."""
    return {"Stripe-Should-Retry": "true"} if status == 409 or status >= 500 else {}


def error_reply(status: int, message: str, *, code: str | None = None, param: str | None = None, **extra: Any) -> Reply:
    """A Stripe error answer from a handler."""
    body = error_body(status, code or "", message, {})
    if code:
        body["error"]["code"] = code
    if param:
        body["error"]["param"] = param
    body["error"].update(extra)
    return Reply(status, body, error_headers(status))


def missing(kind: str, object_id: str, param: str = "id") -> Reply:
    """Stripe's 404 for an unknown object."""
    return error_reply(404, f"No such {kind}: '{object_id}'", code="resource_missing", param=param)
