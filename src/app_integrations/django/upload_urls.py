"""URLs of the direct-upload endpoints; the integrations guide's JavaScript calls them under `/api/`:
`path("api/", include("app_integrations.django.upload_urls"))` gives `/api/uploads/credentials/` and
`/api/uploads/confirm/`.
"""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from .upload_views import confirm_upload, upload_credentials

urlpatterns: list[URLPattern | URLResolver] = [
    path("uploads/credentials/", upload_credentials, name="upload_credentials"),
    path("uploads/confirm/", confirm_upload, name="upload_confirm"),
]
