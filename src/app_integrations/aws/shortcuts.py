"""Seed 002's import path for the S3 direct-upload shortcuts, which need Django: they live in
`app_integrations.django.shortcuts.uploads` (what needs Django lives under the Django part of the package).
"""

from ..django.shortcuts.uploads import (
    complete_upload,
    delete_upload,
    get_direct_upload_form_data,
    get_upload_file_url,
    upload_client,
)

__all__ = ["complete_upload", "delete_upload", "get_direct_upload_form_data", "get_upload_file_url", "upload_client"]
