"""`Vortex`: the guide's client. Async methods with `_sync` twins, JWT minting, `with` and `async with`."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self, TypeVar, Unpack

from sdk_runtime import (
    AsyncAPIClient,
    AuthScheme,
    ClientConfig,
    Operation,
    RequestOptionsArgs,
    SyncAPIClient,
    accepts_request_options,
    resolve_endpoint,
)
from sdk_runtime import ConfigurationError as RuntimeConfigurationError
from sdk_runtime.call_proxies import CallViews
from sdk_runtime.config import validate_http_client
from sdk_runtime.lazy_module import LazyModule
from sdk_runtime.option_keywords import CapturedOptions, captured_options, options_context

from ._version import __version__
from .awaitable import AsyncCall
from .errors import ConfigurationError, VortexErrorFactory, VortexValidationError
from .jwt import SigningKey, mint, mint_token, parse_api_key, sign_user
from .types import (
    AcceptUser,
    AutojoinDomainsResponse,
    CreateInvitationResponse,
    Invitation,
    InvitationTarget,
    SyncInternalInvitationResponse,
    User,
)

if TYPE_CHECKING:
    import httpx  # the HTTP stack is imported on the first request, not with the SDK

    from sdk_runtime import RequestOptions

    from . import operations as ops
else:
    ops = LazyModule(__name__, ".operations")  # the generated endpoints load on the first call

T = TypeVar("T")
DEFAULT_BASE_URL = "https://api.vortexsoftware.com/api/v1"
API_KEY_ENV = "VORTEX_API_KEY"
BASE_URL_ENV = "VORTEX_BASE_URL"
SDK_NAME = "vortex-python-sdk"
API_KEY_HINT = (
    "Copy your key from the Vortex dashboard; in tests, use the local Vortex sandbox's key: the `vortex_sandbox` "
    "pytest fixture's `.api_key` (or the ready `vortex_client` / `vortex_sync_client` fixtures), or the "
    "`export VORTEX_API_KEY=...` line `python -m sdk_sandbox serve --api vortex` prints"
)
ERRORS = VortexErrorFactory()


def build_config(
    api_key: str | None,
    base_url: str | None,
    timeout: float,
    max_retries: int,
    retry_delay: float,
    request_id: str | None,
    http_client: object = None,
    async_http_client: object = None,
) -> tuple[ClientConfig, SigningKey]:
    """Validate the options and the key's format; raise `ConfigurationError` (a `ValueError`) naming the problem.

    Key and URL follow the family's rule: argument > Django setting > environment (`VORTEX_API_KEY`,
    `VORTEX_BASE_URL`) > default.
    """
    try:
        endpoint = resolve_endpoint(
            api_key, base_url, api_key_name=API_KEY_ENV, base_url_name=BASE_URL_ENV, default_base_url=DEFAULT_BASE_URL
        )
        config = ClientConfig.create(
            api_key=endpoint.api_key, api_key_env=API_KEY_ENV, base_url=endpoint.base_url, sdk_name=SDK_NAME,
            sdk_version=__version__, timeout=timeout, max_retries=max_retries, retry_delay=retry_delay,
            request_id=request_id, auth=AuthScheme(header="x-api-key", prefix=None), logger_name="vortex_sdk",
            log_env="VORTEX_LOG",
            default_headers={"x-vortex-sdk-name": SDK_NAME, "x-vortex-sdk-version": __version__},
        )  # fmt: skip
        validate_http_client(http_client, "Client")
        validate_http_client(async_http_client, "AsyncClient", "async_http_client")
        signing_key = parse_api_key(config.api_key.reveal())
    except RuntimeConfigurationError as exc:
        raise ConfigurationError(exc.message) from None
    except ValueError as exc:  # the key's format, in upstream's words, and how to get a key that works
        raise ConfigurationError(f"{exc}. {API_KEY_HINT}") from None
    return config, signing_key


def _one_of(
    user_or_target: ops.Acceptor | None, target: ops.Acceptor | None, user: ops.Acceptor | None
) -> ops.Acceptor | None:
    given = [x for x in (user_or_target, target, user) if x is not None]
    if len(given) > 1:
        raise VortexValidationError("pass one of user_or_target, target= or user=")
    return given[0] if given else None


def _signed(sign: Callable[[], str]) -> str:
    """Run a local signing call; bad input (a user without `id`, a bad `expires_in`, claims that are not JSON)
    becomes `VortexValidationError`, so `except VortexApiError` (the guide's handler) catches it too. A `user` that
    is neither a `User` nor a dict stays a `TypeError`: that is a bug in the calling code, not bad input."""
    try:
        return sign()
    except VortexValidationError:
        raise
    except ValueError as exc:
        raise VortexValidationError(str(exc)) from None


class Vortex(CallViews):
    """The Vortex client: invitations (async methods, each with a `_sync` twin) and JWTs for the Vortex widget.

    Args:
        api_key: Your API key, `VRTX.<encodedId>.<key>`; when not passed, Django's `settings.VORTEX_API_KEY` (if
            Django is configured), else the `VORTEX_API_KEY` environment variable. A malformed key raises
            `ConfigurationError` (a `ValueError`) here, with the upstream SDK's messages.
        base_url: The API root; when not passed, `settings.VORTEX_BASE_URL`, else `VORTEX_BASE_URL`, else
            production.
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
        base_url: str | None = None,
        *,
        timeout: float = 30.0,
        max_retries: int = 2,
        retry_delay: float = 0.5,
        request_id: str | None = None,
        http_client: httpx.Client | None = None,
        async_http_client: httpx.AsyncClient | None = None,
    ) -> None:
        config, self._signing_key = build_config(
            api_key, base_url, timeout, max_retries, retry_delay, request_id, http_client, async_http_client
        )
        self._config = config
        # Both runtime clients are made now (cheap: each pool is made on first use, once, under a lock), so that
        # threads sharing this client never race to make them.
        self._sync_http = SyncAPIClient(config, errors=ERRORS, http_client=http_client)
        self._async_http = AsyncAPIClient(config, errors=ERRORS, http_client=async_http_client)

    def _refused_options(self, error: RuntimeConfigurationError) -> Exception:
        return ConfigurationError(error.message)

    @property
    def base_url(self) -> str:
        """The API root requests go to."""
        return self._config.base_url

    def __repr__(self) -> str:
        return f"Vortex(base_url={self.base_url!r}, api_key={self._config.api_key!r})"

    def with_options(self, **changes: Any) -> Self:
        """A client sharing this one's connection pools, with some options changed (`timeout`, `max_retries`, ...)."""
        try:
            config = self._config.replace(**changes)
        except RuntimeConfigurationError as exc:
            raise ConfigurationError(exc.message) from None
        clone = object.__new__(type(self))
        clone.__dict__.update({k: v for k, v in self.__dict__.items() if k not in ("_sync_http", "_async_http")})
        clone._config = config
        clone._sync_http = self._sync_http.with_options(**changes)
        clone._async_http = self._async_http.with_options(**changes)
        return clone

    # JWT -------------------------------------------------------------------------------------------------------

    def generate_jwt(self, user: User | Mapping[str, Any], *, expires_in: int | str | None = None, **extra: Any) -> str:
        """A signed JWT for `user` (a `User` or a dict) for the Vortex widget, byte-compatible with the upstream SDK.

        `extra` keywords (`componentId`, `scope`, `scopeType`, ...) are added to the payload after the user's own
        claims and extras. The token lives `expires_in` (seconds, or `"5m"`, `"1h"`, `"7d"`; one hour by default).
        """
        return _signed(lambda: mint(self._signing_key, user, extra, expires_in))

    def generate_token(self, payload: Mapping[str, Any], options: Mapping[str, Any] | None = None) -> str:
        """A signed HS256 JWT of `payload` (`user`, `component`, `scope`, `vars`, ...) plus `iat` and `exp`, as
        upstream 0.19.0 mints it; valid 30 days, or `options={"expires_in": "1h"}` (seconds or `"5m"`, `"7d"`)."""
        return _signed(lambda: mint_token(self._signing_key, payload, options))

    def sign(self, user: User | Mapping[str, Any]) -> str:
        """The `kid:hexDigest` signature of `user` for the component's `signature` prop (prefer `generate_token`)."""
        return _signed(lambda: sign_user(self._signing_key, user))

    # Running operations ----------------------------------------------------------------------------------------

    def _sync(self, op: Operation[T]) -> T:
        return op.answer(self._sync_http.request(op.call), ERRORS)

    async def _run_async(self, op: Operation[T], options: CapturedOptions) -> T:
        with options_context(options):
            return op.answer(await self._async_http.request(op.call), ERRORS)

    def _async(self, method: str, op: Operation[T]) -> AsyncCall[T]:
        # The request is sent when the caller awaits: it takes the call's per-call options along.
        return AsyncCall(self._run_async(op, captured_options()), method)

    # Invitations (async, then the `_sync` twin) ----------------------------------------------------------------

    @accepts_request_options
    def get_invitations_by_target(
        self,
        target_type: str,
        target_value: str,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> AsyncCall[list[Invitation]]:
        """Invitations sent to a target: `target_type` is `email`, `username` or `phoneNumber`."""
        return self._async("get_invitations_by_target", ops.get_invitations_by_target(target_type, target_value))

    @accepts_request_options
    def get_invitations_by_target_sync(
        self,
        target_type: str,
        target_value: str,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> list[Invitation]:
        """Invitations sent to a target (sync)."""
        return self._sync(ops.get_invitations_by_target(target_type, target_value))

    @accepts_request_options
    def get_invitation(
        self,
        invitation_id: str,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> AsyncCall[Invitation]:
        """One invitation by ID; `VortexNotFoundError` when there is none."""
        return self._async("get_invitation", ops.get_invitation(invitation_id))

    @accepts_request_options
    def get_invitation_sync(
        self,
        invitation_id: str,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> Invitation:
        """One invitation by ID (sync)."""
        return self._sync(ops.get_invitation(invitation_id))

    @accepts_request_options
    def revoke_invitation(
        self,
        invitation_id: str,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> AsyncCall[dict[str, Any]]:
        """Revoke an invitation so it can no longer be accepted; returns `{}`."""
        return self._async("revoke_invitation", ops.revoke_invitation(invitation_id))

    @accepts_request_options
    def revoke_invitation_sync(
        self,
        invitation_id: str,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> dict[str, Any]:
        """Revoke an invitation (sync); returns `{}`."""
        return self._sync(ops.revoke_invitation(invitation_id))

    @accepts_request_options
    def accept_invitations(
        self,
        invitation_ids: Sequence[str],
        user_or_target: AcceptUser | InvitationTarget | Mapping[str, Any] | None = None,
        *,
        target: InvitationTarget | Mapping[str, Any] | None = None,
        user: AcceptUser | Mapping[str, Any] | None = None,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> AsyncCall[dict[str, Any]]:
        """Mark invitations accepted by a user (`AcceptUser(email=...)` or `{"email": ...}`); returns the answer.

        All or nothing on the service's side. This only records the acceptance in Vortex: grant the memberships
        the invitations' `groups` stand for in your own database. The guide's `target={"type": "email", "value":
        ...}` still works, with one `DeprecationWarning` (nothing printed). No ids or no user raises
        `VortexValidationError` (a `ValueError`) at once.
        """
        op = ops.accept_invitations(invitation_ids, _one_of(user_or_target, target, user))
        return self._async("accept_invitations", op)

    @accepts_request_options
    def accept_invitations_sync(
        self,
        invitation_ids: Sequence[str],
        user_or_target: AcceptUser | InvitationTarget | Mapping[str, Any] | None = None,
        *,
        target: InvitationTarget | Mapping[str, Any] | None = None,
        user: AcceptUser | Mapping[str, Any] | None = None,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> dict[str, Any]:
        """Mark invitations accepted by a user (sync); see `accept_invitations`."""
        return self._sync(ops.accept_invitations(invitation_ids, _one_of(user_or_target, target, user)))

    @accepts_request_options
    def accept_invitation(
        self,
        invitation_id: str,
        user: AcceptUser | Mapping[str, Any],
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> AsyncCall[dict[str, Any]]:
        """Accept one invitation as `user` (an `AcceptUser` or a dict with `email` or `phone`)."""
        return self._async("accept_invitation", ops.accept_invitations([invitation_id], user))

    @accepts_request_options
    def accept_invitation_sync(
        self,
        invitation_id: str,
        user: AcceptUser | Mapping[str, Any],
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> dict[str, Any]:
        """Accept one invitation as `user` (sync)."""
        return self._sync(ops.accept_invitations([invitation_id], user))

    @accepts_request_options
    def get_invitations_by_scope(
        self,
        scope_type: str,
        scope: str,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> AsyncCall[list[Invitation]]:
        """Invitations to one of your scopes (`scope_type` such as `team`, and your scope's ID)."""
        return self._async("get_invitations_by_scope", ops.get_invitations_by_scope(scope_type, scope))

    @accepts_request_options
    def get_invitations_by_scope_sync(
        self,
        scope_type: str,
        scope: str,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> list[Invitation]:
        """Invitations to one of your scopes (sync)."""
        return self._sync(ops.get_invitations_by_scope(scope_type, scope))

    @accepts_request_options
    def delete_invitations_by_scope(
        self,
        scope_type: str,
        scope: str,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> AsyncCall[dict[str, Any]]:
        """Delete every invitation to one of your scopes; returns `{}`."""
        return self._async("delete_invitations_by_scope", ops.delete_invitations_by_scope(scope_type, scope))

    @accepts_request_options
    def delete_invitations_by_scope_sync(
        self,
        scope_type: str,
        scope: str,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> dict[str, Any]:
        """Delete every invitation to one of your scopes (sync); returns `{}`."""
        return self._sync(ops.delete_invitations_by_scope(scope_type, scope))

    @accepts_request_options
    def get_invitations_by_group(
        self,
        group_type: str,
        group: str,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> AsyncCall[list[Invitation]]:
        """The guide's name of `get_invitations_by_scope` (upstream keeps it, deprecated)."""
        return self._async("get_invitations_by_group", ops.get_invitations_by_scope(group_type, group))

    @accepts_request_options
    def get_invitations_by_group_sync(
        self,
        group_type: str,
        group: str,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> list[Invitation]:
        """The guide's name of `get_invitations_by_scope_sync`."""
        return self._sync(ops.get_invitations_by_scope(group_type, group))

    @accepts_request_options
    def delete_invitations_by_group(
        self,
        group_type: str,
        group: str,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> AsyncCall[dict[str, Any]]:
        """The guide's name of `delete_invitations_by_scope`; returns `{}`."""
        return self._async("delete_invitations_by_group", ops.delete_invitations_by_scope(group_type, group))

    @accepts_request_options
    def delete_invitations_by_group_sync(
        self,
        group_type: str,
        group: str,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> dict[str, Any]:
        """The guide's name of `delete_invitations_by_scope_sync`; returns `{}`."""
        return self._sync(ops.delete_invitations_by_scope(group_type, group))

    @accepts_request_options
    def reinvite(
        self,
        invitation_id: str,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> AsyncCall[Invitation]:
        """Send an invitation again; returns it with its delivery count raised."""
        return self._async("reinvite", ops.reinvite(invitation_id))

    @accepts_request_options
    def reinvite_sync(
        self,
        invitation_id: str,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> Invitation:
        """Send an invitation again (sync)."""
        return self._sync(ops.reinvite(invitation_id))

    @accepts_request_options
    def create_invitation(
        self,
        widget_configuration_id: str,
        target: Mapping[str, Any],
        inviter: Mapping[str, Any],
        groups: Sequence[Mapping[str, Any]] | None = None,
        source: str | None = None,
        template_variables: Mapping[str, str] | None = None,
        metadata: Mapping[str, Any] | None = None,
        scope_id: str | None = None,
        scope_type: str | None = None,
        scope_name: str | None = None,
        scopes: Sequence[Mapping[str, Any]] | None = None,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> AsyncCall[CreateInvitationResponse]:
        """Create an invitation from your backend, without a user JWT.

        `target` is `{"type": "email" | "phone" | "internal", "value": ..., "name"?, "avatar_url"?}`; `inviter`
        is `{"user_id": ..., "user_email"?, "name"?, "avatar_url"?}`; the scopes come from `groups`, else
        `scopes` (`{"type", "group_id", "name"}`), else `scope_id`/`scope_type`/`scope_name`. Keys may be snake_case
        or camelCase. `metadata` reaches your webhooks; `template_variables` the email template.
        """
        op = ops.create_invitation(
            widget_configuration_id, target, inviter, groups, source, template_variables, metadata,
            scope_id, scope_type, scope_name, scopes,
        )  # fmt: skip
        return self._async("create_invitation", op)

    @accepts_request_options
    def create_invitation_sync(
        self,
        widget_configuration_id: str,
        target: Mapping[str, Any],
        inviter: Mapping[str, Any],
        groups: Sequence[Mapping[str, Any]] | None = None,
        source: str | None = None,
        template_variables: Mapping[str, str] | None = None,
        metadata: Mapping[str, Any] | None = None,
        scope_id: str | None = None,
        scope_type: str | None = None,
        scope_name: str | None = None,
        scopes: Sequence[Mapping[str, Any]] | None = None,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> CreateInvitationResponse:
        """Create an invitation from your backend (sync); see `create_invitation`."""
        return self._sync(
            ops.create_invitation(
                widget_configuration_id, target, inviter, groups, source, template_variables, metadata,
                scope_id, scope_type, scope_name, scopes,
            )
        )  # fmt: skip

    @accepts_request_options
    def get_autojoin_domains(
        self,
        scope_type: str,
        scope: str,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> AsyncCall[AutojoinDomainsResponse]:
        """A scope's autojoin domains and its autojoin invitation."""
        return self._async("get_autojoin_domains", ops.get_autojoin_domains(scope_type, scope))

    @accepts_request_options
    def get_autojoin_domains_sync(
        self,
        scope_type: str,
        scope: str,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> AutojoinDomainsResponse:
        """A scope's autojoin domains and its autojoin invitation (sync)."""
        return self._sync(ops.get_autojoin_domains(scope_type, scope))

    @accepts_request_options
    def configure_autojoin(
        self,
        scope: str,
        scope_type: str,
        domains: Sequence[str],
        component_id: str,
        scope_name: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> AsyncCall[AutojoinDomainsResponse]:
        """Let anyone with an email on `domains` join the scope (multi-use invitation); `[]` turns it off."""
        op = ops.configure_autojoin(scope, scope_type, domains, component_id, scope_name, metadata)
        return self._async("configure_autojoin", op)

    @accepts_request_options
    def configure_autojoin_sync(
        self,
        scope: str,
        scope_type: str,
        domains: Sequence[str],
        component_id: str,
        scope_name: str | None = None,
        metadata: Mapping[str, Any] | None = None,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> AutojoinDomainsResponse:
        """Set a scope's autojoin domains (sync); see `configure_autojoin`."""
        return self._sync(ops.configure_autojoin(scope, scope_type, domains, component_id, scope_name, metadata))

    @accepts_request_options
    def sync_internal_invitation(
        self,
        creator_id: str,
        target_value: str,
        action: str,
        component_id: str,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> AsyncCall[SyncInternalInvitationResponse]:
        """Tell Vortex an internal invitation from `creator_id` to `target_value` was `accepted` or `declined`."""
        op = ops.sync_internal_invitation(creator_id, target_value, action, component_id)
        return self._async("sync_internal_invitation", op)

    @accepts_request_options
    def sync_internal_invitation_sync(
        self,
        creator_id: str,
        target_value: str,
        action: str,
        component_id: str,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> SyncInternalInvitationResponse:
        """Tell Vortex an internal invitation was `accepted` or `declined` (sync)."""
        return self._sync(ops.sync_internal_invitation(creator_id, target_value, action, component_id))

    # Lifecycle ---------------------------------------------------------------------------------------------------

    def close_sync(self) -> None:
        """Release the sync connection pool (unless it was passed in). `with Vortex(...)` calls this."""
        self._sync_http.close()

    async def close(self) -> None:
        """Release both connection pools (unless passed in). `async with Vortex(...)` calls this."""
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
