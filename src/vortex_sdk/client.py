"""`Vortex`: the seed's client. Async methods with `_sync` twins, JWT minting, `with` and `async with`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from types import TracebackType
from typing import Any, Self, TypeVar

import httpx

from sdk_runtime import AsyncAPIClient, AuthScheme, ClientConfig, Operation, SyncAPIClient
from sdk_runtime import ConfigurationError as RuntimeConfigurationError

from . import operations as ops
from ._version import __version__
from .awaitable import AsyncCall
from .errors import ConfigurationError, VortexErrorFactory
from .jwt import SigningKey, mint, parse_api_key
from .types import Invitation, InvitationTarget, User

T = TypeVar("T")
DEFAULT_BASE_URL = "https://api.vortexsoftware.com/api/v1"
API_KEY_ENV = "VORTEX_API_KEY"
SDK_NAME = "vortex-python-sdk"
ERRORS = VortexErrorFactory()


def build_config(
    api_key: str | None, base_url: str, timeout: float, max_retries: int, retry_delay: float, request_id: str | None
) -> tuple[ClientConfig, SigningKey]:
    """Validate the options and the key's format; raise `ConfigurationError` (a `ValueError`) naming the problem."""
    try:
        config = ClientConfig.create(
            api_key=api_key, api_key_env=API_KEY_ENV, base_url=base_url, sdk_name=SDK_NAME, sdk_version=__version__,
            timeout=timeout, max_retries=max_retries, retry_delay=retry_delay, request_id=request_id,
            auth=AuthScheme(header="x-api-key", prefix=None), logger_name="vortex_sdk",
            default_headers={"x-vortex-sdk-name": SDK_NAME, "x-vortex-sdk-version": __version__},
        )  # fmt: skip
        signing_key = parse_api_key(config.api_key.reveal())
    except (RuntimeConfigurationError, ValueError) as exc:
        raise ConfigurationError(getattr(exc, "message", str(exc))) from None
    return config, signing_key


class Vortex:
    """The Vortex client: invitations (async methods, each with a `_sync` twin) and JWTs for the Vortex widget.

    Args:
        api_key: Your API key, `VRTX.<encodedId>.<key>`; read from `VORTEX_API_KEY` when not passed. A malformed
            key raises `ConfigurationError` (a `ValueError`) here, with the upstream SDK's messages.
        base_url: The API root.
        timeout: Per-attempt timeout in seconds (connect capped at 5 s).
        max_retries: Retries after the first attempt, for connection errors, timeouts, 408, 429 and 5xx. POSTs
            carry an `Idempotency-Key`, so retrying them is safe.
        retry_delay: Base delay before a retry, doubled each time (with jitter, capped); `Retry-After` wins.
        request_id: Sent as `X-Request-ID` on every request, for tracing.
        http_client: An `httpx.Client` for the `_sync` methods (never closed by us).
        async_http_client: An `httpx.AsyncClient` for the async methods (never closed by us).
    """

    def __init__(
        self,
        api_key: str | None = None,
        base_url: str = DEFAULT_BASE_URL,
        *,
        timeout: float = 30.0,
        max_retries: int = 2,
        retry_delay: float = 0.5,
        request_id: str | None = None,
        http_client: httpx.Client | None = None,
        async_http_client: httpx.AsyncClient | None = None,
    ) -> None:
        config, self._signing_key = build_config(api_key, base_url, timeout, max_retries, retry_delay, request_id)
        self._config = config
        self._http_client = http_client
        self._async_http_client = async_http_client

    @property
    def base_url(self) -> str:
        """The API root requests go to."""
        return self._config.base_url

    def __repr__(self) -> str:
        return f"Vortex(base_url={self.base_url!r}, api_key={self._config.api_key!r})"

    @cached_property
    def _sync_http(self) -> SyncAPIClient:
        return SyncAPIClient(self._config, errors=ERRORS, http_client=self._http_client)

    @cached_property
    def _async_http(self) -> AsyncAPIClient:
        return AsyncAPIClient(self._config, errors=ERRORS, http_client=self._async_http_client)

    def with_options(self, **changes: Any) -> Self:
        """A client sharing this one's connection pools, with some options changed (`timeout`, `max_retries`, ...)."""
        try:
            config = self._config.replace(**changes)
        except RuntimeConfigurationError as exc:
            raise ConfigurationError(exc.message) from None
        clone = object.__new__(type(self))
        clone.__dict__.update({k: v for k, v in self.__dict__.items() if k not in ("_sync_http", "_async_http")})
        clone._config = config
        clone.__dict__["_sync_http"] = self._sync_http.with_options(**changes)
        clone.__dict__["_async_http"] = self._async_http.with_options(**changes)
        return clone

    # JWT -------------------------------------------------------------------------------------------------------

    def generate_jwt(self, user: User | Mapping[str, Any], *, expires_in: int | str | None = None, **extra: Any) -> str:
        """A signed JWT for `user` (a `User` or a dict) for the Vortex widget, byte-compatible with the upstream SDK.

        `extra` keywords (`componentId`, `scope`, `scopeType`, ...) are added to the payload after the user's own
        claims and extras. The token lives `expires_in` (seconds, or `"5m"`, `"1h"`, `"7d"`; one hour by default).
        """
        return mint(self._signing_key, user, extra, expires_in)

    # Running operations ----------------------------------------------------------------------------------------

    def _sync(self, op: Operation[T]) -> T:
        return op.answer(self._sync_http.request(op.call), ERRORS)

    async def _run_async(self, op: Operation[T]) -> T:
        return op.answer(await self._async_http.request(op.call), ERRORS)

    def _async(self, method: str, op: Operation[T]) -> AsyncCall[T]:
        return AsyncCall(self._run_async(op), method)

    # Invitations (async, then the `_sync` twin) ----------------------------------------------------------------

    def get_invitations_by_target(self, target_type: str, target_value: str) -> AsyncCall[list[Invitation]]:
        """Invitations sent to a target: `target_type` is `email`, `username` or `phoneNumber`."""
        return self._async("get_invitations_by_target", ops.get_invitations_by_target(target_type, target_value))

    def get_invitations_by_target_sync(self, target_type: str, target_value: str) -> list[Invitation]:
        """Invitations sent to a target (sync)."""
        return self._sync(ops.get_invitations_by_target(target_type, target_value))

    def get_invitation(self, invitation_id: str) -> AsyncCall[Invitation]:
        """One invitation by ID; `VortexNotFoundError` when there is none."""
        return self._async("get_invitation", ops.get_invitation(invitation_id))

    def get_invitation_sync(self, invitation_id: str) -> Invitation:
        """One invitation by ID (sync)."""
        return self._sync(ops.get_invitation(invitation_id))

    def revoke_invitation(self, invitation_id: str) -> AsyncCall[dict[str, Any]]:
        """Revoke an invitation so it can no longer be accepted; returns `{}`."""
        return self._async("revoke_invitation", ops.revoke_invitation(invitation_id))

    def revoke_invitation_sync(self, invitation_id: str) -> dict[str, Any]:
        """Revoke an invitation (sync); returns `{}`."""
        return self._sync(ops.revoke_invitation(invitation_id))

    def accept_invitations(
        self, invitation_ids: Sequence[str], target: InvitationTarget | Mapping[str, Any] | None
    ) -> AsyncCall[dict[str, Any]]:
        """Mark invitations accepted by `target` (`{"type": "email", "value": ...}`); returns the service's answer.

        All or nothing on the service's side. This only records the acceptance in Vortex: grant the memberships
        the invitations' `groups` stand for in your own database. No ids or no target raises `ValueError` at once.
        """
        return self._async("accept_invitations", ops.accept_invitations(invitation_ids, target))

    def accept_invitations_sync(
        self, invitation_ids: Sequence[str], target: InvitationTarget | Mapping[str, Any] | None
    ) -> dict[str, Any]:
        """Mark invitations accepted by `target` (sync); see `accept_invitations`."""
        return self._sync(ops.accept_invitations(invitation_ids, target))

    def get_invitations_by_group(self, group_type: str, group_id: str) -> AsyncCall[list[Invitation]]:
        """Invitations to one of your groups (`group_type` such as `team`, and your `group_id`)."""
        return self._async("get_invitations_by_group", ops.get_invitations_by_group(group_type, group_id))

    def get_invitations_by_group_sync(self, group_type: str, group_id: str) -> list[Invitation]:
        """Invitations to one of your groups (sync)."""
        return self._sync(ops.get_invitations_by_group(group_type, group_id))

    def delete_invitations_by_group(self, group_type: str, group_id: str) -> AsyncCall[dict[str, Any]]:
        """Delete every invitation to one of your groups; returns `{}`."""
        return self._async("delete_invitations_by_group", ops.delete_invitations_by_group(group_type, group_id))

    def delete_invitations_by_group_sync(self, group_type: str, group_id: str) -> dict[str, Any]:
        """Delete every invitation to one of your groups (sync); returns `{}`."""
        return self._sync(ops.delete_invitations_by_group(group_type, group_id))

    def reinvite(self, invitation_id: str) -> AsyncCall[Invitation]:
        """Send an invitation again; returns it with its delivery count raised."""
        return self._async("reinvite", ops.reinvite(invitation_id))

    def reinvite_sync(self, invitation_id: str) -> Invitation:
        """Send an invitation again (sync)."""
        return self._sync(ops.reinvite(invitation_id))

    # Lifecycle ---------------------------------------------------------------------------------------------------

    def close_sync(self) -> None:
        """Release the sync connection pool (unless it was passed in). `with Vortex(...)` calls this."""
        if "_sync_http" in self.__dict__:
            self._sync_http.close()

    async def close(self) -> None:
        """Release both connection pools (unless passed in). `async with Vortex(...)` calls this."""
        if "_async_http" in self.__dict__:
            await self._async_http.aclose()
        self.close_sync()

    async def aclose(self) -> None:
        """The same as `close()`, under httpx's name."""
        await self.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close_sync()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()
