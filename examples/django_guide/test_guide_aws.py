"""The guide's S3 blocks (45-58), as written, against a local S3 server (moto) on loopback, with the template's
models; the browser's part of a direct upload is a real multipart POST of the granted form to that server."""

import base64
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import config.settings.third_party
import httpx
import pytest
from apps.common.models.upload import Upload
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import JsonResponse
from django.test import Client, override_settings
from guide import GuideRunner

from app_integrations.aws.local_server import LocalS3, start_local_s3


@pytest.fixture(scope="module")
def s3() -> Iterator[LocalS3]:
    """moto's S3 server on a free loopback port with the bucket created."""
    with start_local_s3("moto", bucket="template-uploads") as server:
        yield server


@pytest.fixture
def s3_settings(s3: LocalS3) -> Iterator[LocalS3]:
    """The project's `AWS_*` settings pointed at the local server, its bucket empty."""
    s3.empty()
    with override_settings(**s3.settings()):
        yield s3


@pytest.fixture
def guide_file(request: pytest.FixtureRequest) -> Iterator[Path]:
    """A path the guide names (`/tmp/image.jpg`): what was there before is put back after the test."""
    path = Path(request.param)
    before = path.read_bytes() if path.exists() else None
    yield path
    if before is None:
        path.unlink(missing_ok=True)
    else:
        path.write_bytes(before)


def post_form(form_url: str, fields: dict[str, str], content: bytes, content_type: str) -> httpx.Response:
    """What the browser does with a granted form: a multipart POST of the fields and the file to S3."""
    return httpx.post(form_url, data=fields, files={"file": ("upload", content, content_type)})


@pytest.mark.guide(45)
def test_the_settings_block(guide: GuideRunner, monkeypatch: Any) -> None:
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "assets")
    monkeypatch.delenv("AWS_REGION", raising=False)
    guide.run(45, os=os, LOCAL=True, AWS_S3_BUCKET_NAME="assets")
    assert guide.namespace["AWS_REGION"] == "us-east-1" and "STATIC_URL" not in guide.namespace
    guide.run(45, LOCAL=False)
    assert guide.namespace["STATIC_URL"] == "https://assets.s3.amazonaws.com/"
    assert guide.namespace["STATICFILES_STORAGE"] == "storages.backends.s3boto3.S3Boto3Storage"
    assert guide.missing_from(45, config.settings.third_party, by_paragraph=True) == []


@pytest.mark.guide(46, 47, 48, 49, 50)
@pytest.mark.parametrize("guide_file", ["/tmp/image.jpg"], indirect=True)
def test_the_client_blocks(guide: GuideRunner, s3_settings: LocalS3, guide_file: Path) -> None:
    guide_file.write_bytes(b"\xff\xd8\xff jpeg bytes")
    guide.run(46)
    assert guide.run(47) == ""  # the guide's "your-bucket" is not a bucket here
    assert guide.namespace["result"]["success"] is False
    guide.namespace["client"] = guide.namespace["S3Client"]()  # "Initialize with default settings"
    printed = guide.run(47)
    assert printed == f"File uploaded: {guide.namespace['file_url']}\n"
    stored = s3_settings.boto3_client().get_object(Bucket=s3_settings.bucket, Key="uploads/images/image.jpg")
    assert stored["Body"].read() == b"\xff\xd8\xff jpeg bytes"

    with guide.urls({"upload/": guide.view(48)}):
        answer = Client().post("/upload/", {"file": SimpleUploadedFile("notes.txt", b"hello", "text/plain")})
    assert answer.status_code == 204 and guide.view_locals[48]["result"]["success"] is True
    notes = s3_settings.boto3_client().get_object(Bucket=s3_settings.bucket, Key="uploads/notes.txt")
    assert notes["Body"].read() == b"hello"

    s3_settings.boto3_client().put_object(Bucket=s3_settings.bucket, Key="private/document.pdf", Body=b"%PDF-1.7")
    guide.run(49)
    assert httpx.get(guide.namespace["temporary_url"]).content == b"%PDF-1.7"

    guide.run(50)
    posted = post_form(guide.namespace["form_url"], guide.namespace["form_fields"], b"\xff\xd8 user file", "image/jpeg")
    assert posted.is_success, posted.text
    policy = json.loads(base64.b64decode(guide.namespace["form_fields"]["policy"]))
    assert ["content-length-range", 1, 5242880] in policy["conditions"]  # S3 enforces it (moto does not)
    listing = guide.namespace["client"].list_objects(prefix="uploads/")
    assert sorted(item["key"] for item in listing["objects"]) == [
        "uploads/images/image.jpg",
        "uploads/notes.txt",
        "uploads/user-file.jpg",
    ]


@pytest.mark.guide(51, 52, 53, 55, 56)
def test_the_direct_upload_shortcut_blocks(guide: GuideRunner, s3_settings: LocalS3) -> None:
    guide.run(51, original_filename="cv.pdf")
    assert guide.namespace["result"]["success"] is True
    assert Upload.objects.get(pk=guide.namespace["result"]["upload_id"]).status == Upload.STATUS_PENDING

    guide.namespace["JsonResponse"] = JsonResponse  # the reader's views module imports it; block 52 uses it
    with guide.urls({"api/uploads/": guide.view(52)}):
        granted = Client().get("/api/uploads/").json()
    assert granted["form_fields"]["key"].startswith("uploads/profiles/")
    assert post_form(granted["form_url"], granted["form_fields"], b"\xff\xd8\xff photo", "image/jpeg").is_success

    guide.run(53, upload_id=granted["upload_id"])
    assert guide.namespace["result"]["upload"]["status"] == Upload.STATUS_COMPLETE
    assert Upload.objects.get(pk=granted["upload_id"]).size == len(b"\xff\xd8\xff photo")

    guide.run(55)
    file_url = guide.namespace["result"]["url"]
    assert file_url == granted["file_url"] and file_url.endswith(granted["form_fields"]["key"])

    guide.run(56)
    assert guide.namespace["result"]["success"] is True and not Upload.objects.filter(pk=granted["upload_id"]).exists()
    assert s3_settings.boto3_client().list_objects_v2(Bucket=s3_settings.bucket).get("KeyCount") == 0


@pytest.mark.guide(53, 54)
def test_completing_upload_123(guide: GuideRunner, s3_settings: LocalS3) -> None:
    Upload.objects.create(pk=123, s3_bucket=s3_settings.bucket, s3_key="uploads/report.pdf", name="report.pdf")
    guide.run(53, upload_id=123)  # nothing was uploaded: the row records the error, the result says so
    assert guide.namespace["result"]["success"] is False
    assert Upload.objects.get(pk=123).status == Upload.STATUS_ERROR

    Upload.objects.filter(pk=123).update(status=Upload.STATUS_PENDING, error="")
    s3_settings.boto3_client().put_object(Bucket=s3_settings.bucket, Key="uploads/report.pdf", Body=b"%PDF-1.7")
    guide.run(54)
    assert guide.namespace["result"]["success"] is True and Upload.objects.get(pk=123).size == 8


@pytest.mark.guide(57)
def test_the_direct_browser_upload_views(guide: GuideRunner, s3_settings: LocalS3) -> None:
    guide.run(57)
    routes = {"credentials/": guide.namespace["get_upload_credentials"], "confirm/": guide.namespace["confirm_upload"]}
    with guide.urls(routes):
        granted = Client().post("/credentials/", {"filename": "cat.png", "content_type": "image/png"})
        assert granted.status_code == 200
        grant = granted.json()
        assert grant["form_fields"]["key"].startswith("uploads/user-files/") and grant["upload_id"]
        assert post_form(grant["form_url"], grant["form_fields"], b"\x89PNG cat", "image/png").is_success
        confirmed = Client().post("/confirm/", {"upload_id": grant["upload_id"]})
        assert confirmed.status_code == 200 and confirmed.json()["upload"]["status"] == Upload.STATUS_COMPLETE

        assert Client().post("/credentials/", {}).status_code == 400  # no filename: a clear error, no row
        unknown = Client().post("/confirm/", {"upload_id": "999999"})
        assert unknown.status_code == 400 and unknown.json() == {"error": "Upload with ID 999999 not found"}
        assert Client().get("/credentials/").status_code == 405
    assert Upload.objects.count() == 1
    stored = s3_settings.boto3_client().get_object(Bucket=s3_settings.bucket, Key=grant["form_fields"]["key"])
    assert stored["Body"].read() == b"\x89PNG cat"
    assert json.loads(confirmed.content)["upload"]["size"] == len(b"\x89PNG cat")


@pytest.mark.guide(58)
@pytest.mark.parametrize("guide_file", ["/tmp/test.txt"], indirect=True)
def test_the_setup_check_block(guide: GuideRunner, s3_settings: LocalS3, guide_file: Path) -> None:
    printed = guide.run(58)
    assert printed == f"File uploaded: {guide.namespace['result']['url']}\n"
    stored = s3_settings.boto3_client().get_object(Bucket=s3_settings.bucket, Key="test.txt")
    assert stored["Body"].read() == b"Test content" and guide_file.read_text() == "Test content"
