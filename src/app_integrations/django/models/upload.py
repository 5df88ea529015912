"""A file uploaded straight from the browser to S3 (the integrations guide's `Upload`), and who uploaded it."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, ClassVar

from django.conf import settings
from django.db import models

if TYPE_CHECKING:
    from django.contrib.auth.base_user import AbstractBaseUser


class Upload(models.Model):
    """One direct upload: created `pending` when the browser gets its form, `complete` once S3 has the object.

    Fields are the original integration's (`original` is the file's URL, `meta_data` a JSON object), plus the
    nullable `owner`: the views let a user see and confirm only their own uploads. `meta_data` keeps the caller's
    `metadata` under `"metadata"` and what the upload was granted (`"max_file_size"`) so `complete_upload` can
    check the object against it.
    """

    STATUS_PENDING = "pending"
    STATUS_PROCESSING = "processing"
    STATUS_COMPLETE = "complete"
    STATUS_ERROR = "error"
    STATUS_CHOICES = [
        (STATUS_PENDING, "Pending"),
        (STATUS_PROCESSING, "Processing"),
        (STATUS_COMPLETE, "Complete"),
        (STATUS_ERROR, "Error"),
    ]

    owner: models.ForeignKey[AbstractBaseUser | None, AbstractBaseUser | None] = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    original: models.URLField[str, str] = models.URLField(max_length=2048, blank=True, default="")
    name: models.CharField[str, str] = models.CharField(max_length=255, blank=True, default="")
    thumbnail: models.URLField[str, str] = models.URLField(max_length=2048, blank=True, default="")
    meta_data: models.JSONField[dict[str, Any], dict[str, Any]] = models.JSONField(default=dict, blank=True)
    s3_bucket: models.CharField[str, str] = models.CharField(max_length=255)
    s3_key: models.CharField[str, str] = models.CharField(max_length=1024, unique=True)
    content_type: models.CharField[str, str] = models.CharField(max_length=255, blank=True, default="")
    size: models.PositiveBigIntegerField[int | None, int | None] = models.PositiveBigIntegerField(null=True, blank=True)
    status: models.CharField[str, str] = models.CharField(
        max_length=16, choices=STATUS_CHOICES, default=STATUS_PENDING, db_index=True
    )
    error: models.TextField[str, str] = models.TextField(blank=True, default="")
    created_at: models.DateTimeField[datetime, datetime] = models.DateTimeField(auto_now_add=True)
    modified_at: models.DateTimeField[datetime, datetime] = models.DateTimeField(auto_now=True)

    class Meta:
        app_label = "app_integrations"
        ordering: ClassVar[list[str]] = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name or self.s3_key} ({self.status})"
