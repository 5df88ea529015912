"""`python manage.py integrations_check` against the sandboxes: configured and working, configured and failing."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from app_integrations.aws.local_server import start_local_s3


def check() -> str:
    out = StringIO()
    call_command("integrations_check", stdout=out)
    return out.getvalue()


def test_nothing_configured_is_reported_and_passes() -> None:
    with override_settings(LOOPS_API_KEY="", AWS_STORAGE_BUCKET_NAME="", REDIS_URL=None):
        report = check()
    assert "Loops    not configured" in report and "S3       not configured" in report


def test_working_services_pass(loops_sandbox: Any) -> None:
    with (
        start_local_s3("moto", bucket="checked") as s3,
        override_settings(
            LOOPS_API_KEY=loops_sandbox.api_key, LOOPS_BASE_URL=loops_sandbox.url, REDIS_URL=None, **s3.settings()
        ),
    ):
        report = check()
    assert "Loops    configured, reachable, credentials valid" in report
    assert "S3       configured, reachable, credentials valid" in report


def test_a_wrong_key_and_a_missing_bucket_fail_the_command(loops_sandbox: Any) -> None:
    with (
        start_local_s3("moto", bucket="checked") as s3,
        override_settings(
            LOOPS_API_KEY="wrong-key-123456",
            LOOPS_BASE_URL=loops_sandbox.url,
            REDIS_URL=None,
            **{**s3.settings(), "AWS_STORAGE_BUCKET_NAME": "no-such-bucket"},
        ),
        pytest.raises(CommandError, match="Loops, S3"),
    ):
        check()
