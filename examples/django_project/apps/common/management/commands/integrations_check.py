"""`python manage.py integrations_check`: is each service configured, reachable, and are its credentials valid?

Exits 1 when a configured service fails its check; an unconfigured one is reported and skipped.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


def check_loops() -> tuple[bool, dict[str, Any]]:
    """Loops: `test_api_key` (a real call, never simulated here)."""
    from apps.integration.loops.client import LoopsClient

    if not settings.LOOPS_API_KEY:
        return False, {}
    with LoopsClient(debug_mode=False, max_retries=0, timeout=5) as client:
        return True, dict(client.test_api_key())


def check_stripe() -> tuple[bool, dict[str, Any]]:
    """Stripe: read one customer (any answer but an error proves the key)."""
    from apps.integration.stripe.client import StripeClient

    if not settings.STRIPE_API_KEY:
        return False, {}
    with StripeClient(debug_mode=False, max_retries=0, timeout=5) as client:
        return True, dict(client.list("customers", limit=1))


def check_twilio() -> tuple[bool, dict[str, Any]]:
    """Twilio: read one page of the account's messages."""
    from apps.integration.twilio.client import TwilioClient

    if not settings.TWILIO_ENABLED or not settings.TWILIO_ACCOUNT_SID:
        return False, {}
    with TwilioClient(debug_mode=False, max_retries=0, timeout=5) as client:
        return True, dict(client.list_messages(page_size=1))


def check_s3() -> tuple[bool, dict[str, Any]]:
    """S3: HEAD the bucket with the configured credentials."""
    from apps.integration.aws.s3 import S3Client

    client = S3Client()
    if not client.configured:
        return False, {}
    try:
        client.client.head_bucket(Bucket=settings.AWS_STORAGE_BUCKET_NAME)
    except Exception as exc:  # botocore's ClientError / EndpointConnectionError: a failed check, not a crash
        return True, {"success": False, "error": f"bucket check failed ({type(exc).__name__})"}
    return True, {"success": True}


def check_redis() -> tuple[bool, dict[str, Any]]:
    """Redis: PING through the cache's connection (only when `REDIS_URL` configures django-redis)."""
    if not getattr(settings, "REDIS_URL", None):
        return False, {}
    from django_redis import get_redis_connection

    try:
        return True, {"success": bool(get_redis_connection("default").ping())}
    except Exception as exc:  # redis-py's ConnectionError / TimeoutError
        return True, {"success": False, "error": f"ping failed ({type(exc).__name__})"}


CHECKS: dict[str, Callable[[], tuple[bool, dict[str, Any]]]] = {
    "Loops": check_loops,
    "Stripe": check_stripe,
    "Twilio": check_twilio,
    "S3": check_s3,
    "Redis": check_redis,
}


class Command(BaseCommand):
    """Report each integration's state; fail when a configured one does not work."""

    help = "Check that every configured integration is reachable and its credentials are valid."

    def handle(self, *args: Any, **options: Any) -> None:
        """Run every check and print one line per service."""
        failed = []
        for name, check in CHECKS.items():
            configured, result = check()
            if not configured:
                self.stdout.write(f"{name:8} not configured (skipped)")
            elif result.get("success"):
                self.stdout.write(self.style.SUCCESS(f"{name:8} configured, reachable, credentials valid"))
            else:
                failed.append(name)
                self.stdout.write(self.style.ERROR(f"{name:8} configured but failing: {result.get('error')}"))
        if failed:
            raise CommandError(f"failing integrations: {', '.join(failed)}")
