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

import datetime as dt
import os
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import attrs

from ..client import AsyncVaultAuth, VaultAuth, build_config
from ..errors import AuthenticationError, TokenExpiredError, VaultAuthError
from ..types import TokenPayload, User

REALM = "vault"
CACHE_SIZE = 4096


ProfileLoader = Callable[[str], User]
"""Fetches a user's full record by ID (`vault.users.get`): how a `VaultUser` reads what its token does not carry."""


class VaultUser(User):
    """The authenticated caller: what `g.vault_user`, `request.vault_user` and `get_current_user` give you.

    It is a `vault_auth.types.User` (so `user: User = Depends(get_current_user)` is the truth, and every field of
    `User` is there, typed), built from the verified token: `id`, `email` and `email_verified` come from its claims,
    and `org_id`, `org_role`, `session_id` and `payload` (every claim) are added. The fields a token does not carry
    (`first_name`, `last_name`, `full_name`, `status`, `avatar_url`, `metadata`, the timestamps, and `email` when
    the token has none) are fetched from Vault (`vault.users.get`) when one is first read, once per token; a failed
    fetch raises the SDK's error (`NotFoundError` for a deleted user, `VaultConnectionError`, ...), never an
    `AttributeError`. In `async` code the first such read blocks for that one call.
    """

    __slots__ = ("_loaded", "_loader", "_payload")
    _payload: TokenPayload
    _loader: ProfileLoader | None
    _loaded: User | None
    is_authenticated = True
    """Always True (Django and DRF look for it)."""
    is_anonymous = False

    def __init__(self, payload: TokenPayload, loader: ProfileLoader | None = None) -> None:
        object.__setattr__(self, "_payload", payload)
        object.__setattr__(self, "_loader", loader)
        object.__setattr__(self, "_loaded", None)

    @classmethod
    def from_payload(cls, payload: TokenPayload, loader: ProfileLoader | None = None) -> VaultUser:
        """The principal of a verified token; `loader` fetches the rest of the user's record when first needed."""
        return cls(payload, loader)

    def profile(self) -> User:
        """The user's full record from Vault, fetched on the first call and kept (`NotFoundError` if deleted)."""
        loaded: User | None = self._loaded
        if loaded is None:
            if self._loader is None:
                from ..errors import ConfigurationError

                raise ConfigurationError(
                    "this VaultUser was made without a client, so fields its token does not carry cannot be fetched"
                )
            loaded = self._loader(self._payload.sub)
            object.__setattr__(self, "_loaded", loaded)
        return loaded

    # From the token -------------------------------------------------------------------------------------------

    @property
    def payload(self) -> TokenPayload:
        """Every claim of the verified token."""
        return self._payload

    @property
    def id(self) -> str:
        """The user's ID (the token's `sub`)."""
        return self._payload.sub

    @property
    def user_id(self) -> str:
        """The same as `id` (the token's `sub`)."""
        return self._payload.sub

    @property
    def org_id(self) -> str | None:
        """The organization the token was issued for, if any."""
        return self._payload.org_id

    @property
    def org_role(self) -> str | None:
        """The caller's role in that organization, if any."""
        return self._payload.org_role

    @property
    def session_id(self) -> str | None:
        """The session the token belongs to (`sid`)."""
        return self._payload.sid

    @property
    def email(self) -> str:
        """The email address: the token's claim, else fetched."""
        claimed = self._payload.email
        return claimed if claimed is not None else self.profile().email

    @property
    def email_verified(self) -> bool:
        """Whether the address is verified: the token's claim, else fetched."""
        claimed = self._payload.email_verified
        return claimed if claimed is not None else self.profile().email_verified

    # Fetched when first read ------------------------------------------------------------------------------------

    @property
    def status(self) -> str:
        """`active`, `suspended`, ... (fetched)."""
        return self.profile().status

    @property
    def first_name(self) -> str | None:
        """First name (fetched)."""
        return self.profile().first_name

    @property
    def last_name(self) -> str | None:
        """Last name (fetched)."""
        return self.profile().last_name

    @property
    def avatar_url(self) -> str | None:
        """Avatar URL (fetched)."""
        return self.profile().avatar_url

    @property
    def metadata(self) -> dict[str, Any]:
        """Your metadata on the user (fetched)."""
        return self.profile().metadata

    @property
    def created_at(self) -> dt.datetime | None:
        """When the user was created (fetched)."""
        return self.profile().created_at

    @property
    def updated_at(self) -> dt.datetime | None:
        """When the user was last changed (fetched)."""
        return self.profile().updated_at

    @property
    def last_login_at(self) -> dt.datetime | None:
        """When the user last logged in (fetched)."""
        return self.profile().last_login_at

    @property
    def request_id(self) -> str | None:
        """The request ID of the fetch, once one was made (reading it fetches nothing)."""
        loaded: User | None = self._loaded
        return None if loaded is None else loaded.request_id

    def __repr__(self) -> str:
        return f"VaultUser(id={self.id!r}, org_id={self.org_id!r}, org_role={self.org_role!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, VaultUser) and other._payload == self._payload

    def __hash__(self) -> int:
        return hash((self._payload.sub, self._payload.sid, self._payload.iat))


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
            if self._async is not None:  # the same service and key as the async client the app passed in
                config = self._async._http.config
                self._sync = VaultAuth(api_key=config.api_key.reveal(), base_url=config.base_url)
            else:
                self._sync = VaultAuth(api_key=self._api_key, base_url=self._base_url)
        return self._sync

    def load_profile(self, user_id: str) -> User:
        """A user's full record, for what a `VaultUser`'s token does not carry (blocking: one call to Vault)."""
        return self.sync_client.users.get(user_id)

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
            user = VaultUser.from_payload(client.verify_token_locally(token), self.load_profile)
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
            user = VaultUser.from_payload(await client.verify_token_locally(token), self.load_profile)
        except VaultAuthError as exc:
            raise problem_for(exc) from None
        self._cache.put(values[0], user, client._keys.generation)
        return user
