"""The seed's Django views: bearer-token callers (no session, so no CSRF), JSON answers, atomic acceptance."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache, wraps
from typing import Any

from django.conf import settings
from django.db import DatabaseError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from invitations_common.callers import Caller, authenticate, require_admin
from invitations_common.problems import Problem, bad_request, from_vortex
from invitations_common.requests import accept_request, check_addressed_to, jwt_context, target_query

from vault_auth import VaultAuth
from vortex_sdk import AcceptUser, Vortex, VortexApiError

from .models import GroupMembership

View = Callable[..., HttpResponse]


@cache
def _vortex(api_key: str, base_url: str) -> Vortex:
    return Vortex(api_key=api_key, base_url=base_url)


@cache
def _vault(api_key: str, base_url: str) -> VaultAuth:
    return VaultAuth(api_key=api_key, base_url=base_url)


def get_vortex_client() -> Vortex:
    """The seed's helper, configured from Django settings; one client (and pool) per key and URL."""
    if not settings.VORTEX_API_KEY:
        raise ValueError("VORTEX_API_KEY not configured in settings")
    return _vortex(settings.VORTEX_API_KEY, settings.VORTEX_BASE_URL)


def get_vault_client() -> VaultAuth:
    """The Vault client that authenticates callers, configured from Django settings."""
    return _vault(settings.VAULT_API_KEY, settings.VAULT_BASE_URL)


def _answer(problem: Problem) -> JsonResponse:
    return JsonResponse(problem.body, status=problem.status, headers=problem.headers)


def api(*methods: str) -> Callable[[Callable[..., HttpResponse]], View]:
    """An API view: allowed `methods` only, the caller authenticated (as the view's 2nd argument), JSON errors."""

    def decorate(view: Callable[..., HttpResponse]) -> View:
        @csrf_exempt  # bearer tokens only: there is no ambient credential for CSRF to protect
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in methods:
                return JsonResponse({"error": "Method not allowed", "code": "METHOD_NOT_ALLOWED"}, status=405)
            try:
                header = request.headers.get("Authorization")
                caller = authenticate(get_vault_client(), [header] if header is not None else [])
                return view(request, caller, *args, **kwargs)
            except Problem as problem:
                return _answer(problem)
            except VortexApiError as exc:
                return _answer(from_vortex(exc))
            except DatabaseError:
                return JsonResponse({"error": "Internal server error", "code": "INTERNAL_ERROR"}, status=500)

        return wrapper

    return decorate


def _json_body(request: HttpRequest) -> Any:
    if not request.body.strip():
        return None
    try:
        return json.loads(request.body)
    except ValueError:
        raise bad_request("Body must be JSON") from None


@api("POST")
def generate_jwt(request: HttpRequest, caller: Caller) -> HttpResponse:
    """A Vortex widget JWT for the caller."""
    extra = jwt_context(_json_body(request))
    return JsonResponse({"jwt": get_vortex_client().generate_jwt(user=caller.to_vortex_user(), **extra)})


@api("GET")
def get_invitations_by_target(request: HttpRequest, caller: Caller) -> HttpResponse:
    """Invitations sent to a target (`?type=email&value=...`)."""
    kind, value = target_query(request.GET.get("type"), request.GET.get("value"))
    invitations = get_vortex_client().get_invitations_by_target_sync(kind, value)
    return JsonResponse({"invitations": [inv.model_dump() for inv in invitations]})


@api("POST")
def accept_invitations(request: HttpRequest, caller: Caller) -> HttpResponse:
    """Accept invitations and grant their groups' memberships, all or nothing."""
    vortex = get_vortex_client()
    accept = accept_request(_json_body(request), caller)
    invitations = [vortex.get_invitation_sync(i) for i in accept.invitation_ids]
    check_addressed_to(caller, invitations)
    with transaction.atomic():  # rolled back if anything below raises
        granted = [
            GroupMembership.objects.get_or_create(user_id=caller.id, group_type=g.type, group_id=g.group_id)[0]
            for invitation in invitations
            for g in invitation.groups
        ]
        vortex.accept_invitations_sync(accept.invitation_ids, AcceptUser(email=accept.target["value"]))
    memberships = [m.as_dict() for m in granted]
    return JsonResponse({"success": True, "acceptedCount": len(accept.invitation_ids), "memberships": memberships})


@api("GET", "DELETE")
def invitation(request: HttpRequest, caller: Caller, invitation_id: str) -> HttpResponse:
    """GET: one invitation. DELETE: revoke it."""
    vortex = get_vortex_client()
    if request.method == "DELETE":
        vortex.revoke_invitation_sync(invitation_id)
        return JsonResponse({"success": True})
    return JsonResponse(vortex.get_invitation_sync(invitation_id).model_dump())


@api("POST")
def reinvite(request: HttpRequest, caller: Caller, invitation_id: str) -> HttpResponse:
    """Send an invitation again."""
    get_vortex_client().reinvite_sync(invitation_id)
    return JsonResponse({"success": True})


@api("GET", "DELETE")
def invitations_by_group(request: HttpRequest, caller: Caller, group_type: str, group_id: str) -> HttpResponse:
    """GET: invitations to a group. DELETE: delete them all (organization admins only)."""
    vortex = get_vortex_client()
    if request.method == "DELETE":
        require_admin(caller)
        vortex.delete_invitations_by_group_sync(group_type, group_id)
        return JsonResponse({"success": True})
    invitations = vortex.get_invitations_by_group_sync(group_type, group_id)
    return JsonResponse({"invitations": [inv.model_dump() for inv in invitations]})


@api("GET")
def my_memberships(request: HttpRequest, caller: Caller) -> HttpResponse:
    """The caller's group memberships (what accepting invitations granted)."""
    rows = GroupMembership.objects.filter(user_id=caller.id).order_by("id")
    return JsonResponse({"memberships": [m.as_dict() for m in rows]})
