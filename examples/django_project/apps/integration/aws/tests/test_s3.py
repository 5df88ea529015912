"""Seed 002's S3 blocks, as written, against a local S3 server (moto) on loopback, with the template's models.

A block that ends an endpoint with `return` (the seed shows view bodies) runs as the body of a function.
"""

import contextlib
import io
import json
import textwrap
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory, override_settings

from app_integrations.aws.local_server import LocalS3, start_local_s3


def run(block: str, namespace: dict[str, Any]) -> str:
    """Execute one seed block in `namespace` (inside a function when it returns); what it printed."""
    code = textwrap.dedent(block)
    if "\nreturn " in f"\n{code}" or ("\n    return JsonResponse" in code and "def " not in code):
        code = "def _endpoint():\n" + textwrap.indent(code, "    ") + "\n_returned = _endpoint()\n"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(code, namespace)
    return out.getvalue()


@pytest.fixture(scope="module")
def s3() -> Iterator[LocalS3]:
    """moto's S3 server on a free loopback port with the bucket created."""
    with start_local_s3("moto", bucket="template-uploads") as server:
        yield server


@pytest.fixture
def s3_settings(s3: LocalS3) -> Iterator[LocalS3]:
    """The project's `AWS_*` settings pointed at the local server."""
    s3.empty()
    with override_settings(**s3.settings()):
        yield s3


CLIENT = """
from apps.integration.aws.s3 import S3Client

# Initialize with default settings
client = S3Client()
"""


def test_upload_presign_and_list_blocks(s3_settings: LocalS3, tmp_path: Any) -> None:
    namespace: dict[str, Any] = {}
    run(CLIENT, namespace)
    image = tmp_path / "image.jpg"
    image.write_bytes(b"\xff\xd8\xff jpeg bytes")
    block = f'''
result = client.upload_file(
    file_path="{image}",
    object_key="uploads/images/image.jpg",
    public=True
)

if result["success"]:
    file_url = result["url"]
    print(f"File uploaded: {{file_url}}")
'''
    assert run(block, namespace).startswith("File uploaded: ")
    namespace["request"] = RequestFactory().post("/", {"file": SimpleUploadedFile("a.txt", b"hello")})
    run(
        """
# In a Django view handling file upload
uploaded_file = request.FILES['file']

result = client.upload_fileobj(
    file_obj=uploaded_file,
    object_key=f"uploads/{uploaded_file.name}",
    public=True
)
""",
        namespace,
    )
    assert namespace["result"]["success"] is True
    run(
        """
result = client.generate_presigned_url(
    object_key="private/document.pdf",
    expiration=3600  # 1 hour
)

if result["success"]:
    # This URL will work for 1 hour
    temporary_url = result["url"]
""",
        namespace,
    )
    assert "X-Amz-Signature=" in namespace["temporary_url"]
    run(
        """
result = client.generate_presigned_post(
    object_key="uploads/user-file.jpg",
    expiration=3600,
    conditions=[
        ["content-length-range", 1, 5242880]  # 5MB max
    ]
)

if result["success"]:
    form_url = result["post_url"]
    form_fields = result["form_fields"]
    # Send to frontend for direct upload
""",
        namespace,
    )
    assert namespace["form_fields"]["key"] == "uploads/user-file.jpg"
    listing = namespace["client"].list_objects(prefix="uploads/")
    assert sorted(item["key"] for item in listing["objects"]) == ["uploads/a.txt", "uploads/images/image.jpg"]


def test_direct_upload_shortcut_blocks(s3_settings: LocalS3, user: Any) -> None:
    namespace: dict[str, Any] = {}
    returned = run(
        """
from apps.integration.aws.shortcuts import get_direct_upload_form_data
from django.http import JsonResponse

# In your API endpoint
result = get_direct_upload_form_data(
    original_filename="profile-photo.jpg",
    content_type="image/jpeg",
    max_file_size=5 * 1024 * 1024,  # 5MB
    prefix="uploads/profiles"
)

if result["success"]:
    return JsonResponse({
        "form_url": result["form_url"],
        "form_fields": result["form_fields"],
        "upload_id": result["upload_id"],
        "file_url": result["file_url"]
    })
""",
        namespace,
    )
    assert returned == ""
    answer = namespace["_returned"]
    assert answer.status_code == 200
    granted = json.loads(answer.content)
    upload_id = granted["upload_id"]
    # The browser's part (a POST of the granted form to S3), then the seed's completion blocks.
    fields = granted["form_fields"]
    s3_settings.boto3_client().put_object(
        Bucket=s3_settings.bucket, Key=fields["key"], Body=b"\xff\xd8\xff photo", ContentType="image/jpeg"
    )
    namespace["upload_id"] = upload_id
    run(
        """
from apps.integration.aws.shortcuts import complete_upload
from apps.common.models.upload import Upload

result = complete_upload(
    upload_id,
    file_size=None,
    status=Upload.STATUS_COMPLETE,
    error=None
)
""",
        namespace,
    )
    assert namespace["result"]["success"] is True and namespace["result"]["upload"]["status"] == "complete"
    run(
        """
from apps.integration.aws.shortcuts import get_upload_file_url

result = get_upload_file_url(
    upload_id,
    presigned=False,
    expiration=3600
)
""",
        namespace,
    )
    assert namespace["result"]["url"].endswith(fields["key"])
    run(
        """
from apps.integration.aws.shortcuts import delete_upload

result = delete_upload(upload_id)
""",
        namespace,
    )
    assert namespace["result"]["success"] is True
    from apps.common.models.upload import Upload

    assert not Upload.objects.filter(pk=upload_id).exists()


def test_completing_an_upload_that_never_arrived_marks_it_error(s3_settings: LocalS3) -> None:
    from apps.common.models.upload import Upload
    from apps.integration.aws.shortcuts import complete_upload, get_direct_upload_form_data

    granted = get_direct_upload_form_data("report.pdf", content_type="application/pdf")
    result = complete_upload(upload_id=granted["upload_id"], status=Upload.STATUS_COMPLETE)
    assert result["success"] is False
    assert Upload.objects.get(pk=granted["upload_id"]).status != Upload.STATUS_COMPLETE
