"""What a real S3 refuses, proved against SeaweedFS (`weed mini`), which enforces POST policies and SigV4 as AWS does.

Each condition the client puts in a presigned-POST policy is broken once and must be refused; so must an expired
policy, a forged signature, an expired or forged presigned URL and a URL used for another operation. The
original integration's form (fields with no conditions) is refused, ours with the same fields is accepted.
"""

from __future__ import annotations

import io
import time
from typing import Any

import httpx
import pytest

from app_integrations.aws.local_server import LocalS3

MAX = 100
FIELDS = {"Content-Type": "image/png", "x-amz-meta-owner": "7", "success_action_status": "201"}


def form(s3: LocalS3, key: str = "forms/a.png", expiration: int = 60, **fields: str) -> dict[str, Any]:
    post = s3.client().generate_presigned_post(key, expiration, fields={**FIELDS, **fields}, max_size=MAX)
    assert post["success"]
    return post


def send(post: dict[str, Any], body: bytes = b"x" * 50, **changes: str) -> httpx.Response:
    data = {**post["form_fields"], **changes}
    return httpx.post(post["post_url"], data=data, files={"file": ("a.png", body, "image/png")})


def stored(s3: LocalS3) -> list[str]:
    return [o["key"] for o in s3.client().list_objects()["objects"]]


def code(answer: httpx.Response) -> str:
    return answer.text.split("<Code>")[1].split("</Code>")[0] if "<Code>" in answer.text else ""


def test_the_granted_form_is_accepted(seaweed_s3: LocalS3) -> None:
    answer = send(form(seaweed_s3))
    assert answer.status_code == 201 and "<Key>forms/a.png</Key>" in answer.text
    head = seaweed_s3.client().get_object_metadata("forms/a.png")["metadata"]
    assert head["content_type"] == "image/png" and head["content_length"] == 50


def test_the_original_integrations_form_is_refused_and_ours_accepted(seaweed_s3: LocalS3) -> None:
    fields = {**FIELDS, "acl": "private"}
    raw = seaweed_s3.boto3_client().generate_presigned_post("uploads", "raw.png", Fields=fields, ExpiresIn=60)
    answer = httpx.post(raw["url"], data=raw["fields"], files={"file": ("a.png", b"x" * 50)})
    assert answer.status_code == 403 and code(answer) == "AccessDenied"
    ours = seaweed_s3.client().generate_presigned_post("ours.png", 60, fields=fields, max_size=MAX)
    assert send(ours).status_code == 201
    assert stored(seaweed_s3) == ["ours.png"]


@pytest.mark.parametrize(
    ("body", "changes", "status", "error"),
    [
        (b"x" * (MAX + 1), {}, 400, "EntityTooLarge"),
        (b"", {}, 400, "EntityTooSmall"),
        (b"x" * 50, {"key": "forms/elsewhere.png"}, 403, "AccessDenied"),
        (b"x" * 50, {"Content-Type": "text/html"}, 403, "AccessDenied"),
        (b"x" * 50, {"x-amz-meta-owner": "8"}, 403, "AccessDenied"),
        (b"x" * 50, {"x-amz-meta-extra": "1"}, 403, "AccessDenied"),
        (b"x" * 50, {"success_action_status": "200"}, 403, "AccessDenied"),
        (b"x" * 50, {"x-amz-signature": "0" * 64}, 403, "SignatureDoesNotMatch"),
    ],
)
def test_every_condition_is_enforced(
    seaweed_s3: LocalS3, body: bytes, changes: dict[str, str], status: int, error: str
) -> None:
    answer = send(form(seaweed_s3), body, **changes)
    assert (answer.status_code, code(answer)) == (status, error)
    assert stored(seaweed_s3) == []


def test_a_granted_acl_cannot_be_changed(seaweed_s3: LocalS3) -> None:
    # SeaweedFS 4.48 accepts an `acl` field that the policy does not mention at all (AWS refuses any unlisted
    # field), so what is proved here is only that an acl the policy names cannot be changed.
    answer = send(form(seaweed_s3, acl="private"), acl="public-read")
    assert (answer.status_code, code(answer)) == (403, "AccessDenied")
    assert send(form(seaweed_s3, acl="private")).status_code == 201


def test_a_swapped_policy_fails_the_signature(seaweed_s3: LocalS3) -> None:
    loose = form(seaweed_s3, key="forms/other.png")
    answer = send(form(seaweed_s3), policy=loose["form_fields"]["policy"])
    assert (answer.status_code, code(answer)) == (403, "SignatureDoesNotMatch")


def test_expired_policy_and_presigned_urls_are_refused(seaweed_s3: LocalS3) -> None:
    client = seaweed_s3.client()
    client.upload_fileobj(io.BytesIO(b"secret"), "private.txt")
    post = form(seaweed_s3, expiration=1)
    url = client.generate_presigned_url("private.txt", 2)["url"]  # X-Amz-Date has whole seconds: 1 s can be gone
    assert httpx.get(url).content == b"secret"
    time.sleep(3.5)
    assert send(post).status_code == 403 and stored(seaweed_s3) == ["private.txt"]
    assert httpx.get(url).status_code == 403


def test_presigned_urls_are_bound_to_signature_operation_and_type(seaweed_s3: LocalS3) -> None:
    client = seaweed_s3.client()
    client.upload_fileobj(io.BytesIO(b"data"), "obj.txt")
    get = client.generate_presigned_url("obj.txt", 60)["url"]
    assert httpx.get(get.replace("X-Amz-Signature=", "X-Amz-Signature=0")).status_code == 403
    assert httpx.delete(get).status_code == 403 and httpx.put(get, content=b"evil").status_code == 403
    assert httpx.get(get).content == b"data"
    put = client.generate_presigned_url("new.png", 60, "PUT", content_type="image/png")["url"]
    assert httpx.put(put, content=b"png", headers={"Content-Type": "text/html"}).status_code == 403
    assert httpx.put(put, content=b"png", headers={"Content-Type": "image/png"}).status_code == 200
    assert client.get_object_metadata("new.png")["metadata"]["content_type"] == "image/png"


def test_a_wrong_secret_is_a_signature_failure(seaweed_s3: LocalS3) -> None:
    result = seaweed_s3.client(aws_secret_access_key="wrong").get_object_metadata("anything")
    assert result["success"] is False and result["code"] in {"AccessDenied", "SignatureDoesNotMatch"}
    listing = seaweed_s3.client(aws_secret_access_key="wrong").list_objects()
    assert listing["code"] == "SignatureDoesNotMatch" and listing["status_code"] == 403
