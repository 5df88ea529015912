"""URLs of the project: the pages, the integrations app (webhooks, login links) and the upload API."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("integrations/", include("app_integrations.django.urls")),
    path("api/", include("app_integrations.django.upload_urls")),
    path("", include("apps.public.urls")),
]
