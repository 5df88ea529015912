"""`vault.users`: list, read, create, update and delete users, their organizations, sessions and password."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Unpack

from sdk_runtime import AsyncPaginator, Page, RequestOptionsArgs, accepts_request_options

from . import operations as ops
from .types import OrganizationMembership, Session, User

# Aliases: inside the classes, `list` names the list() method, not the builtin.
MembershipList = list[OrganizationMembership]
SessionList = list[Session]

if TYPE_CHECKING:
    from sdk_runtime import RequestOptions

    from .client import AsyncVaultAuth, VaultAuth


class Users:
    """User management (sync). Reach it as `vault.users`."""

    def __init__(self, client: VaultAuth) -> None:
        self._client = client

    @accepts_request_options
    def list(
        self,
        page: int = 1,
        per_page: int = 20,
        status: str | None = None,
        organization_id: str | None = None,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> Page[User]:
        """One page of users (`.data`, `.total`, `.has_more`); iterate the page itself to walk every user."""
        facts: ops.PageFacts[Any] = self._client.run(ops.users_list(page, per_page, status, organization_id))
        return facts.to_page(fetch=lambda n: self.list(n, per_page, status, organization_id))

    @accepts_request_options
    def get(
        self, user_id: str, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> User:
        """The user with this ID (`NotFoundError` if there is none)."""
        return self._client.run(ops.users_get(user_id))

    @accepts_request_options
    def get_by_email(
        self, email: str, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> User:
        """The user with this email address, case-insensitively."""
        return self._client.run(ops.users_get_by_email(email))

    @accepts_request_options
    def create(
        self,
        email: str,
        password: str,
        first_name: str | None = None,
        last_name: str | None = None,
        email_verified: bool = False,
        metadata: Mapping[str, Any] | None = None,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> User:
        """Create a user (`ValidationError` for bad fields; `VaultAuthError` with status 409 for a taken email)."""
        return self._client.run(ops.users_create(email, password, first_name, last_name, email_verified, metadata))

    @accepts_request_options
    def update(
        self,
        user_id: str,
        first_name: str | None = None,
        last_name: str | None = None,
        email: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> User:
        """Change only the fields given; returns the updated user."""
        return self._client.run(ops.users_update(user_id, first_name, last_name, email, metadata))

    @accepts_request_options
    def delete(
        self, user_id: str, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> None:
        """Delete a user with their memberships and sessions (their tokens stop verifying on this client at once)."""
        try:
            self._client.run(ops.users_delete(user_id))
        finally:
            self._client._verified.forget_user(user_id)

    @accepts_request_options
    def update_password(
        self,
        user_id: str,
        password: str,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> None:
        """Set a new password; this client asks Vault again about the user's tokens (in case sessions ended)."""
        try:
            self._client.run(ops.users_update_password(user_id, password))
        finally:
            self._client._verified.forget_user(user_id)

    @accepts_request_options
    def get_organizations(
        self, user_id: str, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> MembershipList:
        """The user's memberships, each with its `organization` and `role`."""
        return self._client.run(ops.users_organizations(user_id))

    @accepts_request_options
    def get_sessions(
        self, user_id: str, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> SessionList:
        """The user's sessions, active and revoked (`session.is_active`)."""
        return self._client.run(ops.users_sessions(user_id))


class AsyncUsers:
    """User management (async): the same methods as `Users`, awaitable. Reach it as `vault.users`."""

    def __init__(self, client: AsyncVaultAuth) -> None:
        self._client = client

    @accepts_request_options
    def list(
        self,
        page: int = 1,
        per_page: int = 20,
        status: str | None = None,
        organization_id: str | None = None,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> AsyncPaginator[User]:
        """`await` it for one page, or `async for user in vault.users.list()` to walk every user."""
        return AsyncPaginator(lambda: self._page(page, per_page, status, organization_id))

    async def _page(self, page: int, per_page: int, status: str | None, organization_id: str | None) -> Page[User]:
        facts: ops.PageFacts[Any] = await self._client.run(ops.users_list(page, per_page, status, organization_id))
        return facts.to_page(afetch=lambda n: self._page(n, per_page, status, organization_id))

    @accepts_request_options
    async def get(
        self, user_id: str, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> User:
        """The user with this ID (`NotFoundError` if there is none)."""
        return await self._client.run(ops.users_get(user_id))

    @accepts_request_options
    async def get_by_email(
        self, email: str, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> User:
        """The user with this email address, case-insensitively."""
        return await self._client.run(ops.users_get_by_email(email))

    @accepts_request_options
    async def create(
        self,
        email: str,
        password: str,
        first_name: str | None = None,
        last_name: str | None = None,
        email_verified: bool = False,
        metadata: Mapping[str, Any] | None = None,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> User:
        """Create a user."""
        return await self._client.run(
            ops.users_create(email, password, first_name, last_name, email_verified, metadata)
        )

    @accepts_request_options
    async def update(
        self,
        user_id: str,
        first_name: str | None = None,
        last_name: str | None = None,
        email: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> User:
        """Change only the fields given; returns the updated user."""
        return await self._client.run(ops.users_update(user_id, first_name, last_name, email, metadata))

    @accepts_request_options
    async def delete(
        self, user_id: str, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> None:
        """Delete a user with their memberships and sessions (their tokens stop verifying on this client at once)."""
        try:
            await self._client.run(ops.users_delete(user_id))
        finally:
            self._client._verified.forget_user(user_id)

    @accepts_request_options
    async def update_password(
        self,
        user_id: str,
        password: str,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> None:
        """Set a new password; this client asks Vault again about the user's tokens (in case sessions ended)."""
        try:
            await self._client.run(ops.users_update_password(user_id, password))
        finally:
            self._client._verified.forget_user(user_id)

    @accepts_request_options
    async def get_organizations(
        self, user_id: str, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> MembershipList:
        """The user's memberships, each with its `organization` and `role`."""
        return await self._client.run(ops.users_organizations(user_id))

    @accepts_request_options
    async def get_sessions(
        self, user_id: str, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> SessionList:
        """The user's sessions, active and revoked."""
        return await self._client.run(ops.users_sessions(user_id))
