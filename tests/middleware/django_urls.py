"""URLconf of the Django middleware tests (`override_settings(ROOT_URLCONF="tests.middleware.django_urls")`)."""

# ruff: noqa: RUF012  (DRF declares views with class attributes)

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import path, re_path
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from vault_auth.middleware.django import HasVaultRole, VaultAuthentication, require_auth


def hello(request: HttpRequest) -> JsonResponse:
    user = getattr(request, "vault_user", None)
    return JsonResponse({"hello": user.email if user else "anonymous"})


def ok(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


def public(request: HttpRequest, rest: str) -> JsonResponse:
    return JsonResponse({"rest": rest})


@require_auth()
def protected(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"email": request.vault_user.email})  # type: ignore[attr-defined]


@require_auth(roles=["admin", "owner"])
def admin_only(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"message": "Admin only"})


@require_auth()
async def async_protected(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"email": request.vault_user.email})  # type: ignore[attr-defined]


@require_auth(roles=["admin"])
async def async_admin(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"message": "Admin only"})


class DrfHello(APIView):
    authentication_classes = [VaultAuthentication]
    permission_classes = [IsAuthenticated]

    def get(self, request: Request) -> Response:
        return Response({"email": request.user.email, "sub": request.auth.sub})

    def post(self, request: Request) -> Response:
        return Response({"posted": True})


class DrfAdmin(DrfHello):
    permission_classes = [IsAuthenticated, HasVaultRole]
    vault_roles = ["admin", "owner"]


urlpatterns = [
    path("hello", hello),
    path("health", ok),
    path("healthz", ok),
    path("publicity", ok),
    path("admin", ok),
    re_path(r"^public/(?P<rest>.*)$", public),
    path("protected", protected),
    path("admin-only", admin_only),
    path("async-protected", async_protected),
    path("async-admin", async_admin),
    path("drf/hello", DrfHello.as_view()),
    path("drf/admin", DrfAdmin.as_view()),
]
