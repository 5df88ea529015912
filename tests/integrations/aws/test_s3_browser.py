"""A real browser (Debian's Chromium, driven by Playwright, no browser download) runs seed 002's `uploadFileToS3`.

The page is served by Django under waitress on 127.0.0.1; the file goes from the browser straight to SeaweedFS
(which enforces the policy as AWS does), the confirm call marks the upload complete, and the object is there byte
for byte. A file over the limit and a file sent with another content type than granted are refused by the S3
server, and the page reports the failure.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from app_integrations.aws.local_server import LocalS3

from ...middleware.servers import waitress_server
from ...real_parts import CHROMIUM_FLAGS

FLAGS = CHROMIUM_FLAGS
LIMIT = 4096


@pytest.fixture
def site(seaweed_s3: LocalS3, s3_settings: Any, users: Any) -> Iterator[str]:
    """The Django project with the upload endpoints under waitress, S3 pointed at SeaweedFS."""
    from django.core.handlers.wsgi import WSGIHandler

    s3_settings(seaweed_s3, AWS_MAX_UPLOAD_SIZE=LIMIT)
    with waitress_server(WSGIHandler()) as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture
def browse(chromium: str, site: str, users: Any) -> Any:
    """`browse(size, type, tamper)`: a fresh headless Chromium signed in as Alice runs one upload on the page.

    It returns what `runUpload` returned and what the page shows; the browser is closed before the test reads the
    database (Playwright's sync API runs an event loop, inside which Django refuses ORM calls).
    """
    from django.test import Client
    from playwright.sync_api import sync_playwright

    client = Client()
    client.force_login(users[0])
    session = client.cookies["sessionid"].value

    def upload(size: int, content_type: str = "image/png", tamper: dict[str, str] | None = None) -> Any:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=FLAGS)
            try:
                context = browser.new_context()
                context.add_cookies([{"name": "sessionid", "value": session, "url": site}])
                tab = context.new_page()
                tab.goto(f"{site}/upload-page/")
                script = "([size, type, tamper]) => runUpload(size, type, tamper)"
                result = tab.evaluate(script, [size, content_type, tamper])
                result["page_text"] = tab.text_content("#out")
            finally:
                browser.close()
        return result

    return upload


def test_a_browser_uploads_straight_to_s3(browse: Any, seaweed_s3: LocalS3) -> None:
    from app_integrations.django.models import Upload

    result = browse(3000)
    assert result["ok"] is True and result["success"] is True and result["s3_status"] == 201, result
    upload = Upload.objects.get(pk=result["upload_id"])
    assert upload.status == Upload.STATUS_COMPLETE and upload.size == 3000 and upload.content_type == "image/png"
    assert upload.name == "holiday photo.png" and result["url"] == upload.original
    body = seaweed_s3.boto3_client().get_object(Bucket="uploads", Key=upload.s3_key)["Body"].read()
    assert body == bytes(i % 251 for i in range(3000))


def test_the_s3_server_refuses_an_oversize_file_and_the_page_says_so(browse: Any, seaweed_s3: LocalS3) -> None:
    from app_integrations.django.models import Upload

    result = browse(LIMIT + 1)
    assert result["ok"] is False and result["error"] == "Upload failed" and result["s3_status"] == 400, result
    assert "Upload failed" in result["page_text"]
    assert Upload.objects.get(pk=result["upload_id"]).status == Upload.STATUS_PENDING  # never confirmed
    assert seaweed_s3.client().list_objects()["count"] == 0


def test_the_s3_server_refuses_another_content_type(browse: Any, seaweed_s3: LocalS3) -> None:
    from app_integrations.django.models import Upload

    result = browse(100, tamper={"Content-Type": "text/html"})
    assert result["ok"] is False and result["s3_status"] == 403 and "Upload failed" in result["page_text"], result
    assert Upload.objects.get(pk=result["upload_id"]).status == Upload.STATUS_PENDING
    assert seaweed_s3.client().list_objects()["count"] == 0
