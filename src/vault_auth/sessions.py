"""`vault.sessions`: read and revoke login sessions."""

from __future__ import annotations

from typing import TYPE_CHECKING, Unpack

from sdk_runtime import RequestOptionsArgs, accepts_request_options

from . import operations as ops
from .types import Session

if TYPE_CHECKING:
    from sdk_runtime import RequestOptions

    from .client import AsyncVaultAuth, VaultAuth


class Sessions:
    """Session management (sync). Reach it as `vault.sessions`."""

    def __init__(self, client: VaultAuth) -> None:
        self._client = client

    @accepts_request_options
    def get(
        self, session_id: str, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> Session:
        """The session with this ID."""
        return self._client.run(ops.sessions_get(session_id))

    @accepts_request_options
    def revoke(
        self, session_id: str, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> None:
        """Revoke a session: tokens minted for it stop verifying (on this client at once). Revoking twice is fine."""
        try:
            self._client.run(ops.sessions_revoke(session_id))
        finally:
            self._client._verified.forget_session(session_id)

    @accepts_request_options
    def revoke_all_user_sessions(
        self, user_id: str, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> int:
        """Revoke every active session of a user; returns how many were revoked."""
        try:
            return self._client.run(ops.sessions_revoke_all(user_id))
        finally:
            self._client._verified.forget_user(user_id)


class AsyncSessions:
    """Session management (async): the same methods as `Sessions`, awaitable."""

    def __init__(self, client: AsyncVaultAuth) -> None:
        self._client = client

    @accepts_request_options
    async def get(
        self, session_id: str, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> Session:
        """The session with this ID."""
        return await self._client.run(ops.sessions_get(session_id))

    @accepts_request_options
    async def revoke(
        self, session_id: str, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> None:
        """Revoke a session: tokens minted for it stop verifying (on this client at once)."""
        try:
            await self._client.run(ops.sessions_revoke(session_id))
        finally:
            self._client._verified.forget_session(session_id)

    @accepts_request_options
    async def revoke_all_user_sessions(
        self, user_id: str, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> int:
        """Revoke every active session of a user; returns how many were revoked."""
        try:
            return await self._client.run(ops.sessions_revoke_all(user_id))
        finally:
            self._client._verified.forget_user(user_id)
