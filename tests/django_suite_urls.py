"""The test process's URLconf: the example project's URLs plus the integrations app under /integrations/."""

from __future__ import annotations

from django.urls import include, path
from django_app.urls import urlpatterns as example_urlpatterns

urlpatterns = [*example_urlpatterns, path("integrations/", include("app_integrations.django.urls"))]
