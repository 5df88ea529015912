"""The Upload model, the direct-upload shortcuts and the two views, with Django's test client and a local S3.

Object contents that moto would accept but the grant forbids (too big, wrong type) are put with boto3 directly,
as a browser could on a store that does not enforce the policy (moto, or R2's presigned PUT): `complete_upload`
must still refuse them.
"""

from __future__ import annotations

import re
import socket
from typing import Any

import httpx
import pytest

from app_integrations.aws.local_server import LocalS3
from app_integrations.aws.shortcuts import (
    complete_upload,
    delete_upload,
    get_direct_upload_form_data,
    get_upload_file_url,
)

Upload: Any = None  # the model, once Django is set up


@pytest.fixture(autouse=True)
def upload_model(upload_django: Any) -> None:
    global Upload
    from app_integrations.django.models import Upload as model

    Upload = model


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def put(s3: LocalS3, key: str, body: bytes, content_type: str) -> None:
    s3.boto3_client().put_object(Bucket=s3.bucket, Key=key, Body=body, ContentType=content_type)


def grant(**kwargs: Any) -> dict[str, Any]:
    options: dict[str, Any] = {"original_filename": "profile-photo.jpg", "content_type": "image/jpeg"}
    options.update(kwargs)
    result = get_direct_upload_form_data(**options)
    assert result["success"], result
    return dict(result)


def test_the_seeds_shortcut_example(moto_s3: LocalS3, s3_settings: Any, users: Any) -> None:
    s3_settings(moto_s3)
    result = get_direct_upload_form_data(
        original_filename="profile-photo.jpg",
        content_type="image/jpeg",
        max_file_size=5 * 1024 * 1024,
        prefix="uploads/profiles",
        metadata={"source": "profile"},
        user=users[0],
    )
    assert result["success"] and result["method"] == "POST" and result["expires_in"] == 3600
    upload = Upload.objects.get(pk=result["upload_id"])
    assert re.fullmatch(r"uploads/profiles/[0-9a-f-]{36}\.jpg", upload.s3_key)
    assert (upload.status, upload.owner, upload.name) == (Upload.STATUS_PENDING, users[0], "profile-photo.jpg")
    assert upload.meta_data == {"metadata": {"source": "profile"}, "max_file_size": 5 * 1024 * 1024}
    assert result["form_fields"]["key"] == upload.s3_key and result["form_fields"]["x-amz-meta-source"] == "profile"
    assert result["file_url"] == f"{moto_s3.endpoint_url}/uploads/{upload.s3_key}"
    sent = httpx.post(result["form_url"], data=result["form_fields"], files={"file": ("p.jpg", b"\xff\xd8" * 10)})
    assert sent.status_code == 201
    done = complete_upload(result["upload_id"], status=Upload.STATUS_COMPLETE)
    assert done["success"] and done["upload"] == {"id": upload.pk, "url": result["file_url"],
                                                  "name": "profile-photo.jpg", "content_type": "image/jpeg",
                                                  "size": 20, "status": "complete"}  # fmt: skip
    assert complete_upload(result["upload_id"])["upload"]["status"] == "complete"  # idempotent
    public = get_upload_file_url(upload.pk)
    assert public == {"success": True, "url": result["file_url"], "presigned": False, "content_type": "image/jpeg",
                      "name": "profile-photo.jpg", "size": 20}  # fmt: skip
    signed = get_upload_file_url(upload.pk, presigned=True, expiration=60)
    assert httpx.get(signed["url"]).content == b"\xff\xd8" * 10
    assert delete_upload(upload.pk) == {"success": True, "s3_deleted": True}
    assert not Upload.objects.filter(pk=upload.pk).exists()
    assert moto_s3.client().get_object_metadata(upload.s3_key)["code"] == "NoSuchKey"


def test_settings_give_the_defaults(moto_s3: LocalS3, s3_settings: Any, users: Any) -> None:
    s3_settings(moto_s3, AWS_UPLOAD_PREFIX="incoming/files", AWS_MAX_UPLOAD_SIZE=777)
    result = grant()
    upload = Upload.objects.get(pk=result["upload_id"])
    assert upload.s3_key.startswith("incoming/files/") and upload.meta_data["max_file_size"] == 777
    from app_integrations.aws import decode_policy

    assert ["content-length-range", 1, 777] in decode_policy(result["form_fields"])["conditions"]


def test_the_upload_bucket_setting_is_used(moto_s3: LocalS3, s3_settings: Any, users: Any) -> None:
    moto_s3.create_bucket("incoming")
    s3_settings(moto_s3, AWS_UPLOAD_BUCKET="incoming")
    result = grant()
    upload = Upload.objects.get(pk=result["upload_id"])
    assert upload.s3_bucket == "incoming" and result["form_url"].endswith("/incoming")
    moto_s3.boto3_client().put_object(Bucket="incoming", Key=upload.s3_key, Body=b"jpg", ContentType="image/jpeg")
    assert complete_upload(upload.pk)["success"]


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"content_type": "text/html"}, "content_type_not_allowed"),
        ({"original_filename": "page.html", "content_type": None}, "content_type_not_allowed"),
        ({"content_type": "image/png\r\nX-Evil: 1"}, "invalid_argument"),
        ({"original_filename": ""}, "invalid_argument"),
        ({"prefix": "../../etc"}, "invalid_argument"),
        ({"max_file_size": 0}, "invalid_argument"),
        ({"metadata": {"name": "naïve"}}, "invalid_argument"),
        ({"metadata": {"bad key": "x"}}, "invalid_argument"),
        ({"success_redirect_url": "javascript:alert(1)"}, "invalid_argument"),
    ],
)
def test_bad_requests_create_nothing(
    moto_s3: LocalS3, s3_settings: Any, users: Any, kwargs: dict[str, Any], code: str
) -> None:
    s3_settings(moto_s3)
    options: dict[str, Any] = {"original_filename": "a.png", "content_type": "image/png", **kwargs}
    result = get_direct_upload_form_data(**options)
    assert result["success"] is False and result["code"] == code and result["error"]
    assert Upload.objects.count() == 0


def test_hostile_names_are_safe_end_to_end(moto_s3: LocalS3, s3_settings: Any, users: Any) -> None:
    s3_settings(moto_s3)
    for name in ("../../../etc/passwd.png", "a\x00b.png", "ü" * 5000 + ".png", "C:\\Windows\\evil.png"):
        result = grant(original_filename=name, content_type="image/png")
        upload = Upload.objects.get(pk=result["upload_id"])
        assert re.fullmatch(r"uploads/[0-9a-f-]{36}\.png", upload.s3_key)
        assert len(upload.name) <= 255 and "/" not in upload.name and "\x00" not in upload.name


def test_a_redirect_url_is_a_policy_field(moto_s3: LocalS3, s3_settings: Any, users: Any) -> None:
    from app_integrations.aws import decode_policy

    s3_settings(moto_s3)
    fields = grant(success_redirect_url="https://example.com/done")["form_fields"]
    assert fields["success_action_redirect"] == "https://example.com/done" and "success_action_status" not in fields
    assert {"success_action_redirect": "https://example.com/done"} in decode_policy(fields)["conditions"]


def test_complete_refuses_what_was_not_granted(moto_s3: LocalS3, s3_settings: Any, users: Any) -> None:
    s3_settings(moto_s3)
    missing = grant()
    result = complete_upload(missing["upload_id"])
    assert result["code"] == "upload_missing"
    assert Upload.objects.get(pk=missing["upload_id"]).status == Upload.STATUS_ERROR

    big = grant(max_file_size=10)
    key = Upload.objects.get(pk=big["upload_id"]).s3_key
    put(moto_s3, key, b"x" * 11, "image/jpeg")
    result = complete_upload(big["upload_id"], file_size=5)  # the client's claim does not count
    row = Upload.objects.get(pk=big["upload_id"])
    assert result["code"] == "upload_rejected" and row.status == Upload.STATUS_ERROR and "11 bytes" in row.error
    assert moto_s3.client().get_object_metadata(key)["code"] == "NoSuchKey"  # the offender was deleted

    typed = grant()
    key = Upload.objects.get(pk=typed["upload_id"]).s3_key
    put(moto_s3, key, b"<script>", "text/html")
    assert complete_upload(typed["upload_id"])["code"] == "upload_rejected"
    assert Upload.objects.get(pk=typed["upload_id"]).status == Upload.STATUS_ERROR
    assert get_upload_file_url(typed["upload_id"])["code"] == "upload_not_complete"


def test_a_caller_may_record_an_error(moto_s3: LocalS3, s3_settings: Any, users: Any) -> None:
    s3_settings(moto_s3)
    upload_id = grant()["upload_id"]
    result = complete_upload(upload_id, file_size=3, status=Upload.STATUS_ERROR, error="cancelled")
    assert result["upload"]["status"] == "error" and Upload.objects.get(pk=upload_id).error == "cancelled"
    assert complete_upload(upload_id, status="bogus")["code"] == "invalid_argument"
    assert complete_upload("nope")["code"] == "invalid_argument"
    assert complete_upload(987654)["code"] == "not_found"


def test_s3_down_changes_nothing(moto_s3: LocalS3, s3_settings: Any, users: Any) -> None:
    s3_settings(moto_s3)
    first = grant()
    put(moto_s3, Upload.objects.get(pk=first["upload_id"]).s3_key, b"jpg", "image/jpeg")
    complete_upload(first["upload_id"])
    second = grant()
    s3_settings(moto_s3, AWS_S3_ENDPOINT_URL=f"http://127.0.0.1:{closed_port()}")
    assert complete_upload(second["upload_id"])["code"] == "connection_error"
    assert Upload.objects.get(pk=second["upload_id"]).status == Upload.STATUS_PENDING
    deleted = delete_upload(first["upload_id"])
    assert deleted["success"] is False and deleted["s3_deleted"] is False and deleted["code"] == "connection_error"
    assert Upload.objects.filter(pk=first["upload_id"]).exists()
    count = Upload.objects.count()
    assert get_upload_file_url(first["upload_id"], presigned=True)["success"]  # signing is local
    assert Upload.objects.count() == count


def test_not_configured_creates_nothing(s3_settings: Any, upload_django: Any, users: Any) -> None:
    from django.test import override_settings

    with override_settings(AWS_ACCESS_KEY_ID="", AWS_SECRET_ACCESS_KEY="", AWS_STORAGE_BUCKET_NAME=""):
        result = get_direct_upload_form_data("a.png", "image/png")
    assert result == {"success": False, "error": "S3 client not configured", "code": "not_configured",
                      "status_code": None, "request_id": None}  # fmt: skip
    assert Upload.objects.count() == 0


def test_ownership_is_checked_by_the_shortcuts(moto_s3: LocalS3, s3_settings: Any, users: Any) -> None:
    alice, bob = users
    s3_settings(moto_s3)
    upload_id = grant(user=alice)["upload_id"]
    assert complete_upload(upload_id, user=bob)["code"] == "not_found"
    assert delete_upload(upload_id, user=bob)["code"] == "not_found"
    assert get_upload_file_url(upload_id, user=bob)["code"] == "not_found"
    assert Upload.objects.get(pk=upload_id).status == Upload.STATUS_PENDING


def test_r2_style_presigned_put_is_checked_afterwards(seaweed_s3: LocalS3, s3_settings: Any, users: Any) -> None:
    s3_settings(seaweed_s3, AWS_S3_DIRECT_UPLOAD="put")
    result = grant(max_file_size=10)
    assert result["method"] == "PUT" and result["form_fields"] == {}
    assert result["headers"] == {"Content-Type": "image/jpeg"}
    wrong = httpx.put(result["form_url"], content=b"x", headers={"Content-Type": "text/html"})
    assert wrong.status_code == 403  # the content type is signed
    sent = httpx.put(result["form_url"], content=b"x" * 50, headers=result["headers"])
    assert sent.status_code == 200  # a PUT cannot limit the size ...
    assert complete_upload(result["upload_id"])["code"] == "upload_rejected"  # ... so completion does
    assert seaweed_s3.client().list_objects()["count"] == 0


# -- the views ---------------------------------------------------------------------------------------------------


def logged_in(user: Any, csrf: bool = False) -> Any:
    from django.test import Client

    client = Client(enforce_csrf_checks=csrf)
    client.force_login(user)
    return client


def test_the_views_run_the_seeds_flow(moto_s3: LocalS3, s3_settings: Any, users: Any) -> None:
    s3_settings(moto_s3)
    client = logged_in(users[0])
    answer = client.post("/api/uploads/credentials/", {"filename": "cat.png", "content_type": "image/png"})
    assert answer.status_code == 200
    body = answer.json()
    assert set(body) == {"form_url", "form_fields", "upload_id", "file_url", "method", "headers", "expires_in"}
    assert "testing" not in str(body["form_fields"].get("policy"))  # no secret in what the browser gets
    sent = httpx.post(body["form_url"], data=body["form_fields"], files={"file": ("cat.png", b"png")})
    assert sent.is_success
    confirmed = client.post("/api/uploads/confirm/", {"upload_id": body["upload_id"]})
    assert confirmed.status_code == 200 and confirmed.json()["upload"]["status"] == "complete"
    assert Upload.objects.get(pk=body["upload_id"]).owner == users[0]


def test_the_views_refuse_anonymous_users_get_and_missing_csrf(moto_s3: LocalS3, s3_settings: Any, users: Any) -> None:
    from django.test import Client

    s3_settings(moto_s3)
    form = {"filename": "cat.png", "content_type": "image/png"}
    assert Client().post("/api/uploads/credentials/", form).status_code == 401
    assert Client().post("/api/uploads/confirm/", {"upload_id": 1}).status_code == 401
    assert logged_in(users[0]).get("/api/uploads/credentials/").status_code == 405
    assert logged_in(users[0], csrf=True).post("/api/uploads/credentials/", form).status_code == 403
    assert Upload.objects.count() == 0


def test_the_views_check_csrf_and_accept_the_token(moto_s3: LocalS3, s3_settings: Any, users: Any) -> None:
    s3_settings(moto_s3)
    client = logged_in(users[0], csrf=True)
    client.get("/upload-page/")
    token = client.cookies["csrftoken"].value
    form = {"filename": "cat.png", "content_type": "image/png"}
    answer = client.post("/api/uploads/credentials/", form, headers={"X-CSRFToken": token})
    assert answer.status_code == 200


def test_another_users_upload_is_not_found(moto_s3: LocalS3, s3_settings: Any, users: Any) -> None:
    alice, bob = users
    s3_settings(moto_s3)
    body = logged_in(alice).post("/api/uploads/credentials/", {"filename": "a.png"}).json()
    put(moto_s3, Upload.objects.get(pk=body["upload_id"]).s3_key, b"png", "image/png")
    answer = logged_in(bob).post("/api/uploads/confirm/", {"upload_id": body["upload_id"]})
    assert answer.status_code == 404 and answer.json()["code"] == "not_found"
    assert Upload.objects.get(pk=body["upload_id"]).status == Upload.STATUS_PENDING
    assert logged_in(alice).post("/api/uploads/confirm/", {"upload_id": body["upload_id"]}).status_code == 200


def test_the_views_report_refusals(moto_s3: LocalS3, s3_settings: Any, users: Any) -> None:
    s3_settings(moto_s3)
    client = logged_in(users[0])
    refused = client.post("/api/uploads/credentials/", {"filename": "x.html", "content_type": "text/html"})
    assert refused.status_code == 400 and refused.json()["code"] == "content_type_not_allowed"
    body = client.post("/api/uploads/credentials/", {"filename": "a.png"}).json()
    missing = client.post("/api/uploads/confirm/", {"upload_id": body["upload_id"]})
    assert missing.status_code == 400 and missing.json()["code"] == "upload_missing"
    assert client.post("/api/uploads/confirm/", {"upload_id": "x"}).status_code == 400
    s3_settings(moto_s3, AWS_S3_ENDPOINT_URL=f"http://127.0.0.1:{closed_port()}")
    body = client.post("/api/uploads/credentials/", {"filename": "b.png"}).json()
    assert client.post("/api/uploads/confirm/", {"upload_id": body["upload_id"]}).status_code == 502


def test_the_system_check_warns_about_half_configured_s3(upload_django: Any) -> None:
    from django.test import override_settings

    from app_integrations.django.checks import integrations_configured

    with override_settings(
        DEBUG=False,
        TESTING=False,
        LOOPS_API_KEY="loops-key-123",
        TWILIO_ENABLED=False,
        AWS_STORAGE_BUCKET_NAME="media",
        AWS_ACCESS_KEY_ID="",
        AWS_SECRET_ACCESS_KEY="",
    ):
        warnings = [w for w in integrations_configured() if w.id == "app_integrations.W004"]  # S3's own check
    assert len(warnings) == 1
    assert "AWS_ACCESS_KEY_ID" in warnings[0].msg
    with override_settings(
        DEBUG=False, TESTING=False, LOOPS_API_KEY="loops-key-123", TWILIO_ENABLED=False, AWS_STORAGE_BUCKET_NAME=""
    ):
        assert [w.id for w in integrations_configured() if w.id == "app_integrations.W004"] == []


def test_the_migration_matches_the_model(upload_django: Any) -> None:
    from django.core.management import call_command

    call_command("makemigrations", "app_integrations", "--check", "--dry-run", verbosity=0)


def test_fileobj_upload_from_a_view_style_file(moto_s3: LocalS3, s3_settings: Any, users: Any) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from app_integrations.aws import S3Client

    s3_settings(moto_s3)
    uploaded = SimpleUploadedFile("notes.txt", b"hello", content_type="text/plain")
    result = S3Client().upload_fileobj(file_obj=uploaded, object_key=f"uploads/{uploaded.name}", public=True)
    assert result["success"] and httpx.get(result["url"]).content == b"hello"
