"""`python manage.py integrations_check`: is each service configured, reachable, and are its credentials valid?

One line per service: `not configured (skipped)`, `switched off (<SERVICE>_ENABLED is false)`, `configured,
reachable, credentials valid`, or `configured but failing: <why>`. Each check is a real call, never simulated
(`debug_mode=False`), with no retries and a 5-second timeout. Exits with an error naming every failing service.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from app_integrations.settings import enabled, text

# (configured, result): result is a result dict, or {"switched_off": setting} for a service switched off.
CheckOutcome = tuple[bool, dict[str, Any]]


def check_loops() -> CheckOutcome:
    """Loops: `test_api_key`."""
    from app_integrations.loops import config
    from app_integrations.loops.client import LoopsClient

    if not text(config.API_KEY_SETTING):
        return False, {}
    if not enabled(config.ENABLED_SETTING):
        return True, {"switched_off": config.ENABLED_SETTING}
    with LoopsClient(debug_mode=False, max_retries=0, timeout=5) as client:
        return True, dict(client.test_api_key())


def check_stripe() -> CheckOutcome:
    """Stripe: list one customer (any answer but an error proves the key)."""
    from app_integrations.stripe import config
    from app_integrations.stripe.client import StripeClient

    if not text(config.API_KEY_SETTING):
        return False, {}
    if not enabled(config.ENABLED_SETTING):
        return True, {"switched_off": config.ENABLED_SETTING}
    with StripeClient(debug_mode=False, max_retries=0, timeout=5) as client:
        return True, dict(client.list("customers", limit=1))


def check_twilio() -> CheckOutcome:
    """Twilio: read one page of the account's messages."""
    from app_integrations.twilio import config
    from app_integrations.twilio.client import TwilioClient

    if not config.credentials_set():
        return False, {}
    if not config.enabled():
        return True, {"switched_off": config.ENABLED_SETTING}
    with TwilioClient(debug_mode=False, max_retries=0, timeout=5) as client:
        return True, dict(client.list_messages(page_size=1))


def check_s3() -> CheckOutcome:
    """S3: HEAD the bucket with the configured credentials."""
    try:
        from app_integrations.aws.s3 import S3Client

        client = S3Client()
    except ImportError:
        return bool(text("AWS_STORAGE_BUCKET_NAME")), {
            "success": False,
            "error": "boto3 is missing: install the [s3] extra",
        }
    if not client.configured:
        return False, {}
    try:
        client.client.head_bucket(Bucket=client.bucket_name)
    except Exception as exc:  # botocore's ClientError / EndpointConnectionError: a failed check, not a crash
        return True, {"success": False, "error": f"bucket check failed ({type(exc).__name__})"}
    return True, {"success": True}


def check_redis() -> CheckOutcome:
    """Redis: PING through the client the rate limits use (the django-redis cache's, else `REDIS_URL`'s)."""
    if not text("REDIS_URL") and not _django_redis_cache():
        return False, {}
    try:
        from app_integrations.cache.client import configured_client

        client = configured_client()
        return True, {"success": bool(client is not None and client.ping())}
    except Exception as exc:  # redis-py's ConnectionError / TimeoutError, or redis missing
        return True, {"success": False, "error": f"ping failed ({type(exc).__name__})"}


def _django_redis_cache() -> bool:
    from django.conf import settings

    alias = text("RATE_LIMIT_CACHE", None, "default")
    caches: Any = getattr(settings, "CACHES", {}) or {}
    return str(caches.get(alias, {}).get("BACKEND", "")).startswith("django_redis.")


CHECKS: dict[str, Callable[[], CheckOutcome]] = {
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
            elif "switched_off" in result:
                self.stdout.write(self.style.WARNING(f"{name:8} switched off ({result['switched_off']} is false)"))
            elif result.get("success"):
                self.stdout.write(self.style.SUCCESS(f"{name:8} configured, reachable, credentials valid"))
            else:
                failed.append(name)
                self.stdout.write(self.style.ERROR(f"{name:8} configured but failing: {result.get('error')}"))
        if failed:
            raise CommandError(f"failing integrations: {', '.join(failed)}")
