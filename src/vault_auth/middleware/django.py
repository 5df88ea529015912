"""Django integration (documented under "Django Integration" and "Django REST Framework").

    MIDDLEWARE = [..., "vault_auth.middleware.django.VaultAuthMiddleware"]   # after CorsMiddleware
    VAULT_API_KEY = "vault_m2m_..."; VAULT_BASE_URL = "https://api.vault.dev"
    VAULT_EXCLUDED_PATHS = ["/health", "/admin/"]                          # "/admin/" = /admin and below

    @require_auth(roles=["admin"])
    def admin_view(request): return JsonResponse({"email": request.vault_user.email})

    REST_FRAMEWORK = {"DEFAULT_AUTHENTICATION_CLASSES": ["vault_auth.middleware.django.VaultAuthentication"]}

The middleware is sync- and async-capable (no thread hop under ASGI: async requests verify with `AsyncVaultAuth`),
matches exclusions on `request.path_info`, sets `request.vault_user` (leaving `request.user` to Django), and
answers refusals as JSON `{"error", "error_description"}` with `WWW-Authenticate`. Settings are read again after
`override_settings`; a missing key or a bad exclusion raises `ImproperlyConfigured`. `require_auth` works on sync
and `async def` views, with or without the middleware, and marks views CSRF-exempt: a bearer header is not an
ambient credential. `VaultAuthentication` must come first in `DEFAULT_AUTHENTICATION_CLASSES`, so DRF answers 401
(not 403) with the challenge.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from .extras import missing_extra

try:
    from asgiref.sync import iscoroutinefunction, markcoroutinefunction
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.signals import setting_changed
    from django.http import HttpRequest, HttpResponse, JsonResponse
except ImportError as _missing:  # the framework (or a package it needs) is not installed
    raise missing_extra("django", _missing) from None

from ..errors import ConfigurationError
from .core import FORBIDDEN, AuthProblem, VaultUser, Verifier, check_roles, is_preflight, normalise_roles
from .paths import ExcludedPathError, ExcludedPaths

SETTINGS = ("VAULT_API_KEY", "VAULT_BASE_URL", "VAULT_EXCLUDED_PATHS")
_configured: tuple[Verifier, ExcludedPaths] | None = None


def configuration() -> tuple[Verifier, ExcludedPaths]:
    """The verifier and exclusions from settings (built once; rebuilt after a Vault setting changes)."""
    global _configured
    if _configured is None:
        try:
            excluded = ExcludedPaths.parse(getattr(settings, "VAULT_EXCLUDED_PATHS", ()))
            verifier = Verifier(getattr(settings, "VAULT_API_KEY", None), getattr(settings, "VAULT_BASE_URL", None))
        except (ExcludedPathError, ConfigurationError) as exc:
            raise ImproperlyConfigured(f"vault_auth: {exc}") from None
        _configured = (verifier, excluded)
    return _configured


def _forget(*, setting: str, **kwargs: Any) -> None:
    global _configured
    if setting in SETTINGS:
        _configured = None


setting_changed.connect(_forget)


def _refusal(problem: AuthProblem) -> JsonResponse:
    return JsonResponse(problem.body(), status=problem.status, headers=problem.headers())


def _authorization(request: HttpRequest) -> list[str]:
    value = request.META.get("HTTP_AUTHORIZATION")
    return [value] if value is not None else []


_PREFLIGHT_META = (("origin", "HTTP_ORIGIN"), ("access-control-request-method", "HTTP_ACCESS_CONTROL_REQUEST_METHOD"))


def _remember(request: HttpRequest, user: VaultUser) -> None:
    """Leave the caller in `request.vault_user` (an attribute of ours, which Django's request does not declare)."""
    request.vault_user = user  # type: ignore[attr-defined]


def _exempt(request: HttpRequest, excluded: ExcludedPaths) -> bool:
    if request.method == "OPTIONS":
        meta = request.META
        if is_preflight("OPTIONS", {name: meta[key] for name, key in _PREFLIGHT_META if key in meta}):
            return True
    return bool(excluded) and excluded.matches(request.path_info)


class VaultAuthMiddleware:
    """Requires a valid Vault bearer token on every request except `VAULT_EXCLUDED_PATHS`; sync and async."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Any]) -> None:
        self.get_response = get_response
        self.async_mode: bool = iscoroutinefunction(get_response)
        if self.async_mode:
            markcoroutinefunction(self)
        configuration()  # a missing key or a bad exclusion fails at start-up

    def __call__(self, request: HttpRequest) -> Any:
        """Authenticate (sync), or hand over to the async path when the stack is async."""
        if self.async_mode:
            return self.__acall__(request)
        verifier, excluded = configuration()
        if not _exempt(request, excluded):
            try:
                _remember(request, verifier.verify_sync(_authorization(request)))
            except AuthProblem as problem:
                return _refusal(problem)
        return self.get_response(request)

    async def __acall__(self, request: HttpRequest) -> HttpResponse:
        """Authenticate on the event loop (no thread hop)."""
        verifier, excluded = configuration()
        if not _exempt(request, excluded):
            try:
                _remember(request, await verifier.verify(_authorization(request)))
            except AuthProblem as problem:
                return _refusal(problem)
        response: HttpResponse = await self.get_response(request)
        return response


def require_auth(roles: Iterable[str] | None = None) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Require a valid token (and, when `roles` are given, an `org_role` among them); sets `request.vault_user`."""
    wanted = normalise_roles(roles)

    def decorate(view: Callable[..., Any]) -> Callable[..., Any]:
        if iscoroutinefunction(view):

            @wraps(view)
            async def async_wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
                try:
                    user = getattr(request, "vault_user", None) or await configuration()[0].verify(
                        _authorization(request)
                    )
                    check_roles(user, wanted)
                except AuthProblem as problem:
                    return _refusal(problem)
                _remember(request, user)
                return await view(request, *args, **kwargs)

            wrapper: Callable[..., Any] = async_wrapper
        else:

            @wraps(view)
            def sync_wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
                try:
                    user = getattr(request, "vault_user", None) or configuration()[0].verify_sync(
                        _authorization(request)
                    )
                    check_roles(user, wanted)
                except AuthProblem as problem:
                    return _refusal(problem)
                _remember(request, user)
                return view(request, *args, **kwargs)

            wrapper = sync_wrapper
        wrapper.csrf_exempt = True  # type: ignore[attr-defined]  # bearer tokens only, as DRF's APIView does
        return wrapper

    return decorate


try:  # DRF is optional: these classes exist only when it is installed
    from rest_framework.authentication import BaseAuthentication
    from rest_framework.exceptions import APIException, AuthenticationFailed, ParseError, PermissionDenied
    from rest_framework.permissions import BasePermission
except ImportError:  # pragma: no cover - exercised only without DRF
    pass
else:

    class VaultAuthentication(BaseAuthentication):
        """DRF authentication by Vault bearer token: `request.user` is a `VaultUser`, `request.auth` its claims.

        Returns None without a Bearer header (so other authenticators may run), 401 with the challenge for a bad
        token, 400 for a malformed header, 503 when keys cannot be had. Reuses the middleware's verification.
        """

        def authenticate(self, request: Any) -> tuple[VaultUser, Any] | None:
            """`(user, claims)`, None when no Bearer token was sent, or raise."""
            known: VaultUser | None = getattr(request._request, "vault_user", None)
            if known is not None:
                return known, known.payload
            values = _authorization(request._request)
            if not values or values[0].strip().partition(" ")[0].lower() != "bearer":
                return None
            try:
                user = configuration()[0].verify_sync(values)
            except AuthProblem as problem:
                request._request.vault_auth_problem = problem
                if problem.status == 400:
                    raise ParseError(detail=problem.body()) from None
                if problem.status == 503:
                    raise _Unavailable(detail=problem.body()) from None
                raise AuthenticationFailed(detail=problem.body()) from None
            request._request.vault_user = user
            return user, user.payload

        def authenticate_header(self, request: Any) -> str:
            """The `WWW-Authenticate` of a 401 (with `error="invalid_token"` when a token was refused)."""
            problem: AuthProblem | None = getattr(request._request, "vault_auth_problem", None)
            return problem.challenge if problem is not None and problem.challenge else 'Bearer realm="vault"'

    class _Unavailable(APIException):
        status_code = 503  # not an AuthenticationFailed: DRF would add a challenge, and clients would log out

    class _InsufficientScope(PermissionDenied):
        auth_header = FORBIDDEN.challenge  # DRF's exception handler sends it as WWW-Authenticate

    class HasVaultRole(BasePermission):
        """DRF permission: the token's `org_role` must be in the view's `vault_roles` (403 otherwise)."""

        def has_permission(self, request: Any, view: Any) -> bool:
            """Whether the caller holds one of `view.vault_roles` (every caller when the view sets none)."""
            roles = normalise_roles(getattr(view, "vault_roles", None))
            user = request.user
            if not isinstance(user, VaultUser):
                return False
            try:
                check_roles(user, roles)
            except AuthProblem as problem:
                raise _InsufficientScope(detail=problem.body()) from None
            return True
