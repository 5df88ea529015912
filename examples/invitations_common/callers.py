"""Who is calling: the bearer token in `Authorization`, checked by Vault, turned into the seed's user dict."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from vault_auth import AsyncVaultAuth, VaultAuth, VaultAuthError
from vortex_sdk import User

from .problems import Problem, bad_request, from_vault, unauthorized

ADMIN_ROLES = frozenset({"owner", "admin"})


@attrs.frozen
class Caller:
    """The authenticated caller: Vault user id and email, and whether their organization role is admin/owner."""

    id: str
    email: str
    is_admin: bool

    def to_vortex_user(self) -> User:
        """The seed's `to_vortex_user`: admins get the `autojoin` admin scope."""
        return User(id=self.id, email=self.email, admin_scopes=["autojoin"] if self.is_admin else None)


def bearer_token(authorization: Sequence[str]) -> str:
    """The token of the one `Authorization: Bearer <token>` header; 401 when absent, 400 when ambiguous."""
    if len(authorization) > 1 or any("," in value for value in authorization):
        raise bad_request("Send exactly one Authorization header")
    scheme, _, token = authorization[0].strip().partition(" ") if authorization else ("", "", "")
    if scheme.lower() != "bearer" or not token.strip():
        raise unauthorized(token_sent=bool(authorization))
    return token.strip()


def _caller(vault: VaultAuth | AsyncVaultAuth, token: str, email: str) -> Caller:
    claims = vault.decode_token(token)  # safe: the token was verified just before
    return Caller(id=claims.sub, email=email, is_admin=claims.org_role in ADMIN_ROLES)


def authenticate(vault: VaultAuth, authorization: Sequence[str]) -> Caller:
    """The caller, after Vault confirmed the token (signature, expiry, session not revoked, user not deleted)."""
    token = bearer_token(authorization)
    try:
        user = vault.verify_token(token)
    except VaultAuthError as exc:
        raise from_vault(exc) from None
    return _caller(vault, token, user.email)


async def authenticate_async(vault: AsyncVaultAuth, authorization: Sequence[str]) -> Caller:
    """`authenticate` for async apps."""
    token = bearer_token(authorization)
    try:
        user = await vault.verify_token(token)
    except VaultAuthError as exc:
        raise from_vault(exc) from None
    return _caller(vault, token, user.email)


def require_admin(caller: Caller) -> None:
    """403 unless the caller is an organization owner or admin (deleting a group's invitations)."""
    if not caller.is_admin:
        raise Problem(403, "Forbidden: organization admins only", "FORBIDDEN")
