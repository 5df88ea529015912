"""The result dicts of `S3Client` and the upload shortcuts, as `TypedDict`s over `app_integrations.results.Result`.

Keys are the guide's; times are ISO 8601 strings so that every result can go straight into a `JsonResponse`.
"""

from __future__ import annotations

from typing import Any, TypedDict

from ..results import Result


class UploadResult(Result, total=False):
    """`upload_file` / `upload_fileobj`: the object's public URL, bucket and key."""

    url: str
    bucket: str
    key: str


class DownloadResult(Result, total=False):
    """`download_file`: where the object was written."""

    destination: str
    key: str


class PresignedUrlResult(Result, total=False):
    """`generate_presigned_url`: a URL that performs `method` on `key` until `expires_in` seconds have passed."""

    url: str
    key: str
    expires_in: int
    method: str


class PresignedPostResult(Result, total=False):
    """`generate_presigned_post`: the form's action URL and fields (the file goes last, as field `file`)."""

    post_url: str
    form_fields: dict[str, str]
    file_url: str
    key: str
    expires_in: int


class ObjectInfo(TypedDict):
    """One entry of `list_objects`."""

    key: str
    size: int
    last_modified: str | None
    url: str


class ListObjectsResult(Result, total=False):
    """`list_objects`: up to `max_keys` objects; `is_truncated` says more remain."""

    objects: list[ObjectInfo]
    count: int
    is_truncated: bool


class DeleteResult(Result, total=False):
    """`delete_object`."""

    key: str


class ObjectMetadata(TypedDict):
    """What a HEAD of the object tells."""

    content_type: str | None
    content_length: int
    last_modified: str | None
    e_tag: str | None
    metadata: dict[str, str]


class MetadataResult(Result, total=False):
    """`get_object_metadata`."""

    key: str
    metadata: ObjectMetadata


class DirectUploadResult(Result, total=False):
    """`get_direct_upload_form_data`: what the browser needs to send the file straight to the bucket.

    `method` is `"POST"` (a form: send `form_fields`, then the file as field `file`, to `form_url`) or, on
    Cloudflare R2, `"PUT"` (send the file as the body to `form_url` with `headers`; `form_fields` is empty).
    """

    form_url: str
    form_fields: dict[str, str]
    file_url: str
    upload_id: int
    expires_in: int
    method: str
    headers: dict[str, str]


class UploadInfo(TypedDict):
    """An `Upload` row as `complete_upload` reports it."""

    id: int
    url: str
    name: str
    content_type: str
    size: int | None
    status: str


class CompleteUploadResult(Result, total=False):
    """`complete_upload`."""

    upload: UploadInfo


class UploadUrlResult(Result, total=False):
    """`get_upload_file_url`."""

    url: str
    presigned: bool
    content_type: str
    name: str
    size: int | None


class DeleteUploadResult(Result, total=False):
    """`delete_upload`: `s3_deleted` is False when S3 refused and the row was kept."""

    s3_deleted: bool
    details: dict[str, Any]
