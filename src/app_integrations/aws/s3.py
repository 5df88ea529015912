"""`S3Client`: the integrations guide's S3 methods over one boto3 client, returning result dicts instead of raising.

boto3 is S3's own SDK: it signs (SigV4), retries and streams; this class adds the guide's settings, result keys and
error codes, the policy conditions a browser form needs, and public URLs that are right for AWS, R2 and local
servers. Nothing here raises for S3 or network trouble; a misconfigured client answers every call with
`{"success": False, "error": "S3 client not configured", "code": "not_configured", ...}`.
"""

from __future__ import annotations

import mimetypes
import os
import re
import threading
from collections.abc import Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any

from ..results import (
    FILE_NOT_FOUND,
    INVALID_ARGUMENT,
    MISSING_DEPENDENCY,
    NOT_CONFIGURED,
    NOT_SUPPORTED,
    Failure,
    InvalidArgument,
    failure,
)
from ..settings import text
from . import config
from .errors import failure_from_boto, not_configured
from .post_policy import check_conditions, form_fields, policy_conditions
from .public_urls import public_url

if TYPE_CHECKING:  # the result types are for type checkers; importing them costs a cold start time for nothing
    from .types import (
        DeleteResult,
        DownloadResult,
        ListObjectsResult,
        MetadataResult,
        ObjectInfo,
        PresignedPostResult,
        PresignedUrlResult,
        UploadResult,
    )

# SigV4 caps a presigned URL's life at 7 days.
MAX_EXPIRATION = 7 * 24 * 3600
# S3 returns at most 1000 keys a page; `list_objects` follows continuation tokens past that.
PAGE_SIZE = 1000
MISSING_BOTO3 = "boto3 is not installed: install the S3 extra, pip install 'app-integrations[s3]'"
_METHODS = {"GET": "get_object", "PUT": "put_object", "HEAD": "head_object", "DELETE": "delete_object"}
_MAX_KEY_BYTES = 1024

# boto3's sessions are not thread-safe, its clients are: one private session, clients made under a lock.
_session_lock = threading.Lock()
_session: Any = None


def _make_client(**kwargs: Any) -> Any:
    global _session
    import boto3.session

    with _session_lock:
        if _session is None:
            _session = boto3.session.Session()
        return _session.client("s3", **kwargs)


class S3Client:
    """The guide's S3 client: each argument falls back to its setting (Django settings, then the environment).

    `aws_access_key_id` / `AWS_ACCESS_KEY_ID`, `aws_secret_access_key` / `AWS_SECRET_ACCESS_KEY`,
    `aws_s3_bucket_name` / `AWS_STORAGE_BUCKET_NAME`, `region_name` / `AWS_REGION` (default `us-east-1`, `auto` on
    R2), `endpoint_url` / `AWS_S3_ENDPOINT_URL` (Cloudflare R2, a local server), `custom_domain` /
    `AWS_S3_CUSTOM_DOMAIN` (public URLs through a CDN). The client is usable when the bucket and both keys are set;
    `configured` says so. One boto3 client is made here and reused by every call (boto3 clients are thread-safe).
    """

    def __init__(
        self,
        aws_access_key_id: str | None = None,
        aws_secret_access_key: str | None = None,
        aws_s3_bucket_name: str | None = None,
        region_name: str | None = None,
        endpoint_url: str | None = None,
        *,
        custom_domain: str | None = None,
    ) -> None:
        self.endpoint_url: str | None = text("AWS_S3_ENDPOINT_URL", endpoint_url) or None
        self.is_r2: bool = config.is_r2(self.endpoint_url)
        self.bucket_name: str = text("AWS_STORAGE_BUCKET_NAME", aws_s3_bucket_name)
        self.region_name: str = text("AWS_REGION", region_name) or ("auto" if self.is_r2 else config.DEFAULT_REGION)
        self.custom_domain: str | None = text("AWS_S3_CUSTOM_DOMAIN", custom_domain) or None
        access_key = text("AWS_ACCESS_KEY_ID", aws_access_key_id)
        secret_key = text("AWS_SECRET_ACCESS_KEY", aws_secret_access_key)
        self._client: Any = None
        self._problem: Failure | None = None
        if not (self.bucket_name and access_key and secret_key):
            self._problem = not_configured()
        else:
            try:
                self._client = _make_client(
                    aws_access_key_id=access_key,
                    aws_secret_access_key=secret_key,
                    region_name=self.region_name,
                    endpoint_url=self.endpoint_url,
                    config=self._boto_config(),
                )
            except ImportError:
                self._problem = failure(MISSING_BOTO3, MISSING_DEPENDENCY)
            except Exception as exc:  # botocore refuses the endpoint or region: a setting, not a crash
                self._problem = failure(f"S3 is misconfigured ({type(exc).__name__}): check AWS_S3_ENDPOINT_URL and "
                                        "AWS_REGION", NOT_CONFIGURED)  # fmt: skip
        self.configured: bool = self._problem is None

    def _refusal(self) -> Failure | None:
        """Why no call can be made (not configured, boto3 missing), or None."""
        return self._problem

    def __repr__(self) -> str:
        where = f", endpoint_url={self.endpoint_url!r}" if self.endpoint_url else ""
        state = f"configured={self.configured}"
        return f"S3Client(bucket={self.bucket_name!r}, region={self.region_name!r}{where}, {state})"

    def _boto_config(self) -> Any:
        from botocore.config import Config

        options: dict[str, Any] = {
            "signature_version": "s3v4",
            # Virtual-hosted on AWS (the regional host, see public_urls); path style for R2 and local servers.
            "s3": {"addressing_style": "path" if self.endpoint_url else "virtual"},
            "retries": {"mode": "standard", "max_attempts": 3},
            "connect_timeout": 5,
            "read_timeout": 60,
        }
        if self.endpoint_url:
            # boto3 >= 1.36 sends CRC checksums by default, which several S3-compatible stores refuse.
            options["request_checksum_calculation"] = "when_required"
            options["response_checksum_validation"] = "when_required"
        return Config(**options)

    @property
    def client(self) -> Any:
        """The underlying boto3 S3 client (None when not configured), for calls this class does not wrap."""
        return self._client

    @property
    def supports_acl(self) -> bool:
        """Whether the store honours canned ACLs (R2 implements none)."""
        return not self.is_r2

    @property
    def supports_presigned_post(self) -> bool:
        """Whether the store accepts presigned POST forms (R2 does not: use a presigned PUT)."""
        return not self.is_r2

    def get_public_url(self, object_key: str) -> str:
        """The unsigned URL of `object_key` (see `app_integrations.aws.public_urls`)."""
        return public_url(
            self.bucket_name,
            object_key,
            region=self.region_name,
            endpoint_url=self.endpoint_url,
            custom_domain=self.custom_domain,
        )

    # -- uploads and downloads ---------------------------------------------------------------------------------

    def upload_file(
        self,
        file_path: str,
        object_key: str | None = None,
        public: bool = False,
        extra_args: Mapping[str, Any] | None = None,
    ) -> UploadResult | Failure:
        """Upload a local file (multipart above 8 MiB); the key defaults to the file's name.

        The content type is guessed from the key unless `extra_args` has `ContentType`; `public=True` adds
        `ACL=public-read` where the store supports ACLs (not on R2; AWS buckets with ACLs disabled refuse it with
        `AccessControlListNotSupported`: prefer a bucket policy).
        """
        if (refused := self._refusal()) is not None:
            return refused
        if not isinstance(file_path, str | os.PathLike) or not str(file_path) or "\x00" in str(file_path):
            return failure("file_path must be the path of a local file", INVALID_ARGUMENT)
        if object_key is not None and not isinstance(object_key, str):
            return failure("object_key must be a string (or None for the file's name)", INVALID_ARGUMENT)
        key = object_key or os.path.basename(file_path)
        bad = _check_key(key) or _check_upload_options(public, extra_args)
        if bad:
            return bad
        if not os.path.isfile(file_path):
            return failure("The local file does not exist", FILE_NOT_FOUND)
        try:
            self._client.upload_file(
                Filename=file_path, Bucket=self.bucket_name, Key=key, ExtraArgs=self._put_args(key, public, extra_args)
            )
        except Exception as exc:
            return failure_from_boto(exc)
        return {"success": True, "url": self.get_public_url(key), "bucket": self.bucket_name, "key": key}

    def upload_fileobj(
        self,
        file_obj: IO[bytes] | Any,
        object_key: str,
        public: bool = False,
        extra_args: Mapping[str, Any] | None = None,
    ) -> UploadResult | Failure:
        """Upload a file-like object (a Django `UploadedFile` included: its `content_type` is used if set)."""
        if (refused := self._refusal()) is not None:
            return refused
        bad = _check_key(object_key) or _check_upload_options(public, extra_args)
        if bad:
            return bad
        if not callable(getattr(file_obj, "read", None)):
            return failure("file_obj must be a binary file-like object (with read())", INVALID_ARGUMENT)
        args = self._put_args(object_key, public, extra_args, getattr(file_obj, "content_type", None))
        try:
            self._client.upload_fileobj(Fileobj=file_obj, Bucket=self.bucket_name, Key=object_key, ExtraArgs=args)
        except Exception as exc:
            return failure_from_boto(exc)
        return {"success": True, "url": self.get_public_url(object_key), "bucket": self.bucket_name, "key": object_key}

    def _put_args(
        self, key: str, public: bool, extra_args: Mapping[str, Any] | None, content_type: str | None = None
    ) -> dict[str, Any]:
        args = dict(extra_args or {})
        if "ContentType" not in args:
            args["ContentType"] = content_type or mimetypes.guess_type(key)[0] or "application/octet-stream"
        if public and self.supports_acl:
            args.setdefault("ACL", "public-read")
        return args

    def download_file(self, object_key: str, destination: str) -> DownloadResult | Failure:
        """Download `object_key` to the local path `destination` (written only if the whole object arrived)."""
        if (refused := self._refusal()) is not None:
            return refused
        bad = _check_key(object_key)
        if bad:
            return bad
        if not isinstance(destination, str | os.PathLike) or not str(destination) or "\x00" in str(destination):
            return failure("destination must be a local file path", INVALID_ARGUMENT)
        try:
            self._client.download_file(Bucket=self.bucket_name, Key=object_key, Filename=destination)
        except Exception as exc:
            return failure_from_boto(exc)
        return {"success": True, "destination": destination, "key": object_key}

    # -- presigned requests --------------------------------------------------------------------------------------

    def generate_presigned_url(
        self, object_key: str, expiration: int = 3600, http_method: str = "GET", *, content_type: str | None = None
    ) -> PresignedUrlResult | Failure:
        """A URL that performs one operation on `object_key`: GET, PUT, HEAD or DELETE, each signed as its own.

        For PUT, `content_type` is signed too, so the store refuses a body sent with another type.
        """
        if (refused := self._refusal()) is not None:
            return refused
        method = http_method.upper() if isinstance(http_method, str) else ""
        if method not in _METHODS:
            return failure(f"http_method must be one of {', '.join(_METHODS)}", INVALID_ARGUMENT)
        bad = _check_key(object_key) or _check_expiration(expiration)
        if bad:
            return bad
        if content_type is not None and (not isinstance(content_type, str) or not _CONTENT_TYPE.match(content_type)):
            return failure("content_type must be a MIME type such as image/png", INVALID_ARGUMENT)
        params: dict[str, Any] = {"Bucket": self.bucket_name, "Key": object_key}
        if method == "PUT" and content_type:
            params["ContentType"] = content_type
        try:
            url = self._client.generate_presigned_url(
                ClientMethod=_METHODS[method], Params=params, ExpiresIn=expiration, HttpMethod=method
            )
        except Exception as exc:
            return failure_from_boto(exc)
        return {"success": True, "url": url, "key": object_key, "expires_in": expiration, "method": method}

    def generate_presigned_post(
        self,
        object_key: str,
        expiration: int = 3600,
        conditions: Sequence[Any] | None = None,
        fields: Mapping[str, str] | None = None,
        *,
        max_size: int | None = None,
    ) -> PresignedPostResult | Failure:
        """Form data for a direct browser upload of `object_key`.

        Every field in `fields` (`Content-Type`, `acl`, `success_action_status`, `x-amz-meta-*`, ...) gets an
        exact-match policy condition unless `conditions` already constrains it, and a `content-length-range` of
        1 byte to `max_size` (default `AWS_MAX_UPLOAD_SIZE`) is added unless `conditions` has one: S3 then
        accepts this form and refuses any other. Not available on Cloudflare R2 (`not_supported`): use
        `generate_presigned_url(key, http_method="PUT", content_type=...)` there.
        """
        if (refused := self._refusal()) is not None:
            return refused
        if not self.supports_presigned_post:
            return failure("This S3 endpoint (Cloudflare R2) has no presigned POST; use a presigned PUT", NOT_SUPPORTED)
        bad = _check_key(object_key) or _check_expiration(expiration)
        if bad:
            return bad
        try:
            form = form_fields(fields)
            checked = check_conditions(conditions)
        except InvalidArgument as exc:
            return failure(exc.message, exc.code)
        if max_size is not None and (isinstance(max_size, bool) or not isinstance(max_size, int) or max_size < 1):
            return failure("max_size must be a positive number of bytes", INVALID_ARGUMENT)
        if not self.supports_acl:
            form.pop("acl", None)
        policy = policy_conditions(form, checked, max_size or config.max_upload_size())
        try:
            post = self._client.generate_presigned_post(
                Bucket=self.bucket_name, Key=object_key, Fields=form, Conditions=policy, ExpiresIn=expiration
            )
        except Exception as exc:
            return failure_from_boto(exc)
        return {
            "success": True,
            "post_url": post["url"],
            "form_fields": post["fields"],
            "file_url": self.get_public_url(object_key),
            "key": object_key,
            "expires_in": expiration,
        }

    # -- listing, metadata, deletion -----------------------------------------------------------------------------

    def list_objects(self, prefix: str = "", max_keys: int = 1000) -> ListObjectsResult | Failure:
        """Up to `max_keys` objects under `prefix`, in key order, following S3's pages past 1000."""
        if (refused := self._refusal()) is not None:
            return refused
        if isinstance(max_keys, bool) or not isinstance(max_keys, int) or max_keys < 1:
            return failure("max_keys must be a positive integer", INVALID_ARGUMENT)
        if not isinstance(prefix, str) or len(prefix.encode("utf-8", "surrogatepass")) > _MAX_KEY_BYTES:
            return failure("prefix must be a string of at most 1024 bytes", INVALID_ARGUMENT)
        objects: list[ObjectInfo] = []
        token: str | None = None
        truncated = False
        try:
            while len(objects) < max_keys:
                args: dict[str, Any] = {
                    "Bucket": self.bucket_name,
                    "Prefix": prefix,
                    "MaxKeys": min(PAGE_SIZE, max_keys - len(objects)),
                }
                if token:
                    args["ContinuationToken"] = token
                page = self._client.list_objects_v2(**args)
                objects.extend(self._object_info(item) for item in page.get("Contents", []))
                truncated = bool(page.get("IsTruncated"))
                token = page.get("NextContinuationToken")
                if not truncated or not token:
                    break
        except Exception as exc:
            return failure_from_boto(exc)
        return {"success": True, "objects": objects, "count": len(objects), "is_truncated": truncated}

    def _object_info(self, item: Mapping[str, Any]) -> ObjectInfo:
        modified = item.get("LastModified")
        return {
            "key": item["Key"],
            "size": int(item.get("Size", 0)),
            "last_modified": modified.isoformat() if modified else None,
            "url": self.get_public_url(item["Key"]),
        }

    def delete_object(self, object_key: str) -> DeleteResult | Failure:
        """Delete `object_key` (S3 answers success for a key that is already gone)."""
        if (refused := self._refusal()) is not None:
            return refused
        bad = _check_key(object_key)
        if bad:
            return bad
        try:
            self._client.delete_object(Bucket=self.bucket_name, Key=object_key)
        except Exception as exc:
            return failure_from_boto(exc)
        return {"success": True, "key": object_key}

    def get_object_metadata(self, object_key: str) -> MetadataResult | Failure:
        """HEAD `object_key`: its type, length, modification time, ETag and `x-amz-meta-*` metadata."""
        if (refused := self._refusal()) is not None:
            return refused
        bad = _check_key(object_key)
        if bad:
            return bad
        try:
            head = self._client.head_object(Bucket=self.bucket_name, Key=object_key)
        except Exception as exc:
            return failure_from_boto(exc)
        modified = head.get("LastModified")
        return {
            "success": True,
            "key": object_key,
            "metadata": {
                "content_type": head.get("ContentType"),
                "content_length": int(head.get("ContentLength", 0)),
                "last_modified": modified.isoformat() if modified else None,
                "e_tag": head.get("ETag"),
                "metadata": dict(head.get("Metadata") or {}),
            },
        }


def _check_key(key: object) -> Failure | None:
    if not isinstance(key, str) or not key:
        return failure("object_key must be a non-empty string", INVALID_ARGUMENT)
    if len(key.encode("utf-8", "surrogatepass")) > _MAX_KEY_BYTES or "\x00" in key:
        return failure("object_key must be at most 1024 bytes of UTF-8 without NUL", INVALID_ARGUMENT)
    return None


def _check_upload_options(public: object, extra_args: object) -> Failure | None:
    if not isinstance(public, bool):
        return failure("public must be True or False", INVALID_ARGUMENT)
    if extra_args is not None and (
        not isinstance(extra_args, Mapping) or not all(isinstance(name, str) and name for name in extra_args)
    ):
        return failure("extra_args must be a dict of boto3 ExtraArgs (string keys)", INVALID_ARGUMENT)
    return None


_CONTENT_TYPE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$")


def _check_expiration(expiration: object) -> Failure | None:
    if isinstance(expiration, bool) or not isinstance(expiration, int) or not 1 <= expiration <= MAX_EXPIRATION:
        return failure(f"expiration must be 1 to {MAX_EXPIRATION} seconds", INVALID_ARGUMENT)
    return None
