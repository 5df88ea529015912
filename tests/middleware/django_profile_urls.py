"""URLconf of the profile-field tests: seed 001's Django view, reading fields the token does not carry."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.urls import path

from vault_auth.middleware.django import require_auth
from vault_auth.types import User


@require_auth()
def profile(request: HttpRequest) -> JsonResponse:
    user = request.vault_user  # type: ignore[attr-defined]
    fields = {"email": user.email, "full_name": user.full_name, "first_name": user.first_name, "status": user.status}
    return JsonResponse({**fields, "is_user": isinstance(user, User)})


urlpatterns = [path("profile", profile)]
