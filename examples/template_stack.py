"""Seed 002's Django project template (`django_project/`) as `make sandbox` runs it: a dev server on 127.0.0.1,
pointed at the stack's Loops, Stripe and Twilio sandboxes, a local S3 server and Redis, with a scratch SQLite.

The wiring is `template_wiring.py`, the same code `make demo` configures the template with. The Stripe
sandbox delivers its webhooks to the template (a plan to sell and a webhook endpoint are created at start), the
Loops sandbox its e-mail events, and the Twilio sandbox its signed status callbacks (`SITE_URL` is the template's
own URL). Django is set up in this process, so one process runs one template.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
from stack import Stack

from sdk_sandbox.runner import PortInUseError, bind, url_of

PROJECT = Path(__file__).resolve().parent / "django_project"
DEFAULT_PORT = 8000
DEMO_USER = "ada@example.com"
PAGES = {
    "sign in": ("/login/", "the login link lands in the Loops sandbox's outbox: see the dashboard"),
    "pricing": ("/pricing/", "pay on the Stripe sandbox's page with 4242424242424242, back to /billing/"),
    "verify phone": ("/verify-phone/", "the code is in the Twilio sandbox's messages: see the dashboard"),
    "upload": ("/upload/", "straight from the browser to the local S3 server"),
}
SHOWN_KEYS = ("SITE_URL", "STRIPE_PRICE_ID", "STRIPE_WEBHOOK_SECRET", "LOOPS_WEBHOOK_SECRET", "LOOPS_BASE_URL",
              "STRIPE_BASE_URL", "TWILIO_BASE_URL", "AWS_S3_ENDPOINT_URL", "AWS_STORAGE_BUCKET_NAME")  # fmt: skip


@attrs.frozen
class Template:
    """The running template: its URL, the environment it was given, its database and cache, who can sign in."""

    url: str
    env: dict[str, str]
    database: Path
    redis: str | None
    user_email: str
    dashboard_url: str

    def describe(self) -> str:
        """Its URL, its pages and its keys, as `make sandbox` prints them."""
        cache = f"Redis at {self.redis}" if self.redis else (
            "in-memory (no REDIS_URL and no redis-server binary); phone verification needs Redis"
        )  # fmt: skip
        return "\n".join(
            [
                f"Django template {self.url}/    (Django, examples/django_project; sign in as {self.user_email})",
                *(f"  {name:<15} {self.url}{path}    ({hint})" for name, (path, hint) in PAGES.items()),
                f"  {'dashboard':<15} {self.dashboard_url}    (the e-mails, SMS and webhooks the template causes)",
                "  template keys   " + " ".join(f"{key}={self.env[key]}" for key in SHOWN_KEYS),
                f"  template cache  {cache}",
                f"  template database {self.database}",
            ]
        )


def template_socket(port: int = DEFAULT_PORT) -> Any:
    """A listening loopback socket on `port` when it is free (0: any free port), else on a free one."""
    try:
        return bind(port=port)
    except PortInUseError:
        return bind()


def _sign_up(email: str) -> None:
    """The user a person signs in as (by e-mailed link: no password)."""
    from apps.common.models import User

    user, created = User.objects.get_or_create(email=email, defaults={"username": email.split("@")[0]})
    if created:
        user.first_name = "Ada"
        user.set_unusable_password()
        user.save()


@contextlib.contextmanager
def run_template(stack: Stack, s3: Any, port: int = DEFAULT_PORT) -> Iterator[Template]:
    """Serve the template against `stack`'s sandboxes and `s3` (a `LocalS3`) until the `with` ends; its private
    redis-server (when one is started) and its scratch database go with it."""
    if str(PROJECT) not in sys.path:
        sys.path.insert(0, str(PROJECT))
    from template_wiring import (
        connect_loops,
        connect_stripe,
        live_template,
        redis_url,
        register_login_email,
        setup_django,
        template_env,
    )

    sandboxes = {
        "loops": (stack.sandboxes["loops"], stack.loops_base_url),
        "stripe": (stack.sandboxes["stripe"], stack.sandboxes["stripe"].root_url),
        "twilio": (stack.sandboxes["twilio"], stack.sandboxes["twilio"].root_url),
    }
    with tempfile.TemporaryDirectory(prefix="template-") as scratch, redis_url() as redis:
        sock = template_socket(port)
        with contextlib.closing(sock):
            site = url_of(sock)
            database = Path(scratch) / "template.sqlite3"
            env = {**template_env(sandboxes, s3, redis, database, site), "DEBUG": "true"}
            env.update(connect_stripe(env, site))
            env.update(connect_loops(stack.loops_root, site))
            register_login_email(stack.loops_root)
            setup_django(env)
            _sign_up(DEMO_USER)
            with live_template(sock) as url:
                yield Template(url, env, database, redis, DEMO_USER, stack.dashboard_url)
