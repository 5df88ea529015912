"""Every Vault call once, as pure data: the request to send and how to read its answer.

The sync and async resources only run these (`client.run(op)` / `await client.run(op)`), so argument checks,
request building and response parsing exist once for both.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any, Generic, TypeVar

import attrs
from vault_api.api.auth import get_jwks as api_get_jwks
from vault_api.api.auth import verify_token as api_verify_token
from vault_api.api.organizations import (
    add_organization_member,
    create_organization,
    delete_organization,
    get_organization,
    get_organization_by_slug,
    list_organization_members,
    list_organizations,
    remove_organization_member,
    update_organization,
    update_organization_member_role,
)
from vault_api.api.sessions import get_session, revoke_all_user_sessions, revoke_session
from vault_api.api.system import get_health
from vault_api.api.users import (
    create_user,
    delete_user,
    get_user,
    get_user_by_email,
    list_user_organizations,
    list_user_sessions,
    list_users,
    update_user,
    update_user_password,
)
from vault_api.models import (
    JWKS as ApiJWKS,
)
from vault_api.models import (
    MembershipCreate,
    MembershipEnvelope,
    MembershipRole,
    MembershipRoleUpdate,
    Metadata,
    OrganizationCreate,
    OrganizationEnvelope,
    OrganizationMembersEnvelope,
    OrganizationPageEnvelope,
    OrganizationUpdate,
    PasswordUpdate,
    SessionEnvelope,
    SessionListEnvelope,
    TokenVerifyRequest,
    UserCreate,
    UserEnvelope,
    UserMembershipsEnvelope,
    UserPageEnvelope,
    UserStatus,
    UserUpdate,
)
from vault_api.types import UNSET

from sdk_runtime import APIResponse, Call, Expect, Operation, Page

from .errors import ValidationError
from .types import JWKS, Organization, OrganizationMembership, Session, User

T = TypeVar("T")
ROLES = ("owner", "admin", "member")


@attrs.frozen
class PageFacts(Generic[T]):
    """One page's items and facts, before a client turns them into an iterable `Page`."""

    items: list[T]
    total: int
    page: int
    per_page: int
    has_more: bool
    request_id: str | None

    def to_page(
        self,
        fetch: Callable[[int], Page[T]] | None = None,
        afetch: Callable[[int], Awaitable[Page[T]]] | None = None,
    ) -> Page[T]:
        """The iterable `Page`, fetching further pages with `fetch` (sync) or `afetch` (async)."""
        return Page(
            data=self.items, total=self.total, page=self.page, per_page=self.per_page, has_more=self.has_more,
            request_id=self.request_id, fetch=fetch, afetch=afetch,
        )  # fmt: skip


def _build(kwargs: Callable[[], dict[str, Any]], parse: Callable[[APIResponse], T], expect: Expect) -> Operation[T]:
    """Build the generated request, turning its refusal of a path parameter into a `ValidationError`."""
    try:
        built = kwargs()
    except ValueError as exc:
        raise ValidationError(str(exc), field_errors={"path": [str(exc)]}) from None
    return Operation(Call.from_kwargs(built, expect), parse)


def _nothing(response: APIResponse) -> None:
    return None


def _text(name: str, value: object, max_length: int = 320) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(f"{name} must be a non-empty string", field_errors={name: ["must be a non-empty string"]})
    if len(value) > max_length:
        raise ValidationError(f"{name} is too long", field_errors={name: [f"must be at most {max_length} characters"]})
    return value


def _page_args(page: int, per_page: int) -> None:
    for name, value, high in (("page", page, 100_000), ("per_page", per_page, 100)):
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= high:
            raise ValidationError(f"{name} must be an integer from 1 to {high}", field_errors={name: ["out of range"]})


def _role(role: str) -> MembershipRole:
    if role not in ROLES:
        raise ValidationError(f"role must be one of {', '.join(ROLES)}", field_errors={"role": ["invalid"]})
    return MembershipRole(role)


def _metadata(metadata: Mapping[str, Any] | None) -> Metadata | Any:
    if metadata is None:
        return UNSET
    if not isinstance(metadata, Mapping):
        raise ValidationError("metadata must be a mapping", field_errors={"metadata": ["must be an object"]})
    return Metadata.from_dict(dict(metadata))


def _or_unset(value: Any) -> Any:
    return UNSET if value is None else value


# Parsers ------------------------------------------------------------------------------------------------------------


def _user(response: APIResponse) -> User:
    return User.from_api(UserEnvelope.from_dict(response.data).data, response.request_id)


def _organization(response: APIResponse) -> Organization:
    return Organization.from_api(OrganizationEnvelope.from_dict(response.data).data, response.request_id)


def _membership(response: APIResponse) -> OrganizationMembership:
    return OrganizationMembership.from_api(MembershipEnvelope.from_dict(response.data).data, response.request_id)


def _session(response: APIResponse) -> Session:
    return Session.from_api(SessionEnvelope.from_dict(response.data).data, response.request_id)


# Users -------------------------------------------------------------------------------------------------------------


def users_list(page: int, per_page: int, status: str | None, organization_id: str | None) -> Operation[PageFacts[User]]:
    """GET /api/v1/users."""
    _page_args(page, per_page)

    def parse(response: APIResponse) -> PageFacts[User]:
        body = UserPageEnvelope.from_dict(response.data).data
        users = [User.from_api(u, response.request_id) for u in body.users]
        return PageFacts(users, body.total, body.page, body.per_page, body.has_more, response.request_id)

    return _build(
        lambda: list_users._get_kwargs(
            page=page,
            per_page=per_page,
            status=UserStatus(status) if status is not None else UNSET,
            organization_id=_or_unset(organization_id),
        ),
        parse,
        Expect.JSON,
    )


def users_get(user_id: str) -> Operation[User]:
    """GET /api/v1/users/{user_id}."""
    return _build(lambda: get_user._get_kwargs(_text("user_id", user_id, 64)), _user, Expect.JSON)


def users_get_by_email(email: str) -> Operation[User]:
    """GET /api/v1/users/email/{email}."""
    return _build(lambda: get_user_by_email._get_kwargs(_text("email", email, 254)), _user, Expect.JSON)


def users_create(
    email: str,
    password: str,
    first_name: str | None,
    last_name: str | None,
    email_verified: bool,
    metadata: Mapping[str, Any] | None,
) -> Operation[User]:
    """POST /api/v1/users."""
    body = UserCreate(
        email=_text("email", email, 254),
        password=_text("password", password, 128),
        first_name=_or_unset(first_name),
        last_name=_or_unset(last_name),
        email_verified=email_verified,
        metadata=_metadata(metadata),
    )
    return _build(lambda: create_user._get_kwargs(body=body), _user, Expect.JSON)


def users_update(
    user_id: str,
    first_name: str | None,
    last_name: str | None,
    email: str | None,
    metadata: Mapping[str, Any] | None,
) -> Operation[User]:
    """PATCH /api/v1/users/{user_id} with only the fields given."""
    body = UserUpdate(
        email=_or_unset(email),
        first_name=_or_unset(first_name),
        last_name=_or_unset(last_name),
        metadata=_metadata(metadata),
    )
    return _build(lambda: update_user._get_kwargs(_text("user_id", user_id, 64), body=body), _user, Expect.JSON)


def users_delete(user_id: str) -> Operation[None]:
    """DELETE /api/v1/users/{user_id}."""
    return _build(lambda: delete_user._get_kwargs(_text("user_id", user_id, 64)), _nothing, Expect.NOTHING)


def users_update_password(user_id: str, password: str) -> Operation[None]:
    """PATCH /api/v1/users/{user_id}/password."""
    body = PasswordUpdate(password=_text("password", password, 128))
    return _build(
        lambda: update_user_password._get_kwargs(_text("user_id", user_id, 64), body=body), _nothing, Expect.NOTHING
    )


def users_organizations(user_id: str) -> Operation[list[OrganizationMembership]]:
    """GET /api/v1/users/{user_id}/organizations."""

    def parse(response: APIResponse) -> list[OrganizationMembership]:
        body = UserMembershipsEnvelope.from_dict(response.data).data
        return [OrganizationMembership.from_api(m, response.request_id) for m in body.memberships]

    return _build(lambda: list_user_organizations._get_kwargs(_text("user_id", user_id, 64)), parse, Expect.JSON)


def users_sessions(user_id: str) -> Operation[list[Session]]:
    """GET /api/v1/users/{user_id}/sessions."""

    def parse(response: APIResponse) -> list[Session]:
        body = SessionListEnvelope.from_dict(response.data).data
        return [Session.from_api(s, response.request_id) for s in body.sessions]

    return _build(lambda: list_user_sessions._get_kwargs(_text("user_id", user_id, 64)), parse, Expect.JSON)


# Organizations -----------------------------------------------------------------------------------------------------


def organizations_create(name: str, slug: str | None, metadata: Mapping[str, Any] | None) -> Operation[Organization]:
    """POST /api/v1/organizations."""
    body = OrganizationCreate(name=_text("name", name, 200), slug=_or_unset(slug), metadata=_metadata(metadata))
    return _build(lambda: create_organization._get_kwargs(body=body), _organization, Expect.JSON)


def organizations_get(org_id: str) -> Operation[Organization]:
    """GET /api/v1/organizations/{org_id}."""
    return _build(lambda: get_organization._get_kwargs(_text("org_id", org_id, 64)), _organization, Expect.JSON)


def organizations_get_by_slug(slug: str) -> Operation[Organization]:
    """GET /api/v1/organizations/slug/{slug}."""
    return _build(lambda: get_organization_by_slug._get_kwargs(_text("slug", slug, 64)), _organization, Expect.JSON)


def organizations_list(page: int, per_page: int) -> Operation[PageFacts[Organization]]:
    """GET /api/v1/organizations."""
    _page_args(page, per_page)

    def parse(response: APIResponse) -> PageFacts[Organization]:
        body = OrganizationPageEnvelope.from_dict(response.data).data
        orgs = [Organization.from_api(o, response.request_id) for o in body.organizations]
        return PageFacts(orgs, body.total, body.page, body.per_page, body.has_more, response.request_id)

    return _build(lambda: list_organizations._get_kwargs(page=page, per_page=per_page), parse, Expect.JSON)


def organizations_update(
    org_id: str, name: str | None, slug: str | None, metadata: Mapping[str, Any] | None
) -> Operation[Organization]:
    """PATCH /api/v1/organizations/{org_id} with only the fields given."""
    body = OrganizationUpdate(name=_or_unset(name), slug=_or_unset(slug), metadata=_metadata(metadata))
    return _build(
        lambda: update_organization._get_kwargs(_text("org_id", org_id, 64), body=body), _organization, Expect.JSON
    )


def organizations_delete(org_id: str) -> Operation[None]:
    """DELETE /api/v1/organizations/{org_id}."""
    return _build(lambda: delete_organization._get_kwargs(_text("org_id", org_id, 64)), _nothing, Expect.NOTHING)


def organizations_add_member(org_id: str, user_id: str, role: str) -> Operation[OrganizationMembership]:
    """POST /api/v1/organizations/{org_id}/members."""
    body = MembershipCreate(user_id=_text("user_id", user_id, 64), role=_role(role))
    return _build(
        lambda: add_organization_member._get_kwargs(_text("org_id", org_id, 64), body=body), _membership, Expect.JSON
    )


def organizations_update_member_role(org_id: str, user_id: str, role: str) -> Operation[OrganizationMembership]:
    """PATCH /api/v1/organizations/{org_id}/members/{user_id}."""
    body = MembershipRoleUpdate(role=_role(role))
    return _build(
        lambda: update_organization_member_role._get_kwargs(
            _text("org_id", org_id, 64), _text("user_id", user_id, 64), body=body
        ),
        _membership,
        Expect.JSON,
    )


def organizations_remove_member(org_id: str, user_id: str) -> Operation[None]:
    """DELETE /api/v1/organizations/{org_id}/members/{user_id}."""
    return _build(
        lambda: remove_organization_member._get_kwargs(_text("org_id", org_id, 64), _text("user_id", user_id, 64)),
        _nothing,
        Expect.NOTHING,
    )


def organizations_members(org_id: str) -> Operation[list[OrganizationMembership]]:
    """GET /api/v1/organizations/{org_id}/members."""

    def parse(response: APIResponse) -> list[OrganizationMembership]:
        body = OrganizationMembersEnvelope.from_dict(response.data).data
        return [OrganizationMembership.from_api(m, response.request_id) for m in body.members]

    return _build(lambda: list_organization_members._get_kwargs(_text("org_id", org_id, 64)), parse, Expect.JSON)


# Sessions, tokens, health ------------------------------------------------------------------------------------------


def sessions_get(session_id: str) -> Operation[Session]:
    """GET /api/v1/sessions/{session_id}."""
    return _build(lambda: get_session._get_kwargs(_text("session_id", session_id, 64)), _session, Expect.JSON)


def sessions_revoke(session_id: str) -> Operation[None]:
    """POST /api/v1/sessions/{session_id}/revoke."""
    return _build(lambda: revoke_session._get_kwargs(_text("session_id", session_id, 64)), _nothing, Expect.NOTHING)


def sessions_revoke_all(user_id: str) -> Operation[int]:
    """POST /api/v1/users/{user_id}/sessions/revoke-all; returns how many sessions were revoked."""

    def parse(response: APIResponse) -> int:
        count = response.data["data"]["revoked_count"]
        if not isinstance(count, int):
            raise TypeError("revoked_count is not an integer")
        return count

    return _build(lambda: revoke_all_user_sessions._get_kwargs(_text("user_id", user_id, 64)), parse, Expect.JSON)


def auth_verify(token: str) -> Operation[User]:
    """POST /api/v1/auth/verify."""
    return _build(lambda: api_verify_token._get_kwargs(body=TokenVerifyRequest(token=token)), _user, Expect.JSON)


def jwks_get() -> Operation[JWKS]:
    """GET /.well-known/jwks.json."""

    def parse(response: APIResponse) -> JWKS:
        return JWKS.from_api(ApiJWKS.from_dict(response.data), response.request_id)

    return _build(api_get_jwks._get_kwargs, parse, Expect.JSON)


def health() -> Operation[dict[str, Any]]:
    """GET /health."""

    def parse(response: APIResponse) -> dict[str, Any]:
        return dict(response.data)

    return _build(get_health._get_kwargs, parse, Expect.JSON)
