"""What the Flask, Django/DRF and FastAPI integrations share: header rules, the status matrix, roles, principals.

The status matrix (reference/framework-middleware.md §3), the same in every entry point:
    no token / non-Bearer scheme          401  WWW-Authenticate: Bearer realm="vault"
    empty Bearer, duplicate/comma header  400  ..., error="invalid_request"
    bad or expired token                  401  ..., error="invalid_token", error_description="..."
    valid token, role missing             403  ..., error="insufficient_scope"
    signing keys unavailable              503  (no challenge: a 401 would log clients out)
Descriptions come from a fixed table; no token material or library exception text ever reaches a response.

Roles: whenever `roles` are given, the token's `org_role` must be one of them (the upstream SDK only checked
roles together with `require_org=True`; here `roles` alone is enough, as the seed's examples expect).
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from ..client import AsyncVaultAuth, VaultAuth, build_config
from ..errors import AuthenticationError, TokenExpiredError, VaultAuthError
from ..types import TokenPayload

REALM = "vault"
CACHE_SIZE = 4096


@attrs.frozen
class VaultUser:
    """The authenticated caller, from the verified token: what `g.vault_user`, `request.vault_user` and
    `get_current_user` give you. `payload` holds every claim."""

    id: str
    email: str | None
    email_verified: bool | None
    org_id: str | None
    org_role: str | None
    session_id: str | None
    payload: TokenPayload = attrs.field(repr=False)
    is_authenticated: bool = attrs.field(default=True, init=False)
    """Always True (Django and DRF look for it)."""
    is_anonymous: bool = attrs.field(default=False, init=False)

    @classmethod
    def from_payload(cls, payload: TokenPayload) -> VaultUser:
        """The principal of a verified token."""
        return cls(payload.sub, payload.email, payload.email_verified, payload.org_id, payload.org_role,
                   payload.sid, payload)  # fmt: skip

    @property
    def user_id(self) -> str:
        """The same as `id` (the token's `sub`)."""
        return self.id


@attrs.frozen
class AuthProblem(Exception):
    """A refusal: HTTP status, RFC 6750 `error` code, fixed description, and the `WWW-Authenticate` value."""

    status: int
    error: str
    description: str
    challenge: str | None

    def body(self) -> dict[str, str]:
        """`{"error": ..., "error_description": ...}` (FastAPI nests it under `detail`)."""
        return {"error": self.error, "error_description": self.description}

    def headers(self) -> dict[str, str]:
        """`WWW-Authenticate` when the status carries a challenge."""
        return {"WWW-Authenticate": self.challenge} if self.challenge else {}


def _challenge(error: str | None = None, description: str | None = None) -> str:
    parts = [f'Bearer realm="{REALM}"']
    if error:
        parts.append(f'error="{error}"')
    if description:
        parts.append(f'error_description="{description}"')
    return ", ".join(parts)


MISSING = AuthProblem(401, "missing_token", "authentication required", _challenge())
MALFORMED = AuthProblem(400, "invalid_request", "send exactly one Authorization: Bearer header",
                        _challenge("invalid_request"))  # fmt: skip
INVALID = AuthProblem(401, "invalid_token", "token is invalid", _challenge("invalid_token", "token is invalid"))
EXPIRED = AuthProblem(401, "invalid_token", "token expired", _challenge("invalid_token", "token expired"))
FORBIDDEN = AuthProblem(403, "insufficient_scope", "token lacks a required role", _challenge("insufficient_scope"))
UNAVAILABLE = AuthProblem(503, "temporarily_unavailable", "token verification is unavailable, retry later", None)


def problem_for(exc: VaultAuthError) -> AuthProblem:
    """The refusal for a verification failure (never its text)."""
    if isinstance(exc, TokenExpiredError):
        return EXPIRED
    if isinstance(exc, AuthenticationError):
        return INVALID
    return UNAVAILABLE  # KeysUnavailableError, or Vault unreachable: fail closed, but not with a 401


def bearer_token(values: Sequence[str]) -> str:
    """The token from the `Authorization` field values; raise `MISSING` or `MALFORMED` per the matrix."""
    if not values:
        raise MISSING
    if len(values) > 1 or "," in values[0]:
        raise MALFORMED
    scheme, _, token = values[0].strip().partition(" ")
    if scheme.lower() != "bearer":
        raise MISSING
    token = token.strip()
    if not token or " " in token:
        raise MALFORMED
    return token


def is_preflight(method: str, headers: Mapping[str, str]) -> bool:
    """A CORS preflight: OPTIONS with `Origin` and `Access-Control-Request-Method` (passed through untouched)."""
    return method == "OPTIONS" and "origin" in headers and "access-control-request-method" in headers


def check_roles(user: VaultUser, roles: frozenset[str]) -> None:
    """Raise `FORBIDDEN` unless `roles` is empty or the token's `org_role` is one of them."""
    if roles and (user.org_role is None or user.org_role not in roles):
        raise FORBIDDEN


def normalise_roles(roles: Iterable[str] | None) -> frozenset[str]:
    """`roles` as a set; a bare string is refused (`roles="admin"` would mean the roles a, d, m, i, n)."""
    if isinstance(roles, str):
        raise TypeError("roles must be a list of role names, such as ['admin', 'owner']")
    return frozenset(roles or ())


class VerifiedCache:
    """`Authorization` values whose token was verified locally, reused until the token's `exp` (and forgotten when
    the key set changes). Only the signature check is cached: a pure function of the token, the keys and the clock.
    """

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self._entries: dict[str, tuple[VaultUser, float, int]] = {}
        self._size = size

    def get(self, header: str, generation: int) -> VaultUser | None:
        """The principal of a header verified before, while its token has not expired and the keys are the same."""
        entry = self._entries.get(header)
        if entry is None:
            return None
        if entry[2] != generation or time.time() >= entry[1]:
            self._entries.pop(header, None)
            return None
        return entry[0]

    def put(self, header: str, user: VaultUser, generation: int) -> None:
        """Remember a verified header (the oldest entries make room)."""
        if len(self._entries) >= self._size:
            for stale in list(self._entries)[: self._size // 4]:
                del self._entries[stale]
        self._entries[header] = (user, float(user.payload.exp), generation)


def resolve(value: Any, config: Mapping[str, Any], name: str, default: Any = None) -> Any:
    """An argument, else the framework's config entry `name`, else the environment variable, else `default`."""
    if value is not None:
        return value
    if config.get(name) is not None:
        return config[name]
    return os.environ.get(name, default)


class Verifier:
    """Turns `Authorization` values into a `VaultUser` with one client (sync, async, or both built lazily)."""

    def __init__(
        self,
        api_key: str | None,
        base_url: str | None,
        *,
        sync_client: VaultAuth | None = None,
        async_client: AsyncVaultAuth | None = None,
    ) -> None:
        self._api_key, self._base_url = api_key, base_url  # None: the client applies the family's rule
        if sync_client is None and async_client is None:
            build_config(api_key, self._base_url, 30.0, 3, 1.0, None, 3600)  # a bad key or URL fails at start-up
        self._sync, self._async = sync_client, async_client
        self._cache = VerifiedCache()

    @classmethod
    def configured(
        cls,
        api_key: str | None = None,
        base_url: str | None = None,
        config: Mapping[str, Any] | None = None,
        *,
        sync_client: VaultAuth | None = None,
        async_client: AsyncVaultAuth | None = None,
    ) -> Verifier:
        """Key and URL from the arguments, else `config`, else the `VAULT_API_KEY` / `VAULT_BASE_URL` variables."""
        config = config or {}
        return cls(
            resolve(api_key, config, "VAULT_API_KEY"),
            resolve(base_url, config, "VAULT_BASE_URL"),
            sync_client=sync_client,
            async_client=async_client,
        )

    @property
    def sync_client(self) -> VaultAuth:
        """The sync client (built on first use)."""
        if self._sync is None:
            self._sync = VaultAuth(api_key=self._api_key, base_url=self._base_url)
        return self._sync

    @property
    def async_client(self) -> AsyncVaultAuth:
        """The async client (built on first use)."""
        if self._async is None:
            self._async = AsyncVaultAuth(api_key=self._api_key, base_url=self._base_url)
        return self._async

    def cached_sync(self, header: str) -> VaultUser | None:
        """The hot path: the caller of an `Authorization` value verified before, under the same keys, not expired."""
        client = self._sync
        return None if client is None else self._cache.get(header, client._keys.generation)

    def verify_sync(self, values: Sequence[str]) -> VaultUser:
        """The caller, or raise an `AuthProblem` (blocking: for WSGI apps)."""
        client = self.sync_client
        if len(values) == 1 and (cached := self._cache.get(values[0], client._keys.generation)) is not None:
            return cached
        token = bearer_token(values)
        try:
            user = VaultUser.from_payload(client.verify_token_locally(token))
        except VaultAuthError as exc:
            raise problem_for(exc) from None
        self._cache.put(values[0], user, client._keys.generation)
        return user

    async def verify(self, values: Sequence[str]) -> VaultUser:
        """The caller, or raise an `AuthProblem` (never blocks the event loop)."""
        client = self.async_client
        if len(values) == 1 and (cached := self._cache.get(values[0], client._keys.generation)) is not None:
            return cached
        token = bearer_token(values)
        try:
            user = VaultUser.from_payload(await client.verify_token_locally(token))
        except VaultAuthError as exc:
            raise problem_for(exc) from None
        self._cache.put(values[0], user, client._keys.generation)
        return user
