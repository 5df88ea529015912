"""Run by the interoperability test inside .venv-peers (stripe-python installed, not our packages).

Reads a JSON job on stdin, drives stripe-python against the sandbox and its webhook helpers, prints JSON results.
"""

from __future__ import annotations

import json
import sys

import stripe


def main() -> None:
    """Do the job on stdin; print what stripe-python saw."""
    job = json.load(sys.stdin)
    client = stripe.StripeClient(job["api_key"], base_addresses={"api": job["url"]}, max_network_retries=2)
    customer = client.v1.customers.create(
        params={"email": "peer@example.com", "name": "Peer", "metadata": {"source": "stripe-python"}}
    )
    session = client.v1.checkout.sessions.create(
        params={
            "mode": "payment",
            "success_url": "https://example.com/ok",
            "cancel_url": "https://example.com/no",
            "line_items": [{"price": job["price"], "quantity": 2}],
            "customer": customer.id,
            "metadata": {"order": "42"},
            "expand": ["customer"],
        }
    )
    customers = client.v1.customers.list(params={"limit": 3})
    sessions = client.v1.checkout.sessions.list(params={"limit": 3, "customer": customer.id})
    try:
        client.v1.customers.retrieve("cus_missing")
        missing = None
    except stripe.InvalidRequestError as exc:
        missing = {"code": exc.code, "status": exc.http_status, "request_id": exc.request_id}
    event = stripe.Webhook.construct_event(job["payload"], job["signature"], job["secret"])
    mine = stripe.WebhookSignature.generate_signature_header(job["payload"], job["secret"])
    print(
        json.dumps(
            {
                "customer": {"id": customer.id, "email": customer.email, "metadata": customer.metadata.to_dict()},
                "session": {
                    "id": session.id,
                    "url": session.url,
                    "customer_email": session.customer.email,
                    "amount_total": session.amount_total,
                    "metadata": session.metadata.to_dict(),
                },
                "customer_ids": [c.id for c in customers.data],
                "session_ids": [s.id for s in sessions.data],
                "missing": missing,
                "event": {"id": event.id, "type": event.type},
                "generated_header": mine,
            }
        )
    )


if __name__ == "__main__":
    main()
