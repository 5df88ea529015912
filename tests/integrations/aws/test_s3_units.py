"""S3 pieces that need no server: the policy document, public URLs, error codes, settings, keys, not-configured."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from typing import Any

import pytest
from botocore.exceptions import ClientError, EndpointConnectionError

from app_integrations.aws import S3Client, decode_policy, policy_conditions, public_url
from app_integrations.aws import config as s3_config
from app_integrations.aws.errors import failure_from_boto
from app_integrations.aws.upload_keys import display_name, normalize_prefix, upload_key
from app_integrations.results import InvalidArgument

AWS_NAMES = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_STORAGE_BUCKET_NAME", "AWS_REGION",
             "AWS_S3_ENDPOINT_URL", "AWS_UPLOAD_BUCKET", "AWS_S3_CUSTOM_DOMAIN", "AWS_MAX_UPLOAD_SIZE",
             "AWS_UPLOAD_ALLOWED_CONTENT_TYPES", "AWS_S3_DIRECT_UPLOAD")  # fmt: skip


@pytest.fixture(autouse=True)
def no_aws_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in AWS_NAMES:
        monkeypatch.delenv(name, raising=False)


def offline_client(**kwargs: Any) -> S3Client:
    """A configured client; presigning needs no network."""
    options: dict[str, Any] = {"aws_access_key_id": "AKIDEXAMPLE", "aws_secret_access_key": "very-secret-key",
                               "aws_s3_bucket_name": "media", "region_name": "eu-west-1"}  # fmt: skip
    options.update(kwargs)
    return S3Client(**options)


def condition_for(policy: dict[str, Any], name: str) -> Any:
    for condition in policy["conditions"]:
        if isinstance(condition, dict) and name in condition:
            return condition[name]
        if isinstance(condition, list) and condition[1] == f"${name}":
            return condition
    return None


def test_every_field_sent_has_a_policy_condition() -> None:
    fields = {"Content-Type": "image/png", "acl": "private", "success_action_status": "201", "x-amz-meta-owner": "7"}
    result = offline_client().generate_presigned_post("uploads/a.png", 600, fields=fields, max_size=5000)
    assert result["success"]
    form, policy = result["form_fields"], decode_policy(result["form_fields"])
    for name, value in form.items():
        if name in ("policy", "x-amz-signature"):
            continue
        assert condition_for(policy, name) == value, name
    assert ["content-length-range", 1, 5000] in policy["conditions"]
    assert condition_for(policy, "bucket") == "media"
    expires = time.mktime(time.strptime(policy["expiration"], "%Y-%m-%dT%H:%M:%SZ")) - time.timezone
    assert 500 < expires - time.time() <= 601
    assert result["post_url"] == "https://media.s3.eu-west-1.amazonaws.com/"
    assert result["file_url"] == "https://media.s3.eu-west-1.amazonaws.com/uploads/a.png"


def test_the_callers_own_conditions_are_kept_and_not_doubled() -> None:
    conditions = [["starts-with", "$Content-Type", "image/"], ["content-length-range", 10, 20]]
    merged = policy_conditions({"Content-Type": "image/png", "acl": "private"}, conditions, max_size=999)
    assert merged == [*conditions, {"acl": "private"}]
    assert policy_conditions({}, None, max_size=50) == [["content-length-range", 1, 50]]


def test_the_default_size_limit_is_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_MAX_UPLOAD_SIZE", "1234")
    policy = decode_policy(offline_client().generate_presigned_post("k")["form_fields"])
    assert ["content-length-range", 1, 1234] in policy["conditions"]


@pytest.mark.parametrize(
    ("bucket", "key", "options", "url"),
    [
        ("media", "a b/é.png", {"region": "eu-west-1"}, "https://media.s3.eu-west-1.amazonaws.com/a%20b/%C3%A9.png"),
        ("media", "k", {"region": "us-east-1"}, "https://media.s3.us-east-1.amazonaws.com/k"),
        ("my.site", "k", {"region": "us-west-2"}, "https://s3.us-west-2.amazonaws.com/my.site/k"),
        ("media", "k", {"region": "auto", "endpoint_url": "https://acc.r2.cloudflarestorage.com/"},
         "https://acc.r2.cloudflarestorage.com/media/k"),
        ("media", "k", {"region": "us-east-1", "endpoint_url": "http://127.0.0.1:9000"}, "http://127.0.0.1:9000/media/k"),
        ("media", "a/k", {"region": "us-east-1", "custom_domain": "cdn.example.com"}, "https://cdn.example.com/a/k"),
    ],
)  # fmt: skip
def test_public_urls(bucket: str, key: str, options: dict[str, Any], url: str) -> None:
    assert public_url(bucket, key, **options) == url


def test_presigned_urls_sign_their_own_operation() -> None:
    client = offline_client()
    urls = {method: client.generate_presigned_url("a.txt", 60, method)["url"] for method in ("GET", "PUT", "HEAD")}
    assert len(set(urls.values())) == 3  # the method is part of each signature
    assert urls["GET"].startswith("https://media.s3.eu-west-1.amazonaws.com/a.txt?")
    assert "X-Amz-Expires=60" in urls["GET"] and "eu-west-1%2Fs3%2Faws4_request" in urls["GET"]
    put = client.generate_presigned_url("a.txt", 60, "put", content_type="image/png")
    assert put["method"] == "PUT" and "content-type" in put["url"].lower()
    assert client.generate_presigned_url("a.txt", 60, "POST")["code"] == "invalid_argument"
    assert client.generate_presigned_url("a.txt", 0)["code"] == "invalid_argument"
    assert client.generate_presigned_url("a.txt", 8 * 24 * 3600)["code"] == "invalid_argument"
    assert client.generate_presigned_url("", 60)["code"] == "invalid_argument"


def test_not_configured_gives_the_seeds_failure_everywhere() -> None:
    client = S3Client()
    assert not client.configured and client.client is None
    calls = [
        lambda: client.upload_file(__file__, "k"),
        lambda: client.upload_fileobj(b"", "k"),
        lambda: client.download_file("k", "never-written"),
        lambda: client.generate_presigned_url("k"),
        lambda: client.generate_presigned_post("k"),
        lambda: client.list_objects(),
        lambda: client.delete_object("k"),
        lambda: client.get_object_metadata("k"),
    ]
    for call in calls:
        result = call()
        assert result["success"] is False
        assert result["error"] == "S3 client not configured" and result["code"] == "not_configured"
    assert not S3Client("id", None, "bucket").configured


def test_the_secret_never_shows() -> None:
    client = offline_client()
    assert "very-secret-key" not in repr(client) and "AKIDEXAMPLE" not in repr(client)
    assert "very-secret-key" not in str(client.generate_presigned_post("k"))
    assert "very-secret-key" not in str(client.generate_presigned_url("k"))


def test_r2_has_no_presigned_post_and_no_acls() -> None:
    client = offline_client(region_name=None, endpoint_url="https://acc.r2.cloudflarestorage.com")
    assert client.region_name == "auto" and not client.supports_acl and not client.supports_presigned_post
    assert client.generate_presigned_post("k")["code"] == "not_supported"
    assert "ACL" not in client._put_args("k.png", True, None)
    assert offline_client()._put_args("k.png", True, None) == {"ContentType": "image/png", "ACL": "public-read"}
    assert s3_config.direct_upload_method(client.endpoint_url) == "PUT"
    assert s3_config.direct_upload_method(None) == "POST"


def client_error(code: str, status: int, message: str = "") -> ClientError:
    error = {"Code": code, "Message": message} if message else {"Code": code}
    meta = {"HTTPStatusCode": status, "RequestId": "REQ1"}
    return ClientError({"Error": error, "ResponseMetadata": meta}, "HeadObject")


@pytest.mark.parametrize(
    ("exc", "code", "status"),
    [
        (client_error("NoSuchKey", 404, "The specified key does not exist."), "NoSuchKey", 404),
        (client_error("404", 404, "Not Found"), "NoSuchKey", 404),
        (client_error("403", 403), "AccessDenied", 403),
        (client_error("NoSuchBucket", 404, "The specified bucket does not exist"), "NoSuchBucket", 404),
        (client_error("SignatureDoesNotMatch", 403, "no"), "SignatureDoesNotMatch", 403),
        (EndpointConnectionError(endpoint_url="http://127.0.0.1:1"), "connection_error", None),
        (RuntimeError("secret=abc"), "unexpected_error", None),
    ],
)
def test_boto_errors_become_clear_codes(exc: Exception, code: str, status: int | None) -> None:
    result = failure_from_boto(exc)
    assert result["success"] is False and result["code"] == code and result["status_code"] == status
    assert result["error"] and "Not Found" not in result["error"] and "abc" not in result["error"]


def test_an_upload_failure_is_mapped_through_its_cause() -> None:
    from boto3.exceptions import S3UploadFailedError

    try:
        try:
            raise client_error("NoSuchBucket", 404, "The specified bucket does not exist")
        except ClientError as inner:
            raise S3UploadFailedError("Failed to upload") from inner
    except S3UploadFailedError as exc:
        assert failure_from_boto(exc)["code"] == "NoSuchBucket"


KEY = re.compile(r"uploads/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}(\.[a-z0-9]{1,10})?")


@pytest.mark.parametrize(
    ("name", "ext"),
    [
        ("photo.PNG", ".png"), ("../../etc/passwd", ""), ("..\\..\\boot.ini", ".ini"), ("a\x00b.png", ".png"),
        ("x" * 100_000 + ".jpg", ".jpg"), ("фото отпуск.jpeg", ".jpeg"), (".htaccess", ""), ("a.tar.gz", ".gz"),
        ("evil.png/../../x", ""), ("name.p\u0000hp", ""), ("a.superlongextension", ""),
    ],
)  # fmt: skip
def test_hostile_file_names_never_become_paths(name: str, ext: str) -> None:
    key = upload_key("uploads", name, "application/x-unknown-type")
    assert KEY.fullmatch(key) and key.endswith(ext) and ".." not in key
    shown = display_name(name)
    assert 0 < len(shown) <= 255 and "/" not in shown and "\\" not in shown and "\x00" not in shown


def test_the_extension_falls_back_to_the_content_type() -> None:
    assert upload_key("uploads", "noext", "image/png").endswith(".png")


@pytest.mark.parametrize("prefix", ["../x", "a/../b", "", "/", "a//b", "a/./b", "a b", "é"])
def test_bad_prefixes_are_refused(prefix: str) -> None:
    with pytest.raises(InvalidArgument):
        normalize_prefix(prefix)
    assert normalize_prefix("/uploads/profiles/") == "uploads/profiles"


def test_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    assert s3_config.missing_settings() == []  # S3 unused: nothing to warn about
    monkeypatch.setenv("AWS_STORAGE_BUCKET_NAME", "media")
    assert s3_config.missing_settings() == ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"]
    assert s3_config.upload_bucket() == "media"
    monkeypatch.setenv("AWS_UPLOAD_BUCKET", "incoming")
    assert s3_config.upload_bucket() == "incoming"
    assert s3_config.max_upload_size() == 10 * 1024 * 1024 and s3_config.upload_prefix() == "uploads"
    monkeypatch.setenv("AWS_MAX_UPLOAD_SIZE", "nonsense")
    assert s3_config.max_upload_size() == 10 * 1024 * 1024
    monkeypatch.setenv("AWS_UPLOAD_ALLOWED_CONTENT_TYPES", "image/*, application/pdf")
    assert s3_config.content_type_allowed("image/svg+xml") and s3_config.content_type_allowed("Application/PDF")
    assert not s3_config.content_type_allowed("text/html") and not s3_config.content_type_allowed("imagex/png")


def test_the_client_loads_neither_django_nor_httpx() -> None:
    code = (
        "import sys, app_integrations.aws; app_integrations.aws.S3Client('a', 'b', 'c');"
        "print(sorted(m for m in ('django', 'httpx') if m in sys.modules))"
    )
    output = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    assert output.strip() == "[]"
