"""`vault.organizations`: organizations and their members."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Unpack

from sdk_runtime import AsyncPaginator, Page, RequestOptionsArgs, accepts_request_options

from . import operations as ops
from .types import Organization, OrganizationMembership

# Aliases: inside the classes, `list` names the list() method, not the builtin.
MembershipList = list[OrganizationMembership]

if TYPE_CHECKING:
    from sdk_runtime import RequestOptions

    from .client import AsyncVaultAuth, VaultAuth


class Organizations:
    """Organization management (sync). Reach it as `vault.organizations`."""

    def __init__(self, client: VaultAuth) -> None:
        self._client = client

    @accepts_request_options
    def create(
        self,
        name: str,
        slug: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> Organization:
        """Create an organization; the slug is derived from the name when not given."""
        return self._client.run(ops.organizations_create(name, slug, metadata))

    @accepts_request_options
    def get(
        self, org_id: str, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> Organization:
        """The organization with this ID."""
        return self._client.run(ops.organizations_get(org_id))

    @accepts_request_options
    def get_by_slug(
        self, slug: str, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> Organization:
        """The organization with this slug."""
        return self._client.run(ops.organizations_get_by_slug(slug))

    @accepts_request_options
    def list(
        self,
        page: int = 1,
        per_page: int = 20,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> Page[Organization]:
        """One page of organizations; iterate the page itself to walk every organization."""
        facts: ops.PageFacts[Any] = self._client.run(ops.organizations_list(page, per_page))
        return facts.to_page(fetch=lambda n: self.list(n, per_page))

    @accepts_request_options
    def update(
        self,
        org_id: str,
        name: str | None = None,
        slug: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> Organization:
        """Change only the fields given; returns the updated organization."""
        return self._client.run(ops.organizations_update(org_id, name, slug, metadata))

    @accepts_request_options
    def delete(
        self, org_id: str, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> None:
        """Delete an organization and its memberships."""
        self._client.run(ops.organizations_delete(org_id))

    @accepts_request_options
    def add_member(
        self,
        org_id: str,
        user_id: str,
        role: str = "member",
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> OrganizationMembership:
        """Add a user with a role (`owner`, `admin` or `member`)."""
        return self._client.run(ops.organizations_add_member(org_id, user_id, role))

    @accepts_request_options
    def update_member_role(
        self,
        org_id: str,
        user_id: str,
        role: str,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> OrganizationMembership:
        """Change a member's role."""
        return self._client.run(ops.organizations_update_member_role(org_id, user_id, role))

    @accepts_request_options
    def remove_member(
        self,
        org_id: str,
        user_id: str,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> None:
        """Remove a user from the organization."""
        self._client.run(ops.organizations_remove_member(org_id, user_id))

    @accepts_request_options
    def get_members(
        self, org_id: str, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> MembershipList:
        """The organization's memberships."""
        return self._client.run(ops.organizations_members(org_id))


class AsyncOrganizations:
    """Organization management (async): the same methods as `Organizations`, awaitable."""

    def __init__(self, client: AsyncVaultAuth) -> None:
        self._client = client

    @accepts_request_options
    async def create(
        self,
        name: str,
        slug: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> Organization:
        """Create an organization; the slug is derived from the name when not given."""
        return await self._client.run(ops.organizations_create(name, slug, metadata))

    @accepts_request_options
    async def get(
        self, org_id: str, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> Organization:
        """The organization with this ID."""
        return await self._client.run(ops.organizations_get(org_id))

    @accepts_request_options
    async def get_by_slug(
        self, slug: str, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> Organization:
        """The organization with this slug."""
        return await self._client.run(ops.organizations_get_by_slug(slug))

    @accepts_request_options
    def list(
        self,
        page: int = 1,
        per_page: int = 20,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> AsyncPaginator[Organization]:
        """`await` it for one page, or `async for` over it to walk every organization."""
        return AsyncPaginator(lambda: self._page(page, per_page))

    async def _page(self, page: int, per_page: int) -> Page[Organization]:
        facts: ops.PageFacts[Any] = await self._client.run(ops.organizations_list(page, per_page))
        return facts.to_page(afetch=lambda n: self._page(n, per_page))

    @accepts_request_options
    async def update(
        self,
        org_id: str,
        name: str | None = None,
        slug: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> Organization:
        """Change only the fields given; returns the updated organization."""
        return await self._client.run(ops.organizations_update(org_id, name, slug, metadata))

    @accepts_request_options
    async def delete(
        self, org_id: str, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> None:
        """Delete an organization and its memberships."""
        await self._client.run(ops.organizations_delete(org_id))

    @accepts_request_options
    async def add_member(
        self,
        org_id: str,
        user_id: str,
        role: str = "member",
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> OrganizationMembership:
        """Add a user with a role (`owner`, `admin` or `member`)."""
        return await self._client.run(ops.organizations_add_member(org_id, user_id, role))

    @accepts_request_options
    async def update_member_role(
        self,
        org_id: str,
        user_id: str,
        role: str,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> OrganizationMembership:
        """Change a member's role."""
        return await self._client.run(ops.organizations_update_member_role(org_id, user_id, role))

    @accepts_request_options
    async def remove_member(
        self,
        org_id: str,
        user_id: str,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> None:
        """Remove a user from the organization."""
        await self._client.run(ops.organizations_remove_member(org_id, user_id))

    @accepts_request_options
    async def get_members(
        self, org_id: str, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> MembershipList:
        """The organization's memberships."""
        return await self._client.run(ops.organizations_members(org_id))
