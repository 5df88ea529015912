"""`from apps.integration.aws.shortcuts import get_direct_upload_form_data, ...`: the guide's upload shortcuts."""

from app_integrations.aws.shortcuts import (
    complete_upload,
    delete_upload,
    get_direct_upload_form_data,
    get_upload_file_url,
)

__all__ = ["complete_upload", "delete_upload", "get_direct_upload_form_data", "get_upload_file_url"]
