"""Typed models the Vault Auth SDK returns, built from the generated client's parsed responses.

Optional wire fields are plain `None` here (never the generator's `Unset`), times are aware `datetime`s, and each
model keeps the `request_id` of the call that fetched it (`model.request_id`, not part of equality).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

import attrs
from vault_api import types as api_types

from sdk_runtime import Page
from sdk_runtime.serialisation import Serialisable

T = TypeVar("T")

__all__ = ["JWK", "JWKS", "Organization", "OrganizationMembership", "Page", "Session", "TokenPayload", "User"]


def _opt(value: T | api_types.Unset | None) -> T | None:
    return None if isinstance(value, api_types.Unset) else value


def _meta(value: Any) -> dict[str, Any]:
    return dict(value.additional_properties) if value is not None and not isinstance(value, api_types.Unset) else {}


@attrs.frozen
class User(Serialisable):
    """A Vault user."""

    id: str
    email: str
    email_verified: bool = False
    status: str = "active"
    first_name: str | None = None
    last_name: str | None = None
    avatar_url: str | None = None
    metadata: dict[str, Any] = attrs.field(factory=dict)
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    last_login_at: dt.datetime | None = None
    request_id: str | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def full_name(self) -> str | None:
        """First and last name joined, or None when neither is set."""
        name = " ".join(part for part in (self.first_name, self.last_name) if part)
        return name or None

    @classmethod
    def from_api(cls, model: Any, request_id: str | None = None) -> User:
        """From a generated `vault_api.models.User`."""
        return cls(
            id=model.id,
            email=model.email,
            email_verified=model.email_verified,
            status=str(model.status),
            first_name=_opt(model.first_name),
            last_name=_opt(model.last_name),
            avatar_url=_opt(model.avatar_url),
            metadata=_meta(model.metadata),
            created_at=model.created_at,
            updated_at=model.updated_at,
            last_login_at=_opt(model.last_login_at),
            request_id=request_id,
        )


@attrs.frozen
class Organization(Serialisable):
    """A Vault organization."""

    id: str
    name: str
    slug: str
    status: str = "active"
    metadata: dict[str, Any] = attrs.field(factory=dict)
    created_at: dt.datetime | None = None
    updated_at: dt.datetime | None = None
    request_id: str | None = attrs.field(default=None, eq=False, repr=False)

    @classmethod
    def from_api(cls, model: Any, request_id: str | None = None) -> Organization:
        """From a generated `vault_api.models.Organization`."""
        return cls(
            id=model.id,
            name=model.name,
            slug=model.slug,
            status=str(model.status),
            metadata=_meta(model.metadata),
            created_at=model.created_at,
            updated_at=model.updated_at,
            request_id=request_id,
        )


@attrs.frozen
class OrganizationMembership(Serialisable):
    """A user's membership of an organization, with the organization itself when Vault includes it."""

    id: str
    user_id: str
    organization_id: str
    role: str = "member"
    joined_at: dt.datetime | None = None
    organization: Organization | None = None
    request_id: str | None = attrs.field(default=None, eq=False, repr=False)

    @classmethod
    def from_api(cls, model: Any, request_id: str | None = None) -> OrganizationMembership:
        """From a generated `vault_api.models.Membership`."""
        organization = _opt(model.organization)
        return cls(
            id=model.id,
            user_id=model.user_id,
            organization_id=model.organization_id,
            role=str(model.role),
            joined_at=model.joined_at,
            organization=Organization.from_api(organization, request_id) if organization is not None else None,
            request_id=request_id,
        )


@attrs.frozen
class Session(Serialisable):
    """A login session; tokens minted for it stop verifying once it is revoked."""

    id: str
    user_id: str
    ip_address: str | None = None
    user_agent: str | None = None
    created_at: dt.datetime | None = None
    expires_at: dt.datetime | None = None
    last_used_at: dt.datetime | None = None
    revoked_at: dt.datetime | None = None
    request_id: str | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def is_active(self) -> bool:
        """Neither revoked nor expired."""
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > dt.datetime.now(dt.UTC)

    @classmethod
    def from_api(cls, model: Any, request_id: str | None = None) -> Session:
        """From a generated `vault_api.models.Session`."""
        return cls(
            id=model.id,
            user_id=model.user_id,
            ip_address=_opt(model.ip_address),
            user_agent=_opt(model.user_agent),
            created_at=model.created_at,
            expires_at=model.expires_at,
            last_used_at=_opt(model.last_used_at),
            revoked_at=_opt(model.revoked_at),
            request_id=request_id,
        )


@attrs.frozen
class TokenPayload(Serialisable):
    """The claims of a Vault access token."""

    sub: str
    exp: int
    iat: int
    iss: str | None = None
    aud: str | list[str] | None = None
    jti: str | None = None
    email: str | None = None
    email_verified: bool | None = None
    org_id: str | None = None
    org_role: str | None = None
    sid: str | None = None
    extra: dict[str, Any] = attrs.field(factory=dict, eq=False, metadata={"serialise": False})

    def to_dict(self) -> dict[str, Any]:
        """The token's claims as a dict: the named ones, then every other claim it carries (`extra`)."""
        return {**super().to_dict(), **self.extra}

    @property
    def user_id(self) -> str:
        """The user the token was issued to (`sub`)."""
        return self.sub


@attrs.frozen
class JWK(Serialisable):
    """One public key of the JWKS."""

    kty: str
    kid: str
    alg: str | None = None
    use: str | None = None
    n: str | None = None
    e: str | None = None
    crv: str | None = None
    x: str | None = None
    y: str | None = None

    def to_dict(self) -> dict[str, str]:
        """The JWK as JSON, without absent members."""
        return {k: v for k, v in attrs.asdict(self).items() if v is not None}


@attrs.frozen
class JWKS(Serialisable):
    """The key set Vault signs access tokens with."""

    keys: list[JWK]
    request_id: str | None = attrs.field(default=None, eq=False, repr=False)

    @classmethod
    def from_api(cls, model: Any, request_id: str | None = None) -> JWKS:
        """From a generated `vault_api.models.JWKS`."""
        fields = ("alg", "use", "n", "e", "crv", "x", "y")
        keys = [JWK(kty=k.kty, kid=k.kid, **{f: _opt(getattr(k, f)) for f in fields}) for k in model.keys]
        return cls(keys=keys, request_id=request_id)
