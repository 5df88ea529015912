"""Seed 002's two direct-upload endpoints, for signed-in users only, CSRF-checked, each user's own uploads only.

* `POST credentials` (`filename`, `content_type`): a pending `Upload` and the form the browser sends to S3.
  The size limit is `AWS_MAX_UPLOAD_SIZE`, the key prefix `AWS_UPLOAD_PREFIX`.
* `POST confirm` (`upload_id`): S3 is asked whether the object arrived as granted; the answer is the upload.

Both answer JSON: `401` without a signed-in user, `403` without a valid CSRF token (send Django's `csrftoken`
cookie value as `X-CSRFToken`), `404` for an unknown upload or another user's, `400` for bad input or a refused
upload, `502`/`503` when S3 cannot be reached or is not configured.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from ..results import (
    CONNECTION_ERROR,
    CONTENT_TYPE_NOT_ALLOWED,
    INVALID_ARGUMENT,
    NOT_AUTHENTICATED,
    NOT_CONFIGURED,
    NOT_FOUND,
    TIMEOUT,
    UPLOAD_MISSING,
    UPLOAD_REJECTED,
)
from .shortcuts.uploads import complete_upload, get_direct_upload_form_data

_STATUS = {NOT_FOUND: 404, NOT_CONFIGURED: 503, CONNECTION_ERROR: 502, TIMEOUT: 504}
_CLIENT_ERRORS = {INVALID_ARGUMENT, CONTENT_TYPE_NOT_ALLOWED, UPLOAD_MISSING, UPLOAD_REJECTED}


def _error(result: Mapping[str, Any]) -> JsonResponse:
    code = str(result.get("code"))
    status = _STATUS.get(code, 400 if code in _CLIENT_ERRORS else 502)
    return JsonResponse({"error": result.get("error"), "code": code}, status=status)


def _anonymous() -> JsonResponse:
    return JsonResponse({"error": "Sign in to upload files", "code": NOT_AUTHENTICATED}, status=401)


@require_POST
@csrf_protect
def upload_credentials(request: HttpRequest) -> JsonResponse:
    """Grant the signed-in user one direct upload of `filename` (`content_type` optional)."""
    if not request.user.is_authenticated:
        return _anonymous()
    result = get_direct_upload_form_data(
        original_filename=request.POST.get("filename", ""),
        content_type=request.POST.get("content_type") or None,
        user=request.user,
    )
    if not result["success"]:
        return _error(result)
    keys = ("form_url", "form_fields", "upload_id", "file_url", "method", "headers", "expires_in")
    return JsonResponse({key: result[key] for key in keys})  # type: ignore[literal-required]


@require_POST
@csrf_protect
def confirm_upload(request: HttpRequest) -> JsonResponse:
    """Mark the signed-in user's upload `upload_id` complete once S3 has it as granted."""
    if not request.user.is_authenticated:
        return _anonymous()
    result = complete_upload(request.POST.get("upload_id"), user=request.user)
    if not result["success"]:
        return _error(result)
    return JsonResponse({"upload": result["upload"]})
