"""The integrations guide's direct-upload shortcuts over the `Upload` model: grant a form, confirm, get a URL, delete.

The browser gets a form (`get_direct_upload_form_data`) whose policy S3 enforces: this key only, this content type
only, at most `max_file_size` bytes, until it expires. `complete_upload` then asks S3 (HEAD) whether the object is
really there and within what was granted; only then is the upload `complete`. S3 is always called before the
database is written, so an S3 failure leaves the database as it was.

The shortcuts need `app_integrations.django` in `INSTALLED_APPS`. Each takes an optional `user`: with it, only that
user's uploads are found (the views always pass `request.user`), and another user's upload ID is "not found".
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Mapping
from typing import Any

from ...aws import config
from ...aws.s3 import S3Client
from ...aws.types import CompleteUploadResult, DeleteUploadResult, DirectUploadResult, UploadInfo, UploadUrlResult
from ...aws.upload_keys import display_name, guess_content_type, normalize_content_type, upload_key
from ...results import (
    CONTENT_TYPE_NOT_ALLOWED,
    INVALID_ARGUMENT,
    NOT_FOUND,
    UPLOAD_MISSING,
    UPLOAD_NOT_COMPLETE,
    UPLOAD_REJECTED,
    Failure,
    InvalidArgument,
    failure,
    log_failure,
)
from ...settings import text

logger: logging.Logger = logging.getLogger("app_integrations.aws")

_META_KEY = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
_META_VALUE = re.compile(r"[\x20-\x7e]{0,256}")
_MAX_METADATA_BYTES = 2000  # S3 allows 2 KB of user metadata


@functools.lru_cache(maxsize=8)
def _cached_client(
    key_id: str, secret: str, bucket: str, region: str, endpoint: str, domain: str, upload: str
) -> S3Client:
    return S3Client(key_id, secret, upload or bucket, region or None, endpoint or None, custom_domain=domain or None)


def upload_client(bucket: str | None = None) -> S3Client:
    """The `S3Client` of the upload bucket (`bucket`, else `AWS_UPLOAD_BUCKET`, else the main bucket).

    One client per distinct configuration is kept and reused, so a request does not pay for a new boto3 client.
    """
    names = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_STORAGE_BUCKET_NAME", "AWS_REGION")
    values = [text(name) for name in names]
    return _cached_client(
        *values, text("AWS_S3_ENDPOINT_URL"), text("AWS_S3_CUSTOM_DOMAIN"), bucket or config.upload_bucket()
    )


def _upload_model() -> Any:
    from ..models import Upload

    return Upload


def _owner(user: Any) -> Any:
    return user if user is not None and getattr(user, "is_authenticated", False) else None


def _find(upload_id: Any, user: Any) -> Any:
    """The upload row, or a not-found failure (also for another user's upload: no way to probe IDs)."""
    Upload = _upload_model()
    try:
        pk = int(upload_id)
    except (TypeError, ValueError):
        return failure("upload_id must be an integer", INVALID_ARGUMENT)
    rows = Upload.objects.filter(pk=pk)
    if user is not None:
        rows = rows.filter(owner=_owner(user)) if _owner(user) is not None else rows.none()
    upload = rows.first()
    return upload if upload is not None else failure(f"Upload with ID {pk} not found", NOT_FOUND)


def _info(upload: Any) -> UploadInfo:
    return {
        "id": upload.pk,
        "url": upload.original,
        "name": upload.name,
        "content_type": upload.content_type,
        "size": upload.size,
        "status": upload.status,
    }


def _metadata_fields(metadata: Mapping[str, Any] | None) -> dict[str, str]:
    if metadata is None:
        return {}
    if not isinstance(metadata, Mapping):
        raise InvalidArgument("metadata must be a dict of strings")
    fields = {}
    for name, value in metadata.items():
        key, text_value = str(name).lower(), str(value)
        if not _META_KEY.fullmatch(key) or not _META_VALUE.fullmatch(text_value):
            raise InvalidArgument("metadata keys must be letters, digits, '-' or '_'; values printable ASCII")
        fields[f"x-amz-meta-{key}"] = text_value
    if sum(len(k) + len(v) for k, v in fields.items()) > _MAX_METADATA_BYTES:
        raise InvalidArgument("metadata is larger than S3's 2 KB")
    return fields


def get_direct_upload_form_data(
    original_filename: str,
    content_type: str | None = None,
    max_file_size: int | None = None,
    prefix: str | None = None,
    success_redirect_url: str | None = None,
    metadata: Mapping[str, Any] | None = None,
    *,
    user: Any = None,
    expiration: int = 3600,
) -> DirectUploadResult | Failure:
    """Grant one direct browser upload and record it as a pending `Upload`.

    `content_type` defaults to the one the file name suggests and must be allowed by
    `AWS_UPLOAD_ALLOWED_CONTENT_TYPES`; `max_file_size` defaults to `AWS_MAX_UPLOAD_SIZE` (10 MiB) and `prefix`
    to `AWS_UPLOAD_PREFIX` (`uploads`). The key is `<prefix>/<uuid4><ext>`: nothing of the client's name but a
    checked extension reaches it. `metadata` (ASCII) is stored on the row and sent as `x-amz-meta-*` fields, each
    covered by the policy. On Cloudflare R2 the grant is a presigned PUT (`method` `"PUT"`), which cannot limit
    the size: `complete_upload` checks it afterwards and deletes an oversize object.
    """
    try:
        if not isinstance(original_filename, str) or not original_filename.strip():
            raise InvalidArgument("original_filename is required")
        name = display_name(original_filename)
        wanted = normalize_content_type(content_type) if content_type else guess_content_type(name)
        if not config.content_type_allowed(wanted):
            raise InvalidArgument(f"content type {wanted} is not allowed", CONTENT_TYPE_NOT_ALLOWED)
        limit = config.max_upload_size() if max_file_size is None else max_file_size
        if isinstance(limit, bool) or not isinstance(limit, int) or limit < 1:
            raise InvalidArgument("max_file_size must be a positive number of bytes")
        if success_redirect_url is not None and not re.match(r"https?://[^\s]+\Z", str(success_redirect_url)):
            raise InvalidArgument("success_redirect_url must be an http(s) URL")
        meta_fields = _metadata_fields(metadata)
        key = upload_key(config.upload_prefix() if prefix is None else prefix, name, wanted)
    except InvalidArgument as exc:
        return _logged("get_direct_upload_form_data", failure(exc.message, exc.code))
    client = upload_client()
    headers: dict[str, str] = {}
    if config.direct_upload_method(client.endpoint_url) == "POST":
        fields = {"Content-Type": wanted, **meta_fields}
        if success_redirect_url:
            fields["success_action_redirect"] = success_redirect_url
        else:
            fields["success_action_status"] = "201"
        post = client.generate_presigned_post(key, expiration, fields=fields, max_size=limit)
        if not post["success"]:
            return _logged("get_direct_upload_form_data", post)
        form_url, form_fields, file_url, method = post["post_url"], post["form_fields"], post["file_url"], "POST"
    else:
        put = client.generate_presigned_url(key, expiration, "PUT", content_type=wanted)
        if not put["success"]:
            return _logged("get_direct_upload_form_data", put)
        form_url, form_fields, file_url, method = put["url"], {}, client.get_public_url(key), "PUT"
        headers = {"Content-Type": wanted}
    upload = _upload_model().objects.create(
        owner=_owner(user),
        name=name,
        s3_bucket=client.bucket_name,
        s3_key=key,
        content_type=wanted,
        meta_data={"metadata": dict(metadata or {}), "max_file_size": limit},
    )
    return {
        "success": True,
        "form_url": form_url,
        "form_fields": form_fields,
        "file_url": file_url,
        "upload_id": upload.pk,
        "expires_in": expiration,
        "method": method,
        "headers": headers,
    }


def complete_upload(
    upload_id: Any,
    file_size: int | None = None,
    status: str | None = None,
    error: str | None = None,
    *,
    user: Any = None,
) -> CompleteUploadResult | Failure:
    """Record the end of an upload; `status` defaults to `Upload.STATUS_COMPLETE`.

    Completing asks S3 (HEAD) for the object: missing, empty, larger than granted or of another content type than
    the one declared, the upload is marked `error` with the reason (an offending object is deleted) and a failure
    returned; it is never marked `complete` on the client's word. `file_size` is the client's claim and is only
    recorded with another `status` (S3's length wins on completion). If S3 cannot be asked, nothing changes.
    """
    Upload = _upload_model()
    status = Upload.STATUS_COMPLETE if status is None else status
    if status not in {choice for choice, _ in Upload.STATUS_CHOICES}:
        return _logged("complete_upload", failure(f"unknown upload status {status!r}", INVALID_ARGUMENT))
    upload = _find(upload_id, user)
    if isinstance(upload, dict):
        return _logged("complete_upload", upload)
    if status != Upload.STATUS_COMPLETE:
        upload.status, upload.error = status, str(error or "")
        if file_size is not None:
            upload.size = file_size
        upload.save(update_fields=["status", "error", "size", "modified_at"])
        return {"success": True, "upload": _info(upload)}
    if upload.status == Upload.STATUS_COMPLETE:
        return {"success": True, "upload": _info(upload)}
    client = upload_client(upload.s3_bucket)
    head = client.get_object_metadata(upload.s3_key)
    if not head["success"]:
        if head.get("code") != "NoSuchKey":
            return _logged("complete_upload", head)  # S3 unreachable or refusing: try again later
        return _reject(upload, "the file is not in S3", UPLOAD_MISSING, client, delete=False)
    found = head["metadata"]
    granted = int((upload.meta_data or {}).get("max_file_size") or config.max_upload_size())
    length, found_type = found["content_length"], (found["content_type"] or "").split(";")[0].strip().lower()
    if length < 1 or length > granted:
        return _reject(upload, f"the file is {length} bytes; 1 to {granted} were allowed", UPLOAD_REJECTED, client)
    if upload.content_type and found_type != upload.content_type:  # a row without a declared type takes any
        reason = f"the file is {found_type or 'untyped'}, not {upload.content_type}"
        return _reject(upload, reason, UPLOAD_REJECTED, client)
    url = client.get_public_url(upload.s3_key)
    # Conditional: of two concurrent confirmations, one writes; the other sees the row already complete.
    Upload.objects.filter(pk=upload.pk).exclude(status=Upload.STATUS_COMPLETE).update(
        status=Upload.STATUS_COMPLETE, size=length, original=url, error=""
    )
    upload.refresh_from_db()
    return {"success": True, "upload": _info(upload)}


def _reject(upload: Any, reason: str, code: str, client: S3Client, delete: bool = True) -> Failure:
    if delete:
        deleted = client.delete_object(upload.s3_key)
        reason += "; the object was deleted" if deleted["success"] else "; deleting the object failed"
    upload.status, upload.error = upload.STATUS_ERROR, reason
    upload.save(update_fields=["status", "error", "modified_at"])
    return _logged("complete_upload", failure(f"Upload {upload.pk} rejected: {reason}", code))


def get_upload_file_url(
    upload_id: Any, presigned: bool = False, expiration: int = 3600, *, user: Any = None
) -> UploadUrlResult | Failure:
    """The URL of a complete upload: its public URL, or with `presigned=True` a GET URL valid `expiration` s."""
    upload = _find(upload_id, user)
    if isinstance(upload, dict):
        return _logged("get_upload_file_url", upload)
    if upload.status != upload.STATUS_COMPLETE:
        return _logged("get_upload_file_url", failure(f"Upload {upload.pk} is {upload.status}", UPLOAD_NOT_COMPLETE))
    client = upload_client(upload.s3_bucket)
    if presigned:
        signed = client.generate_presigned_url(upload.s3_key, expiration)
        if not signed["success"]:
            return _logged("get_upload_file_url", signed)
        url = signed["url"]
    else:
        url = client.get_public_url(upload.s3_key)
    return {
        "success": True,
        "url": url,
        "presigned": presigned,
        "content_type": upload.content_type,
        "name": upload.name,
        "size": upload.size,
    }


def delete_upload(upload_id: Any, *, user: Any = None) -> DeleteUploadResult | Failure:
    """Delete the object from S3 (once), then the row; if S3 fails, the row stays and `s3_deleted` is False."""
    upload = _find(upload_id, user)
    if isinstance(upload, dict):
        return _logged("delete_upload", upload)
    deleted = upload_client(upload.s3_bucket).delete_object(upload.s3_key)
    if not deleted["success"]:
        _logged("delete_upload", deleted)
        return {
            "success": False,
            "s3_deleted": False,
            "error": f"S3 did not delete the file, the upload was kept: {deleted.get('error')}",
            "code": deleted.get("code", "unexpected_error"),
            "status_code": deleted.get("status_code"),
            "request_id": deleted.get("request_id"),
        }
    upload.delete()
    return {"success": True, "s3_deleted": True}


def _logged(operation: str, result: Any) -> Failure:
    log_failure(logger, "S3", operation, result)
    failed: Failure = result
    return failed
