"""Seed 002's S3Client examples and methods against moto's server on loopback (the happy paths, byte for byte).

moto checks no signature and no POST policy, so nothing here counts on it to refuse: refusals are proved against
SeaweedFS in test_s3_enforcement.py.
"""

from __future__ import annotations

import io
import socket
from pathlib import Path

import httpx
import pytest

from app_integrations.aws import S3Client
from app_integrations.aws import s3 as s3_module
from app_integrations.aws.local_server import LocalS3


def test_the_seeds_setup_example(moto_s3: LocalS3, tmp_path: Path) -> None:
    client = moto_s3.client()
    path = tmp_path / "test.txt"
    path.write_text("Test content")
    result = client.upload_file(file_path=str(path), object_key="test.txt")
    assert result == {"success": True, "url": f"{moto_s3.endpoint_url}/uploads/test.txt", "bucket": "uploads",
                      "key": "test.txt"}  # fmt: skip
    head = client.get_object_metadata("test.txt")
    assert head["metadata"]["content_type"] == "text/plain" and head["metadata"]["content_length"] == 12
    target = tmp_path / "back.txt"
    assert client.download_file("test.txt", str(target)) == {"success": True, "destination": str(target),
                                                            "key": "test.txt"}  # fmt: skip
    assert target.read_text() == "Test content"


def test_settings_configure_the_default_client(moto_s3: LocalS3, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in moto_s3.settings().items():
        monkeypatch.setenv(name, value)
    client = S3Client()
    assert client.configured and client.bucket_name == "uploads"
    assert client.upload_fileobj(io.BytesIO(b"x"), "env.bin")["success"]


def test_upload_fileobj_detects_type_keeps_metadata_and_is_private_by_default(moto_s3: LocalS3) -> None:
    client = moto_s3.client()
    data = bytes(range(256)) * 100

    class Uploaded(io.BytesIO):
        content_type = "image/webp"  # what Django's UploadedFile carries

    assert client.upload_fileobj(Uploaded(data), "u/photo.bin", extra_args={"Metadata": {"owner": "7"}})["success"]
    head = client.get_object_metadata("u/photo.bin")["metadata"]
    assert head["content_type"] == "image/webp" and head["metadata"] == {"owner": "7"}
    assert head["content_length"] == len(data) and head["e_tag"]
    assert client.upload_fileobj(io.BytesIO(data), "u/doc.pdf")["success"]
    assert client.get_object_metadata("u/doc.pdf")["metadata"]["content_type"] == "application/pdf"
    assert httpx.get(client.get_public_url("u/doc.pdf")).status_code == 403  # private unless asked
    fetched = httpx.get(client.generate_presigned_url("u/photo.bin")["url"])
    assert fetched.status_code == 200 and fetched.content == data


def test_public_uploads_get_public_read(moto_s3: LocalS3) -> None:
    client = moto_s3.client()
    result = client.upload_fileobj(io.BytesIO(b"hello"), "pub/hello.txt", public=True)
    assert httpx.get(result["url"]).content == b"hello"
    grants = moto_s3.boto3_client().get_object_acl(Bucket="uploads", Key="pub/hello.txt")["Grants"]
    assert any(g["Grantee"].get("URI", "").endswith("AllUsers") and g["Permission"] == "READ" for g in grants)


def test_presigned_put_head_and_delete_do_their_own_operation(moto_s3: LocalS3) -> None:
    client = moto_s3.client()
    put = client.generate_presigned_url("p/data.bin", 60, "PUT", content_type="application/octet-stream")
    assert httpx.put(put["url"], content=b"abc", headers={"Content-Type": "application/octet-stream"}).is_success
    head = httpx.head(client.generate_presigned_url("p/data.bin", 60, "HEAD")["url"])
    assert head.status_code == 200 and head.headers["content-length"] == "3"
    assert httpx.delete(client.generate_presigned_url("p/data.bin", 60, "DELETE")["url"]).is_success
    assert client.get_object_metadata("p/data.bin")["code"] == "NoSuchKey"


def test_a_presigned_post_form_lands_with_its_type_and_metadata(moto_s3: LocalS3) -> None:
    client = moto_s3.client()
    fields = {"Content-Type": "image/png", "x-amz-meta-owner": "7", "success_action_status": "201"}
    post = client.generate_presigned_post("forms/a.png", 60, fields=fields, max_size=100)
    answer = httpx.post(post["post_url"], data=post["form_fields"], files={"file": ("a.png", b"x" * 50)})
    assert answer.status_code == 201
    head = client.get_object_metadata("forms/a.png")["metadata"]
    assert head["content_type"] == "image/png" and head["metadata"] == {"owner": "7"}


def test_list_objects_follows_pages(moto_s3: LocalS3, monkeypatch: pytest.MonkeyPatch) -> None:
    client = moto_s3.client()
    for index in range(7):
        client.upload_fileobj(io.BytesIO(b"%d" % index), f"page/{index:02}.txt")
    client.upload_fileobj(io.BytesIO(b"other"), "other.txt")
    monkeypatch.setattr(s3_module, "PAGE_SIZE", 2)  # S3's page is 1000; small pages show the continuation
    some = client.list_objects(prefix="page/", max_keys=5)
    assert some["count"] == 5 and some["is_truncated"] is True
    assert [o["key"] for o in some["objects"]] == [f"page/{i:02}.txt" for i in range(5)]
    every = client.list_objects(prefix="page/")
    assert every["count"] == 7 and every["is_truncated"] is False
    first = every["objects"][0]
    assert first["size"] == 1 and first["url"].endswith("/uploads/page/00.txt") and first["last_modified"]
    assert client.list_objects(max_keys=0)["code"] == "invalid_argument"


def test_delete_object_and_missing_things(moto_s3: LocalS3, tmp_path: Path) -> None:
    client = moto_s3.client()
    client.upload_fileobj(io.BytesIO(b"x"), "gone.txt")
    assert client.delete_object("gone.txt") == {"success": True, "key": "gone.txt"}
    missing = client.get_object_metadata("gone.txt")
    assert missing["code"] == "NoSuchKey" and missing["status_code"] == 404
    download = client.download_file("gone.txt", str(tmp_path / "x"))
    assert download["code"] == "NoSuchKey" and not (tmp_path / "x").exists()
    assert client.upload_file(str(tmp_path / "absent.txt"))["code"] == "file_not_found"
    other = moto_s3.client(aws_s3_bucket_name="no-such-bucket")
    assert other.list_objects()["code"] == "NoSuchBucket"
    assert other.upload_fileobj(io.BytesIO(b"x"), "k")["code"] == "NoSuchBucket"


def test_s3_down_is_a_connection_failure() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = S3Client("testing", "testing", "uploads", "us-east-1", f"http://127.0.0.1:{port}")
    for result in (client.upload_fileobj(io.BytesIO(b"x"), "k"), client.get_object_metadata("k"),
                   client.list_objects(), client.delete_object("k")):  # fmt: skip
        assert result["success"] is False and result["code"] == "connection_error", result
