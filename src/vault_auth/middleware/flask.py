"""Flask integration (seed 001, "Flask Integration"): an extension with a `before_request` hook, and `require_auth`.

    vault_auth = VaultAuthMiddleware(app=app, api_key="vault_m2m_...", excluded_paths=["/health", "/public"])
    # or, in an app factory: vault_auth = VaultAuthMiddleware(api_key=...); vault_auth.init_app(app)

    @app.route("/admin")
    @require_auth(roles=["admin", "owner"])
    def admin_only(): return jsonify({"email": g.vault_user.email})

Configuration: arguments, else `app.config["VAULT_API_KEY" / "VAULT_BASE_URL" / "VAULT_EXCLUDED_PATHS"]`, else the
environment. The hook runs after routing and matches exclusions on `request.path` (never the raw `PATH_INFO`); it
also runs for unknown paths, so those answer 401 before 404. Refusals are JSON `{"error", "error_description"}`
with `WWW-Authenticate`, whether or not the app registers error handlers. `require_auth` works with or without
the middleware (it reuses `g.vault_user`) and on `async def` views.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar

from .extras import missing_extra

try:
    from flask import Flask, Response, current_app, g, jsonify, request
except ImportError as exc:  # the framework (or a package it needs) is not installed
    raise missing_extra("flask", exc) from None

try:  # Flask's context variables: reading them directly saves ~1 us of proxy lookups on every request
    from flask.globals import _cv_app, _cv_request
except ImportError:  # pragma: no cover - another Flask layout: fall back to the public proxies
    _cv_app = _cv_request = None  # type: ignore[assignment]

from ..client import VaultAuth
from .core import AuthProblem, VaultUser, Verifier, check_roles, is_preflight, normalise_roles, resolve
from .paths import ExcludedPaths

F = TypeVar("F", bound=Callable[..., Any])
EXTENSION = "vault_auth"
FALLBACK = "vault_auth.decorator"


def _refusal(problem: AuthProblem) -> Response:
    response = jsonify(problem.body())
    response.status_code = problem.status
    response.headers.update(problem.headers())
    return response


class VaultAuthMiddleware:
    """The Flask extension: requires a valid Vault bearer token on every request except `excluded_paths`.

    Args:
        app: The app to protect now (or call `init_app(app)` later).
        api_key: Your Vault M2M key (else `VAULT_API_KEY` from the app config or the environment).
        base_url: Vault's URL (else `VAULT_BASE_URL`, else `https://api.vault.dev`).
        excluded_paths: Paths exempt with everything below them (`"/public"` covers `/public/info`, never
            `/publicity`); checked at `init_app` (bad entries raise).
        client: A `VaultAuth` to verify with (its options: issuer, audience, leeway...).
    """

    def __init__(
        self,
        app: Flask | None = None,
        api_key: str | None = None,
        base_url: str | None = None,
        excluded_paths: Iterable[str] | None = None,
        client: VaultAuth | None = None,
    ) -> None:
        self._options = (api_key, base_url, excluded_paths, client)
        self.verifier: Verifier | None = None
        self.excluded: ExcludedPaths = ExcludedPaths.parse(())
        self._any_excluded = False
        if app is not None:
            self.init_app(app)

    def init_app(self, app: Flask) -> None:
        """Configure from `app.config`, register as `app.extensions["vault_auth"]`, and install the hook."""
        api_key, base_url, excluded_paths, client = self._options
        self.excluded = ExcludedPaths.parse(resolve(excluded_paths, app.config, "VAULT_EXCLUDED_PATHS", ()))
        self._any_excluded = bool(self.excluded)
        self.verifier = Verifier.configured(api_key, base_url, app.config, sync_client=client)
        app.extensions[EXTENSION] = self
        app.before_request(self._authenticate)

    def _authenticate(self) -> Response | None:
        if _cv_request is not None:
            environ = _cv_request.get().request.environ
            app_globals = _cv_app.get().g
        else:  # pragma: no cover
            environ, app_globals = request.environ, g._get_current_object()
        if environ["REQUEST_METHOD"] == "OPTIONS" and is_preflight(
            "OPTIONS", {k.lower(): v for k, v in request.headers.items()}
        ):
            return None
        if self._any_excluded and self.excluded.matches(request.path):
            return None
        verifier: Verifier = self.verifier  # type: ignore[assignment]  # set by init_app, which installs this hook
        header = environ.get("HTTP_AUTHORIZATION")
        user = verifier.cached_sync(header) if header is not None else None
        if user is None:
            try:
                user = verifier.verify_sync(_authorization(environ))
            except AuthProblem as problem:
                return _refusal(problem)
        app_globals.vault_user = user
        return None


def _authorization(environ: dict[str, Any]) -> list[str]:
    # WSGI servers fold repeated fields into one comma-joined value, which the core refuses (400).
    value = environ.get("HTTP_AUTHORIZATION")
    return [value] if value is not None else []


def _verifier() -> Verifier:
    """The middleware's verifier, or (decorator used alone) one configured from the app config / environment."""
    extension = current_app.extensions.get(EXTENSION)
    if extension is not None and extension.verifier is not None:
        verifier: Verifier = extension.verifier
        return verifier
    fallback: Verifier | None = current_app.extensions.get(FALLBACK)
    if fallback is None:
        fallback = Verifier.configured(config=current_app.config)
        current_app.extensions[FALLBACK] = fallback
    return fallback


def require_auth(roles: Iterable[str] | None = None) -> Callable[[F], F]:
    """Require a valid token (and, when `roles` are given, an `org_role` among them); sets `g.vault_user`."""
    wanted = normalise_roles(roles)

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            user: VaultUser | None = g.get("vault_user")
            try:
                if user is None:
                    user = _verifier().verify_sync(_authorization(request.environ))
                    g.vault_user = user
                check_roles(user, wanted)
            except AuthProblem as problem:
                return _refusal(problem)
            return current_app.ensure_sync(view)(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate
