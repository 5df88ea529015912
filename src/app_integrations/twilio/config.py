"""Twilio's settings as the integrations guide names them, read through `app_integrations.settings`."""

from __future__ import annotations

from ..settings import enabled as enabled_by
from ..settings import text

DEFAULT_BASE_URL = "https://api.twilio.com"
DEFAULT_LOOKUPS_BASE_URL = "https://lookups.twilio.com"
LOOKUPS_SERVER = "lookups"
"""The name the Lookups API root goes by among the client's servers."""
ENABLED_SETTING = "TWILIO_ENABLED"
ACCOUNT_SID_SETTING = "TWILIO_ACCOUNT_SID"
AUTH_TOKEN_SETTING = "TWILIO_AUTH_TOKEN"  # noqa: S105  (a setting name)
PHONE_NUMBER_SETTING = "TWILIO_PHONE_NUMBER"
API_KEY_SID_SETTING = "TWILIO_API_KEY"
API_KEY_SECRET_SETTING = "TWILIO_API_SECRET"  # noqa: S105  (a setting name)
BASE_URL_SETTING = "TWILIO_BASE_URL"
LOOKUPS_BASE_URL_SETTING = "TWILIO_LOOKUPS_BASE_URL"
# The public root of this site, from which the status-callback URL is built and callbacks are validated.
CALLBACK_BASE_URL_SETTING = "TWILIO_STATUS_CALLBACK_BASE_URL"
STATUS_CALLBACK_URL_SETTING = "TWILIO_STATUS_CALLBACK_URL"


def enabled() -> bool:
    """`TWILIO_ENABLED`: False only when it is set and false (the integrations guide's settings default it to False)."""
    return enabled_by(ENABLED_SETTING)


def missing_settings() -> list[str]:
    """The settings Twilio still needs (for the start-up check); nothing when it is switched off."""
    if not enabled():
        return []
    missing = [name for name in (ACCOUNT_SID_SETTING, PHONE_NUMBER_SETTING) if not text(name)]
    if not text(AUTH_TOKEN_SETTING) and not (text(API_KEY_SID_SETTING) and text(API_KEY_SECRET_SETTING)):
        missing.append(AUTH_TOKEN_SETTING)
    return missing


def callback_base_url() -> str:
    """The site's public origin for status callbacks: `TWILIO_STATUS_CALLBACK_BASE_URL`, else `SITE_URL` (no path)."""
    from urllib.parse import urlsplit

    base = text(CALLBACK_BASE_URL_SETTING) or text("SITE_URL")
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return ""
    return f"{parts.scheme}://{parts.netloc}"


def credentials_set() -> bool:
    """Whether any Twilio credential is set."""
    return any(text(name) for name in (ACCOUNT_SID_SETTING, AUTH_TOKEN_SETTING, API_KEY_SID_SETTING))


def webhook_problem() -> str | None:
    """What stops status callbacks from being validated (they are signed with the auth token over this site's
    public URL), or None."""
    if not text(AUTH_TOKEN_SETTING):
        return f"set {AUTH_TOKEN_SETTING}"
    if not callback_base_url():
        return f"set {CALLBACK_BASE_URL_SETTING} (or SITE_URL) to this site's public URL"
    return None
