"""S3's settings as the guide names them, read through `app_integrations.settings` (argument > Django > environment).

`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_STORAGE_BUCKET_NAME` and `AWS_REGION` configure the client;
`AWS_S3_ENDPOINT_URL` points it at Cloudflare R2 or a local server; `AWS_S3_CUSTOM_DOMAIN` (django-storages' name)
serves public URLs from a CDN or custom domain. The direct-upload shortcuts add `AWS_UPLOAD_BUCKET` (default: the
main bucket), `AWS_UPLOAD_PREFIX` (default `uploads`), `AWS_MAX_UPLOAD_SIZE` (bytes, default 10 MiB) and
`AWS_UPLOAD_ALLOWED_CONTENT_TYPES` (a list or a comma-separated string; `image/*` allows a whole family), and
`AWS_S3_DIRECT_UPLOAD` (`post` or `put`; by default a presigned PUT on Cloudflare R2, a presigned POST elsewhere).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from ..settings import setting, text

DEFAULT_REGION = "us-east-1"
DEFAULT_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
DEFAULT_UPLOAD_PREFIX = "uploads"
DEFAULT_ALLOWED_CONTENT_TYPES = (
    "image/jpeg",
    "image/png",
    "image/gif",
    "image/webp",
    "application/pdf",
    "text/plain",
)
# Settings whose presence says the project uses S3 (for the start-up check).
_ANY_S3 = ("AWS_STORAGE_BUCKET_NAME", "AWS_UPLOAD_BUCKET", "AWS_S3_ENDPOINT_URL", "AWS_ACCESS_KEY_ID")
_REQUIRED = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_STORAGE_BUCKET_NAME")


def missing_settings() -> list[str]:
    """The settings a project that uses S3 still needs (for the start-up check); none when it does not use S3."""
    if not any(text(name) for name in _ANY_S3):
        return []
    return [name for name in _REQUIRED if not text(name)]


def is_r2(endpoint_url: str | None) -> bool:
    """Whether the endpoint is Cloudflare R2's S3 API (no presigned POST, no ACLs)."""
    if not endpoint_url:
        return False
    host = (urlsplit(endpoint_url).hostname or "").lower()
    return host.endswith(".r2.cloudflarestorage.com")


def direct_upload_method(endpoint_url: str | None) -> str:
    """`"POST"` (a presigned form) or `"PUT"` (a presigned URL): `AWS_S3_DIRECT_UPLOAD`, else PUT on R2 only."""
    chosen = text("AWS_S3_DIRECT_UPLOAD").upper()
    if chosen in ("POST", "PUT"):
        return chosen
    return "PUT" if is_r2(endpoint_url) else "POST"


def upload_bucket() -> str:
    """The bucket direct uploads go to: `AWS_UPLOAD_BUCKET`, else `AWS_STORAGE_BUCKET_NAME`."""
    return text("AWS_UPLOAD_BUCKET") or text("AWS_STORAGE_BUCKET_NAME")


def upload_prefix() -> str:
    """`AWS_UPLOAD_PREFIX` (default `uploads`)."""
    return text("AWS_UPLOAD_PREFIX", default=DEFAULT_UPLOAD_PREFIX)


def max_upload_size() -> int:
    """`AWS_MAX_UPLOAD_SIZE` in bytes (default 10 MiB); an unreadable value falls back to the default."""
    value = setting("AWS_MAX_UPLOAD_SIZE")
    try:
        size = int(value) if value not in (None, "") else DEFAULT_MAX_UPLOAD_SIZE
    except (TypeError, ValueError):
        return DEFAULT_MAX_UPLOAD_SIZE
    return size if size > 0 else DEFAULT_MAX_UPLOAD_SIZE


def allowed_content_types() -> tuple[str, ...]:
    """`AWS_UPLOAD_ALLOWED_CONTENT_TYPES`, lower-cased (default: common images, PDF and plain text)."""
    value = setting("AWS_UPLOAD_ALLOWED_CONTENT_TYPES")
    if value is None or value == "":
        return DEFAULT_ALLOWED_CONTENT_TYPES
    items = value.split(",") if isinstance(value, str) else list(value)
    return tuple(str(item).strip().lower() for item in items if str(item).strip())


def content_type_allowed(content_type: str) -> bool:
    """Whether `content_type` is in the allow-list (`image/*` entries allow a family)."""
    wanted = content_type.lower()
    for allowed in allowed_content_types():
        if allowed == "*/*" or allowed == wanted:
            return True
        if allowed.endswith("/*") and wanted.startswith(allowed[:-1]):
            return True
    return False
