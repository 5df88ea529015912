"""The one webhook view every provider's endpoint is made from (as django-anymail has one base view per ESP).

`WebhookView` owns everything that must not differ between providers: POST only, CSRF exempt, a body-size cap,
verification of the raw body before anything is parsed or stored, `record_once` (each event stored and signalled
once, in one transaction), and the answers. A provider's subclass supplies only its secrets, its verifier (the
shape of `app_integrations.webhooks.WebhookVerifier`) and how to read an event's id and type.

The answers, the same for every provider (JSON bodies):

| status | body | when |
|---|---|---|
| 200 | `{"received": true, "duplicate": false}` | a new event: stored, signalled (a provider may add keys) |
| 200 | `{"received": true, "duplicate": true}` | an event stored before: nothing done again |
| 400 | `{"error": ..., "code": "invalid_signature"}` | the signature, timestamp or headers do not verify |
| 400 | `{"error": ..., "code": "invalid_event"}` | verified, but the event has no id or type |
| 405 | `{"error": ..., "code": "method_not_allowed"}` | anything but POST |
| 413 | `{"error": ..., "code": "payload_too_large"}` | a body over 1 MiB |
| 503 | `{"error": ..., "code": "not_configured"}` | the secret (or Twilio's public URL) is not set |
| 500 | Django's | a signal receiver raised: nothing stored, the provider delivers again later |

Nothing is stored unless the answer is 200. Refusals are logged on the provider's logger without secrets.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, ClassVar

from django.db import transaction
from django.dispatch import Signal
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from ..results import INVALID_EVENT, INVALID_SIGNATURE, METHOD_NOT_ALLOWED, NOT_CONFIGURED, PAYLOAD_TOO_LARGE
from ..webhooks import MAX_BODY_BYTES, WebhookRequest, WebhookVerificationError
from .webhook_events import record_once


class InvalidEvent(Exception):
    """A verified payload that is not an event this view can store (no id, no type)."""


def answer(status: int, error: str, code: str) -> JsonResponse:
    """A refusal in the shape every webhook view answers with."""
    return JsonResponse({"error": error, "code": code}, status=status)


@method_decorator(csrf_exempt, name="dispatch")
class WebhookView(View):
    """Base view of a provider's webhook endpoint; subclasses set the class attributes and the four hooks."""

    provider: ClassVar[str]
    """The provider's name in `WebhookEvent.provider` and in the `webhook_received` signal (`stripe`)."""
    service: ClassVar[str]
    """How logs name the provider (`Stripe`)."""
    secret_setting: ClassVar[str]
    """The setting that holds the secret(s), named when it is missing."""
    logger_name: ClassVar[str]
    max_body_bytes: ClassVar[int] = MAX_BODY_BYTES
    http_method_names: list[str] = ["post"]

    # -- what a provider supplies -------------------------------------------------------------------------------

    def secrets(self) -> Sequence[str]:
        """The secrets a delivery may be signed with (several while one is rotated); empty when not set."""
        raise NotImplementedError

    def verify(self, request: WebhookRequest, secrets: Sequence[str]) -> dict[str, Any]:
        """The verified payload, or `WebhookVerificationError` (a `WebhookVerifier`)."""
        raise NotImplementedError

    def event_id(self, request: WebhookRequest, payload: dict[str, Any]) -> str:
        """The id the event is stored once by; `InvalidEvent` when it has none."""
        raise NotImplementedError

    def event_type(self, payload: dict[str, Any]) -> str:
        """The event's type (`checkout.session.completed`); `InvalidEvent` when it has none."""
        raise NotImplementedError

    # -- what a provider may refine -----------------------------------------------------------------------------

    def configuration_problem(self, secrets: Sequence[str]) -> str | None:
        """What is missing for any delivery to verify, or None."""
        return None if secrets else f"{self.secret_setting} is not set"

    def public_url(self, request: HttpRequest) -> str:
        """The URL the provider requested (only Twilio signs it)."""
        return str(request.build_absolute_uri())

    def extra_signals(self, event_type: str) -> tuple[Signal, ...]:
        """Signals sent after `webhook_received` for this event (Stripe's per-type signals)."""
        return ()

    def on_recorded(self, payload: dict[str, Any], created: bool) -> dict[str, Any]:
        """Work done in the event's transaction after it is recorded; returns keys added to the 200 answer."""
        return {}

    # -- the one flow ---------------------------------------------------------------------------------------------

    @property
    def logger(self) -> logging.Logger:
        """The provider's logger."""
        return logging.getLogger(self.logger_name)

    def http_method_not_allowed(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        """405 in the JSON shape of every refusal, with `Allow: POST`."""
        response = answer(405, "webhooks are delivered by POST", METHOD_NOT_ALLOWED)
        response["Allow"] = "POST"
        return response

    def post(self, request: HttpRequest) -> HttpResponse:
        """Verify, store once, signal, answer (see the module docstring for the answers)."""
        secrets = self.secrets()
        problem = self.configuration_problem(secrets)
        if problem is not None:
            self.logger.error("%s webhook refused: %s", self.service, problem)
            return answer(503, f"webhook not configured: {problem}", NOT_CONFIGURED)
        length = request.META.get("CONTENT_LENGTH") or "0"
        if not length.isdigit() or int(length) > self.max_body_bytes:
            self.logger.warning("%s webhook refused: body too large", self.service)
            return answer(413, f"body over {self.max_body_bytes} bytes", PAYLOAD_TOO_LARGE)
        try:
            delivery = self._delivery(request)
            payload = self.verify(delivery, secrets)
        except WebhookVerificationError as exc:
            self.logger.warning("%s webhook refused: %s", self.service, exc.reason)
            return answer(400, "invalid signature", INVALID_SIGNATURE)
        try:
            event_id, event_type = self.event_id(delivery, payload), self.event_type(payload)
        except InvalidEvent as exc:
            self.logger.warning("%s webhook refused: %s", self.service, exc)
            return answer(400, str(exc), INVALID_EVENT)
        with transaction.atomic():
            created = record_once(self.provider, event_id, event_type, payload, also=self.extra_signals(event_type))
            extra = self.on_recorded(payload, created)
        return JsonResponse({"received": True, "duplicate": not created, **extra})

    def _delivery(self, request: HttpRequest) -> WebhookRequest:
        body = request.body
        if len(body) > self.max_body_bytes:
            raise WebhookVerificationError("body too large")
        is_json = request.content_type == "application/json"
        return WebhookRequest(
            body=body,
            headers=request.headers,
            url=self.public_url(request),
            form=None if is_json else request.POST,
        )


def text_field(payload: dict[str, Any], *names: str) -> str:
    """The first of `names` that is a non-empty string in `payload`; `InvalidEvent` naming them otherwise."""
    for name in names:
        value = payload.get(name)
        if isinstance(value, str) and value:
            return value
    raise InvalidEvent(f"{' or '.join(names)} missing")
