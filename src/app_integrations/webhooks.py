"""What every provider's webhook verification shares: one request shape, one verifier shape, one error.

A verifier is `verify_request(request: WebhookRequest, secrets: Sequence[str]) -> dict` returning the verified
payload (Stripe's event, Loops' JSON, Twilio's form fields) and raising `WebhookVerificationError` for anything
that does not verify. `app_integrations.stripe.webhooks`, `app_integrations.standard_webhooks` (Loops) and
`app_integrations.twilio.signatures` each have one; the Django app's base webhook view calls it. Nothing here needs
Django.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sdk_runtime.values import fill, frozen_value

MAX_BODY_BYTES = 1024 * 1024
"""The largest body a webhook may have (1 MiB); a provider's events are far smaller."""


class WebhookVerificationError(ValueError):
    """A webhook whose signature, timestamp, headers or body do not verify; `reason` says which, for logs."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@frozen_value
class WebhookRequest:
    """One delivery as received.

    Attributes:
        body: The raw body, exactly as received (signatures cover these bytes).
        headers: The request headers (looked up without regard to case by `header`).
        url: The full URL the provider requested, as the provider spelled it (Twilio signs it).
        form: The form fields of a form-encoded body (a Django `QueryDict` keeps repeated fields), else None.
    """

    __slots__ = ("body", "form", "headers", "url")
    body: bytes
    headers: Mapping[str, str]
    url: str
    form: Mapping[str, Any] | None

    def __init__(
        self, body: bytes, headers: Mapping[str, str], url: str = "", form: Mapping[str, Any] | None = None
    ) -> None:
        fill(self, body=body, headers=headers, url=url, form=form)

    def header(self, name: str) -> str | None:
        """The value of header `name` (any case), or None."""
        wanted = name.lower()
        for key, value in self.headers.items():
            if key.lower() == wanted:
                return value
        return None


WebhookVerifier = Callable[[WebhookRequest, Sequence[str]], dict[str, Any]]
"""`verifier(request, secrets) -> payload`, raising `WebhookVerificationError`."""
