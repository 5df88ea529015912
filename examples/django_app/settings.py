"""Settings of the Django example project: the seed's `VORTEX_API_KEY`, Vault's settings, SQLite by default."""

from __future__ import annotations

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
# Only signs sessions/CSRF tokens, which this bearer-token API does not use; set DJANGO_SECRET_KEY in production.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "example-only-not-secret")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
INSTALLED_APPS = ["django.contrib.contenttypes", "django_app.invitations"]
MIDDLEWARE = ["django.middleware.common.CommonMiddleware", "django.middleware.csrf.CsrfViewMiddleware"]
ROOT_URLCONF = "django_app.urls"
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("DJANGO_DB_PATH", str(BASE_DIR / "invitations.sqlite3")),
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
APPEND_SLASH = False

VAULT_API_KEY = os.environ.get("VAULT_API_KEY", "")
VAULT_BASE_URL = os.environ.get("VAULT_BASE_URL", "https://api.vault.dev")
VORTEX_API_KEY = os.environ.get("VORTEX_API_KEY", "")
VORTEX_BASE_URL = os.environ.get("VORTEX_BASE_URL", "https://api.vortexsoftware.com/api/v1")
