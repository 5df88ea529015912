"""URLs of the S3 tests: seed 002's endpoints under `/api/`, and the browser-upload page."""

from __future__ import annotations

from django.urls import include, path

from .s3_upload_page import upload_page

urlpatterns = [
    path("api/", include("app_integrations.django.upload_urls")),
    path("upload-page/", upload_page),
]
