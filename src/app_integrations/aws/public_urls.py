"""The unsigned URL of an object: what a public bucket, a bucket policy or a CDN serves.

* AWS (no endpoint): virtual-hosted and regional, `https://<bucket>.s3.<region>.amazonaws.com/<key>`; the global
  host `<bucket>.s3.amazonaws.com` answers buckets outside us-east-1 with a redirect that browsers do not follow
  on CORS requests. A bucket name with dots cannot match the `*.s3` TLS certificate, so it gets the regional
  path style `https://s3.<region>.amazonaws.com/<bucket>/<key>`.
* A custom endpoint (R2, a local server): path style, `<endpoint>/<bucket>/<key>`.
* A custom domain (`AWS_S3_CUSTOM_DOMAIN`, e.g. a CDN in front of the bucket): `https://<domain>/<key>`.

Keys are percent-encoded except `/`, so a key with spaces or non-ASCII characters still gives a valid URL.
"""

from __future__ import annotations

from urllib.parse import quote


def public_url(
    bucket: str,
    key: str,
    *,
    region: str,
    endpoint_url: str | None = None,
    custom_domain: str | None = None,
) -> str:
    """The unsigned URL of `key` in `bucket`, by the rules of this module's docstring."""
    path = quote(key, safe="/~")
    if custom_domain:
        domain = custom_domain.rstrip("/")
        return f"{domain}/{path}" if "://" in domain else f"https://{domain}/{path}"
    if endpoint_url:
        return f"{endpoint_url.rstrip('/')}/{quote(bucket, safe='')}/{path}"
    if "." in bucket:
        return f"https://s3.{region}.amazonaws.com/{bucket}/{path}"
    return f"https://{bucket}.s3.{region}.amazonaws.com/{path}"
