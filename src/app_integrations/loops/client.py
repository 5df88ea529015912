"""`LoopsClient` and `AsyncLoopsClient`: the guide's Loops client, returning result dicts and never raising.

Both run the calls of `operations.py` through `sdk_runtime` (retries on 429/5xx honouring the rate-limit headers,
finite timeouts, request IDs). Every send carries an Idempotency-Key, so a retried send cannot e-mail twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar, Unpack

from sdk_runtime import RequestOptionsArgs, RequestOptionsArgsWithoutKey, accepts_request_options
from sdk_runtime.lazy_module import LazyModule

from ..service import AsyncServiceClient, ServiceSpec, SyncServiceClient
from . import config
from .types import (
    ApiKeyResult,
    ContactIdResult,
    ContactPropertiesResult,
    ContactsResult,
    DeleteResult,
    MailingListsResult,
    SendResult,
    TransactionalEmailsResult,
)

if TYPE_CHECKING:
    import httpx  # for annotations only: the HTTP stack is imported on the first request

    from sdk_runtime import RequestOptions

    from . import operations as ops
else:
    ops = LazyModule(__name__, ".operations")  # the generated endpoints (and httpx) load on the first call

LOOPS = ServiceSpec(
    name="Loops",
    api_key_setting=config.API_KEY_SETTING,
    base_url_setting=config.BASE_URL_SETTING,
    enabled_setting=config.ENABLED_SETTING,
    default_base_url=config.DEFAULT_BASE_URL,
    logger_name="app_integrations.loops",
)


class LoopsClient(SyncServiceClient):
    """Loops (transactional e-mail), blocking.

    Args:
        api_key: The Loops API key; default `settings.LOOPS_API_KEY`, then the `LOOPS_API_KEY` environment variable.
        debug_mode: True simulates every call (logged, nothing sent); False never simulates; None (default)
            follows `DEBUG`/`TESTING` by the rule of `app_integrations.settings` (`LOOPS_ENABLED` false or no key:
            simulated in debug mode, a `disabled` / `not_configured` failure elsewhere).
        base_url: The API root; default `settings.LOOPS_BASE_URL`, else Loops' production URL.
        timeout: Seconds per attempt.
        max_retries: Retries of 429/5xx/connection failures.
        retry_delay: First backoff in seconds.
        request_id: Sent as `X-Request-ID`.
        http_client: An `httpx.Client` to send through (never closed by this client).
    """

    spec: ClassVar[ServiceSpec] = LOOPS

    def __init__(
        self,
        api_key: str | None = None,
        debug_mode: bool | None = None,
        *,
        base_url: str | None = None,
        timeout: float = 10.0,
        max_retries: int = 2,
        retry_delay: float = 0.5,
        request_id: str | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        """See the class docstring for each argument."""
        self._setup(
            api_key=api_key,
            debug_mode=debug_mode,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            retry_delay=retry_delay,
            request_id=request_id,
            http_client=http_client,
        )

    @accepts_request_options(own=("idempotency_key",))
    def transactional_email(
        self,
        to_email: str,
        transactional_id: str,
        data_variables: Mapping[str, Any] | None = None,
        *,
        request_options: RequestOptions | None = None,
        **kwargs: Any,
    ) -> SendResult:
        """Send the transactional template `transactional_id` to `to_email` with `data_variables`.

        Keyword arguments: `add_to_audience` (bool), `attachments` (list of `{"filename", "content_type", "data"}`,
        data as bytes or base64), `idempotency_key` (at most 100 characters; one is minted when absent). Any other
        keyword (such as `bcc`, which Loops does not have) is refused with an `invalid_argument` failure.
        """
        return self._run(
            "transactional_email", lambda: ops.transactional_email(to_email, transactional_id, data_variables, kwargs)
        )

    @accepts_request_options
    def event(
        self,
        to_email: str,
        event_name: str,
        event_properties: Mapping[str, Any] | None = None,
        *,
        idempotency_key: str | None = None,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgsWithoutKey],
    ) -> SendResult:
        """Send the event `event_name` for the contact `to_email` (created when unknown)."""
        return self._run("event", lambda: ops.event(to_email, event_name, event_properties, idempotency_key))

    @accepts_request_options
    def test_api_key(
        self, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> ApiKeyResult:
        """Check the API key: `{"success": True, "valid": True, "team_name"}`, or a failure with `valid: False`."""
        return self._run("test_api_key", ops.test_api_key)

    @accepts_request_options
    def create_contact(
        self, email: str, *, request_options: RequestOptions | None = None, **fields: Any
    ) -> ContactIdResult:
        """Create a contact; `fields`: first_name, last_name, subscribed, user_group, user_id, mailing_lists, custom."""
        return self._run("create_contact", lambda: ops.create_contact(email, fields))

    @accepts_request_options
    def update_contact(
        self,
        email: str | None = None,
        *,
        user_id: str | None = None,
        request_options: RequestOptions | None = None,
        **fields: Any,
    ) -> ContactIdResult:
        """Update (or create) the contact with this email or user_id."""
        return self._run("update_contact", lambda: ops.update_contact(email, user_id, fields))

    @accepts_request_options
    def find_contact(
        self,
        email: str | None = None,
        *,
        user_id: str | None = None,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> ContactsResult:
        """The contacts with this email or user_id (exactly one of them)."""
        return self._run("find_contact", lambda: ops.find_contact(email, user_id))

    @accepts_request_options
    def delete_contact(
        self,
        email: str | None = None,
        *,
        user_id: str | None = None,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> DeleteResult:
        """Delete the contact with this email or user_id (exactly one of them)."""
        return self._run("delete_contact", lambda: ops.delete_contact(email, user_id))

    @accepts_request_options
    def list_mailing_lists(
        self, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> MailingListsResult:
        """The team's mailing lists."""
        return self._run("list_mailing_lists", ops.list_mailing_lists)

    @accepts_request_options
    def list_contact_properties(
        self, list: str = "all", *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> ContactPropertiesResult:
        """Contact properties: `all` or only `custom` ones."""
        return self._run("list_contact_properties", lambda: ops.list_contact_properties(list))

    @accepts_request_options
    def create_contact_property(
        self,
        name: str,
        type: str,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> DeleteResult:
        """Create a custom contact property (`type`: string, number, boolean or date)."""
        return self._run("create_contact_property", lambda: ops.create_contact_property(name, type))

    @accepts_request_options
    def list_transactional_emails(
        self,
        per_page: int = 20,
        cursor: str | None = None,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> TransactionalEmailsResult:
        """One page of published transactional emails; pass `next_cursor` back for the next page."""
        return self._run("list_transactional_emails", lambda: ops.list_transactional_emails(per_page, cursor))


class AsyncLoopsClient(AsyncServiceClient):
    """The asyncio twin of `LoopsClient`: the same arguments (`http_client` an `httpx.AsyncClient`) and results,
    awaitable."""

    spec: ClassVar[ServiceSpec] = LOOPS

    def __init__(
        self,
        api_key: str | None = None,
        debug_mode: bool | None = None,
        *,
        base_url: str | None = None,
        timeout: float = 10.0,
        max_retries: int = 2,
        retry_delay: float = 0.5,
        request_id: str | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        """See `LoopsClient`."""
        self._setup(
            api_key=api_key,
            debug_mode=debug_mode,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            retry_delay=retry_delay,
            request_id=request_id,
            http_client=http_client,
        )

    @accepts_request_options(own=("idempotency_key",))
    async def transactional_email(
        self,
        to_email: str,
        transactional_id: str,
        data_variables: Mapping[str, Any] | None = None,
        *,
        request_options: RequestOptions | None = None,
        **kwargs: Any,
    ) -> SendResult:
        """See `LoopsClient.transactional_email`."""
        return await self._run(
            "transactional_email", lambda: ops.transactional_email(to_email, transactional_id, data_variables, kwargs)
        )

    @accepts_request_options
    async def event(
        self,
        to_email: str,
        event_name: str,
        event_properties: Mapping[str, Any] | None = None,
        *,
        idempotency_key: str | None = None,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgsWithoutKey],
    ) -> SendResult:
        """See `LoopsClient.event`."""
        return await self._run("event", lambda: ops.event(to_email, event_name, event_properties, idempotency_key))

    @accepts_request_options
    async def test_api_key(
        self, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> ApiKeyResult:
        """See `LoopsClient.test_api_key`."""
        return await self._run("test_api_key", ops.test_api_key)

    @accepts_request_options
    async def create_contact(
        self, email: str, *, request_options: RequestOptions | None = None, **fields: Any
    ) -> ContactIdResult:
        """See `LoopsClient.create_contact`."""
        return await self._run("create_contact", lambda: ops.create_contact(email, fields))

    @accepts_request_options
    async def update_contact(
        self,
        email: str | None = None,
        *,
        user_id: str | None = None,
        request_options: RequestOptions | None = None,
        **fields: Any,
    ) -> ContactIdResult:
        """See `LoopsClient.update_contact`."""
        return await self._run("update_contact", lambda: ops.update_contact(email, user_id, fields))

    @accepts_request_options
    async def find_contact(
        self,
        email: str | None = None,
        *,
        user_id: str | None = None,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> ContactsResult:
        """See `LoopsClient.find_contact`."""
        return await self._run("find_contact", lambda: ops.find_contact(email, user_id))

    @accepts_request_options
    async def delete_contact(
        self,
        email: str | None = None,
        *,
        user_id: str | None = None,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> DeleteResult:
        """See `LoopsClient.delete_contact`."""
        return await self._run("delete_contact", lambda: ops.delete_contact(email, user_id))

    @accepts_request_options
    async def list_mailing_lists(
        self, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> MailingListsResult:
        """See `LoopsClient.list_mailing_lists`."""
        return await self._run("list_mailing_lists", ops.list_mailing_lists)

    @accepts_request_options
    async def list_contact_properties(
        self, list: str = "all", *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> ContactPropertiesResult:
        """See `LoopsClient.list_contact_properties`."""
        return await self._run("list_contact_properties", lambda: ops.list_contact_properties(list))

    @accepts_request_options
    async def create_contact_property(
        self,
        name: str,
        type: str,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> DeleteResult:
        """See `LoopsClient.create_contact_property`."""
        return await self._run("create_contact_property", lambda: ops.create_contact_property(name, type))

    @accepts_request_options
    async def list_transactional_emails(
        self,
        per_page: int = 20,
        cursor: str | None = None,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> TransactionalEmailsResult:
        """See `LoopsClient.list_transactional_emails`."""
        return await self._run("list_transactional_emails", lambda: ops.list_transactional_emails(per_page, cursor))
