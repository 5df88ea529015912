"""Every argument of every `S3Client` method, given something it cannot use: a failure dict naming it, never an
exception, and nothing sent to S3 (against moto's server on 127.0.0.1)."""

from __future__ import annotations

import io
import sys
from typing import Any

import pytest

from app_integrations.aws.local_server import LocalS3
from app_integrations.aws.post_policy import decode_policy
from app_integrations.aws.s3 import S3Client

# (method, keyword arguments with one bad value, the parameter the error must name)
BAD_CALLS: list[tuple[str, dict[str, Any], str]] = [
    ("generate_presigned_post", {"object_key": "a.txt", "conditions": 42}, "conditions"),
    ("generate_presigned_post", {"object_key": "a.txt", "conditions": "garbage"}, "conditions"),
    ("generate_presigned_post", {"object_key": "a.txt", "conditions": [["content-length-range", "a", "b"]]},
     "content-length-range"),
    ("generate_presigned_post", {"object_key": "a.txt", "conditions": [["content-length-range", 10, 1]]},
     "content-length-range"),
    ("generate_presigned_post", {"object_key": "a.txt", "conditions": [["content-length-range", True, 5]]},
     "content-length-range"),
    ("generate_presigned_post", {"object_key": "a.txt", "conditions": [["eq", "acl", "private"]]}, "$field"),
    ("generate_presigned_post", {"object_key": "a.txt", "conditions": [["like", "$acl", "x"]]}, "operator"),
    ("generate_presigned_post", {"object_key": "a.txt", "conditions": [{"acl": 1}]}, "conditions[0]"),
    ("generate_presigned_post", {"object_key": "a.txt", "conditions": [{"a": "1", "b": "2"}]}, "conditions[0]"),
    ("generate_presigned_post", {"object_key": "a.txt", "conditions": [["eq", "$acl"]]}, "conditions[0]"),
    ("generate_presigned_post", {"object_key": "a.txt", "conditions": [object()]}, "conditions[0]"),
    ("generate_presigned_post", {"object_key": "a.txt", "fields": "acl=private"}, "fields"),
    ("generate_presigned_post", {"object_key": "a.txt", "fields": {"acl": object()}}, "fields"),
    ("generate_presigned_post", {"object_key": "a.txt", "fields": {1: "x"}}, "fields"),
    ("generate_presigned_post", {"object_key": "a.txt", "max_size": 0}, "max_size"),
    ("generate_presigned_post", {"object_key": "a.txt", "max_size": "10"}, "max_size"),
    ("generate_presigned_post", {"object_key": 42}, "object_key"),
    ("generate_presigned_post", {"object_key": "a.txt", "expiration": "3600"}, "expiration"),
    ("generate_presigned_post", {"object_key": "a.txt", "expiration": 10**9}, "expiration"),
    ("generate_presigned_url", {"object_key": None}, "object_key"),
    ("generate_presigned_url", {"object_key": "a.txt", "http_method": 7}, "http_method"),
    ("generate_presigned_url", {"object_key": "a.txt", "http_method": "PATCH"}, "http_method"),
    ("generate_presigned_url", {"object_key": "a.txt", "expiration": -1}, "expiration"),
    ("generate_presigned_url", {"object_key": "a.txt", "http_method": "PUT", "content_type": 5}, "content_type"),
    ("generate_presigned_url", {"object_key": "a.txt", "http_method": "PUT", "content_type": "png"}, "content_type"),
    ("upload_file", {"file_path": None}, "file_path"),
    ("upload_file", {"file_path": 42}, "file_path"),
    ("upload_file", {"file_path": __file__, "object_key": 5}, "object_key"),
    ("upload_file", {"file_path": __file__, "public": "yes"}, "public"),
    ("upload_file", {"file_path": __file__, "extra_args": ["ACL"]}, "extra_args"),
    ("upload_fileobj", {"file_obj": "not a file", "object_key": "a.txt"}, "file_obj"),
    ("upload_fileobj", {"file_obj": io.BytesIO(b"x"), "object_key": ""}, "object_key"),
    ("upload_fileobj", {"file_obj": io.BytesIO(b"x"), "object_key": "a\x00b"}, "object_key"),
    ("upload_fileobj", {"file_obj": io.BytesIO(b"x"), "object_key": "k" * 1025}, "object_key"),
    ("upload_fileobj", {"file_obj": io.BytesIO(b"x"), "object_key": "a.txt", "extra_args": 3}, "extra_args"),
    ("download_file", {"object_key": 3, "destination": "never-written.bin"}, "object_key"),
    ("download_file", {"object_key": "a.txt", "destination": None}, "destination"),
    ("list_objects", {"prefix": None}, "prefix"),
    ("list_objects", {"max_keys": 0}, "max_keys"),
    ("list_objects", {"max_keys": True}, "max_keys"),
    ("delete_object", {"object_key": ["a"]}, "object_key"),
    ("get_object_metadata", {"object_key": None}, "object_key"),
]  # fmt: skip


@pytest.mark.parametrize(("method", "arguments", "named"), BAD_CALLS, ids=[f"{m}-{n}-{i}" for i, (m, _, n) in
                                                                           enumerate(BAD_CALLS)])  # fmt: skip
def test_a_bad_argument_is_an_invalid_argument_failure(
    moto_s3: LocalS3, method: str, arguments: dict[str, Any], named: str
) -> None:
    result = getattr(moto_s3.client(), method)(**arguments)
    assert (result["success"], result["code"]) == (False, "invalid_argument"), result
    assert named in result["error"]
    assert moto_s3.boto3_client().list_objects_v2(Bucket=moto_s3.bucket).get("KeyCount") == 0


def test_good_conditions_still_make_a_policy(moto_s3: LocalS3) -> None:
    conditions = [["starts-with", "$Content-Type", "image/"], {"acl": "private"}, ["content-length-range", 1, 99]]
    result = moto_s3.client().generate_presigned_post("a.png", conditions=conditions, fields={"acl": "private"})
    assert result["success"] is True
    policy = decode_policy(result["form_fields"])["conditions"]
    assert ["content-length-range", 1, 99] in policy and ["starts-with", "$Content-Type", "image/"] in policy


def test_without_boto3_every_method_names_the_s3_extra(moto_s3: LocalS3, monkeypatch: pytest.MonkeyPatch) -> None:
    import app_integrations.aws.s3 as s3_module

    monkeypatch.setattr(s3_module, "_session", None)
    for name in ("boto3", "boto3.session", "botocore", "botocore.config"):
        monkeypatch.setitem(sys.modules, name, None)  # `import boto3` now raises ImportError, as when not installed
    client = moto_s3.client()  # made while boto3 "is missing"
    assert client.configured is False
    for result in (
        client.upload_fileobj(io.BytesIO(b"x"), "a.txt"),
        client.generate_presigned_post("a.txt"),
        client.generate_presigned_url("a.txt"),
        client.list_objects(),
        client.delete_object("a.txt"),
        client.get_object_metadata("a.txt"),
    ):
        assert (result["success"], result["code"]) == (False, "missing_dependency")
        assert "app-integrations[s3]" in result["error"]


def test_an_unusable_endpoint_is_a_failure_not_an_exception() -> None:
    client = S3Client("id", "secret", "bucket", endpoint_url="not a url at all")
    result = client.list_objects()
    assert (result["success"], result["code"]) == (False, "not_configured")
