"""The one Django configuration of the test process: the example project's settings plus the integrations app.

Django settings are process-wide, so every test folder shares this; tests layer `override_settings` on top.
The integrations need auth, sessions and the `app_integrations.django` app; the example project's own
behaviour does not change (its views authenticate with bearer tokens, not sessions).
"""

from __future__ import annotations

from django_app.settings import *  # noqa: F403
from django_app.settings import INSTALLED_APPS, MIDDLEWARE

INSTALLED_APPS = [
    *INSTALLED_APPS,
    "django.contrib.auth",
    "django.contrib.sessions",
    "app_integrations.django",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    *MIDDLEWARE,
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "tests.django_suite_urls"
LOGIN_REDIRECT_URL = "/after-login/"
SITE_URL = "http://testserver"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
