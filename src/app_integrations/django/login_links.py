"""One-time login links (seed 002's login code e-mail): issue a signed, expiring link; use it at most once.

A link carries a random 256-bit secret signed with Django's `TimestampSigner`, so a tampered or expired link is
refused before the database is asked. The database keeps only a SHA-256 of the secret and marks it used with one
conditional UPDATE, so a link logs in once even when two clicks race. `next` must stay on this site.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any
from urllib.parse import urlencode

from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from ..results import NOT_CONFIGURED, InvalidArgument
from ..settings import setting, text
from .models import LoginToken

SALT = "app_integrations.login_link"
DEFAULT_MAX_AGE = 15 * 60


class LoginLinkRefused(Exception):
    """A login link that cannot log anyone in; `reason` is safe to show (`expired`, `used`, `invalid`)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def max_age() -> int:
    """`LOOPS_LOGIN_LINK_MAX_AGE` seconds (default 15 minutes)."""
    return int(setting("LOOPS_LOGIN_LINK_MAX_AGE", default=DEFAULT_MAX_AGE))


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def safe_next(next_url: str | None, host: str | None = None, https: bool = False) -> str:
    """`next_url` if it stays on this site (a path, or this host), else the empty string."""
    if not next_url:
        return ""
    allowed = {host} if host else set()
    return next_url if url_has_allowed_host_and_scheme(next_url, allowed_hosts=allowed, require_https=https) else ""


def issue(user: Any, next_url: str | None = None) -> str:
    """A new absolute login URL for `user`, built on `SITE_URL`; raises `InvalidArgument` when it cannot be."""
    site = text("SITE_URL").rstrip("/")
    if not site.startswith(("http://", "https://")):
        raise InvalidArgument("set SITE_URL (such as https://example.com) to build login links", NOT_CONFIGURED)
    if next_url and not safe_next(next_url):
        raise InvalidArgument("next_url must be a path on this site, such as /dashboard/")
    secret = secrets.token_urlsafe(32)
    LoginToken.objects.create(
        user=user,
        secret_hash=_digest(secret),
        next_url=next_url or "",
        expires_at=timezone.now() + dt.timedelta(seconds=max_age()),
    )
    token = signing.TimestampSigner(salt=SALT).sign(secret)
    path = str(reverse("app_integrations:login_link", kwargs={"token": token}))
    return site + path + (("?" + urlencode({"next": next_url})) if next_url else "")


def check(token: str) -> LoginToken:
    """The unused, unexpired record behind `token`, or `LoginLinkRefused`."""
    try:
        secret = signing.TimestampSigner(salt=SALT).unsign(token, max_age=max_age())
    except signing.SignatureExpired:
        raise LoginLinkRefused("expired") from None
    except signing.BadSignature:
        raise LoginLinkRefused("invalid") from None
    record: LoginToken | None = LoginToken.objects.select_related("user").filter(secret_hash=_digest(secret)).first()
    if record is None:
        raise LoginLinkRefused("invalid")
    if record.used_at is not None:
        raise LoginLinkRefused("used")
    if record.expires_at <= timezone.now():
        raise LoginLinkRefused("expired")
    if not getattr(record.user, "is_active", True):
        raise LoginLinkRefused("invalid")
    return record


def consume(token: str) -> LoginToken:
    """Mark the link used (once, atomically) and return its record; `LoginLinkRefused` otherwise."""
    record = check(token)
    now = timezone.now()
    claimed = LoginToken.objects.filter(pk=record.pk, used_at__isnull=True, expires_at__gt=now).update(used_at=now)
    if claimed != 1:
        raise LoginLinkRefused("used")
    return record
