"""The Loops sandbox's test handle: templates, lists, the outbox, events, the rate limit, recipient outcomes,
webhooks."""

from __future__ import annotations

import time
from collections.abc import Sequence
from typing import Any

from ..handle import SandboxHandle


class LoopsHandle(SandboxHandle):
    """The Loops sandbox's test handle: templates, lists, outbox, events, rate limit, outcomes, webhooks."""

    def create_template(
        self, name: str, data_variables: Sequence[str] = (), *, template_id: str | None = None, **fields: Any
    ) -> dict[str, Any]:
        """Publish a transactional template requiring `data_variables` (`subject=`, `body=` with
        `{{var}}` slots); returns it with its `id`."""
        body = {"name": name, "dataVariables": list(data_variables), **fields}
        if template_id is not None:
            body["id"] = template_id
        template: dict[str, Any] = self.control("POST", "/sandbox/transactional", body)
        return template

    def create_mailing_list(self, name: str, *, list_id: str | None = None, **fields: Any) -> dict[str, Any]:
        """A mailing list (`description=`, `isPublic=`); returns it with its `id`."""
        body = {"name": name, **fields, **({"id": list_id} if list_id is not None else {})}
        mailing_list: dict[str, Any] = self.control("POST", "/sandbox/lists", body)
        return mailing_list

    def outbox(self) -> list[dict[str, Any]]:
        """Every e-mail sent so far, oldest first (see `loops/control.yaml` for the fields)."""
        emails: list[dict[str, Any]] = self.control("GET", "/sandbox/outbox")["emails"]
        return emails

    def clear_outbox(self) -> None:
        """Empty the outbox."""
        self.control("DELETE", "/sandbox/outbox")

    def events(self) -> list[dict[str, Any]]:
        """Every event received through `POST /events/send`, oldest first."""
        events: list[dict[str, Any]] = self.control("GET", "/sandbox/events")["events"]
        return events

    def update_account(self, **settings: Any) -> dict[str, Any]:
        """`teamName=`, `attachmentsEnabled=`."""
        account: dict[str, Any] = self.control("PUT", "/sandbox/account", settings)
        return account

    def set_rate_limit(
        self, limit: int | None = None, *, window_seconds: float | None = None, enabled: bool | None = None
    ) -> dict[str, Any]:
        """Requests per window (default 10 per 1 s), or `enabled=False` for no limit."""
        given = {"limit": limit, "windowSeconds": window_seconds, "enabled": enabled}
        settings: dict[str, Any] = self.control(
            "PUT", "/sandbox/rate-limit", {k: v for k, v in given.items() if v is not None}
        )
        return settings

    def set_recipient_outcome(self, email: str, outcome: str) -> None:
        """`delivered`, `hardBounced`, `softBounced` or `spamReported` for mail sent to `email`."""
        self.control("PUT", "/sandbox/recipients", {"email": email, "outcome": outcome})

    def set_webhook(self, url: str, secret: str | None = None, **options: Any) -> dict[str, Any]:
        """Deliver events to `url` (`attempts=`, `backoffSeconds=`, `timeoutSeconds=`); returns the
        endpoint with its `whsec_` `secret` (minted unless given)."""
        body = {"url": url, **options, **({"secret": secret} if secret is not None else {})}
        endpoint: dict[str, Any] = self.control("PUT", "/sandbox/webhook", body)
        return endpoint

    def send_webhook_event(self, event_name: str, /, email: str | None = None, **fields: Any) -> dict[str, Any]:
        """Deliver any event by name to the registered endpoint; returns its `id` and `payload`."""
        body: dict[str, Any] = {"eventName": event_name, "fields": fields}
        if email is not None:
            body["email"] = email
        queued: dict[str, Any] = self.control("POST", "/sandbox/webhook/send", body)
        return queued

    def sign_webhook(self, payload: dict[str, Any], secret: str | None = None) -> dict[str, Any]:
        """`{id, timestamp, body, headers}` of a signed delivery of `payload`, without sending it."""
        body: dict[str, Any] = {"payload": payload, **({"secret": secret} if secret is not None else {})}
        signed: dict[str, Any] = self.control("POST", "/sandbox/webhook/sign", body)
        return signed

    def webhook_deliveries(self, wait_for: int = 0, timeout: float = 10.0) -> list[dict[str, Any]]:
        """Every delivery attempt so far; with `wait_for`, polls until that many 2xx attempts exist
        (raising `TimeoutError` after `timeout` seconds)."""
        deadline = time.monotonic() + timeout
        while True:
            deliveries: list[dict[str, Any]] = self.control("GET", "/sandbox/webhook/deliveries")["deliveries"]
            delivered = [d for d in deliveries if d["status"] is not None and 200 <= d["status"] < 300]
            if len(delivered) >= wait_for:
                return deliveries
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(delivered)} of {wait_for} webhook deliveries succeeded: {deliveries}")
            time.sleep(0.02)
