"""How the project template (`django_project/`) is pointed at the embedded stand-ins: shared by `template_demo.py`
(`make demo`) and `make sandbox` (`template_stack.py`), so both configure it the same way.

Redis (`REDIS_URL`, else a private `redis-server`, else None for the in-memory cache), the environment that points
the template's settings at the Loops, Stripe and Twilio sandboxes and a local S3 server, the Loops login e-mail
and the Stripe plan plus webhook endpoint the pages need, and the template served on a loopback socket.
"""

from __future__ import annotations

import contextlib
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sdk_sandbox.twilio.state import state_of as twilio_state

LOGIN_EMAIL_ID = "__loops_login_code_id__"
"""The Loops transactional id of the login-link e-mail (the template's default `LOOPS_LOGIN_CODE_ID`)."""
STRIPE_WEBHOOK_PATH = "/integrations/webhooks/stripe/"
LOOPS_WEBHOOK_PATH = "/integrations/webhooks/loops/"
SENDER_NUMBER = "+15005550006"


@contextlib.contextmanager
def redis_url() -> Iterator[str | None]:
    """`REDIS_URL`, else a private redis-server on a free loopback port (stopped after), else None."""
    from app_integrations.cache.local_server import redis_server_binary, start_local_redis

    if os.environ.get("REDIS_URL"):
        yield os.environ["REDIS_URL"]
    elif (binary := redis_server_binary()) is None:
        yield None
    else:
        with start_local_redis(binary) as url:
            yield url


def template_env(
    sandboxes: dict[str, tuple[Any, str]], s3: Any, redis: str | None, database: Path, site_url: str
) -> dict[str, str]:
    """The environment that points the template at the stand-ins.

    `sandboxes` maps "loops", "stripe" and "twilio" to (the sandbox app, its URL: Loops' with its base path, the
    others' root); `s3` is a running `LocalS3`; `redis` a URL or None (the in-memory cache); `database` the SQLite
    file; `site_url` the template's own origin (login links, checkout return URLs, Twilio status callbacks).
    """
    (loops, loops_url), (stripe, stripe_url), (twilio, twilio_url) = (
        sandboxes[name] for name in ("loops", "stripe", "twilio")
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "SQLITE_PATH": str(database),
        "DATABASE_URL": "",
        "SITE_URL": site_url,
        "LOOPS_API_KEY": next(iter(loops.api_keys)),
        "LOOPS_BASE_URL": loops_url,
        "STRIPE_API_KEY": next(iter(stripe.api_keys)),
        "STRIPE_BASE_URL": stripe_url,
        "STRIPE_ENABLED": "true",  # the guide's .env line; without it the guide's expression needs the webhook secret
        "TWILIO_ENABLED": "true",
        "TWILIO_ACCOUNT_SID": twilio_state(twilio).account_sid,
        "TWILIO_AUTH_TOKEN": twilio_state(twilio).auth_token,
        "TWILIO_PHONE_NUMBER": SENDER_NUMBER,
        "TWILIO_BASE_URL": twilio_url,
        "TWILIO_LOOKUPS_BASE_URL": twilio_url,
        **s3.settings(),
    }
    if redis:
        env["REDIS_URL"] = redis
    return env


def register_login_email(loops_root: str) -> None:
    """Create the login-link e-mail on the Loops sandbox (as it exists in a real Loops account)."""
    import httpx

    body = {"id": LOGIN_EMAIL_ID, "name": "Login", "dataVariables": ["login_url"]}
    httpx.post(f"{loops_root}/sandbox/transactional", json=body).raise_for_status()


def connect_loops(loops_root: str, template_url: str) -> dict[str, str]:
    """Point the Loops sandbox's webhook at the template; the `LOOPS_WEBHOOK_SECRET` the template verifies with."""
    import httpx

    answer = httpx.put(f"{loops_root}/sandbox/webhook", json={"url": f"{template_url}{LOOPS_WEBHOOK_PATH}"})
    answer.raise_for_status()
    return {"LOOPS_WEBHOOK_SECRET": answer.json()["secret"]}


def connect_stripe(env: dict[str, str], template_url: str) -> dict[str, str]:
    """A monthly "Pro" plan and a webhook endpoint (every event) at the template, on the Stripe sandbox of `env`.

    Returns the settings that go with them: `STRIPE_PRICE_ID` (what the pricing page sells) and
    `STRIPE_WEBHOOK_SECRET` (what the template verifies deliveries with).
    """
    from app_integrations.stripe import StripeClient

    with StripeClient(api_key=env["STRIPE_API_KEY"], base_url=env["STRIPE_BASE_URL"]) as client:
        product = client.create_product("Pro")["product"]["id"]
        price = client.create_price(product, 2000, "usd", interval="month")["price"]["id"]
        endpoint = client.create_webhook_endpoint(f"{template_url}{STRIPE_WEBHOOK_PATH}", ["*"])["webhook_endpoint"]
    return {"STRIPE_PRICE_ID": price, "STRIPE_WEBHOOK_SECRET": endpoint["secret"]}


def setup_django(env: dict[str, str]) -> None:
    """Put `env` in this process's environment, set Django up with the template's settings and migrate."""
    os.environ.update(env)
    import django
    from django.core.management import call_command
    from django.db import connections

    django.setup()
    call_command("migrate", verbosity=0)
    connections.close_all()  # the server's threads open their own


@contextlib.contextmanager
def live_template(sock: socket.socket | None = None) -> Iterator[str]:
    """The template served through Django's ASGI handler on `sock` (else a free loopback port); yields its URL."""
    from django.core.asgi import get_asgi_application

    from sdk_sandbox.runner import BackgroundServer, bind, url_of

    sock = sock or bind()
    with BackgroundServer([(get_asgi_application(), sock)], lifespan="off"):
        yield url_of(sock)
