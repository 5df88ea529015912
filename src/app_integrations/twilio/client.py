"""`TwilioClient` and `AsyncTwilioClient`: the guide's Twilio client, returning result dicts and never raising.

Both run the calls of `operations.py` through `sdk_runtime` (finite timeouts, request IDs, retries of what is safe
to repeat). Messages go to `https://api.twilio.com`, lookups to `https://lookups.twilio.com`; one connection pool
serves both. Credentials travel as HTTP Basic: the Account SID and auth token, or an API key SID and its secret.
"""

from __future__ import annotations

import base64
import re
from typing import TYPE_CHECKING, Any, ClassVar, Unpack

from sdk_runtime import AuthScheme, RequestOptionsArgs, accepts_request_options
from sdk_runtime.lazy_module import LazyModule

from ..service import AsyncServiceClient, ServiceSpec, SyncServiceClient
from ..settings import text
from . import config
from .types import MessagesResult, MessageStatusResult, PhoneNumberResult, SendSMSResult

if TYPE_CHECKING:
    import httpx  # for annotations only: the HTTP stack is imported on the first request

    from sdk_runtime import RequestOptions

    from . import operations as ops
else:
    ops = LazyModule(__name__, ".operations")  # the generated endpoints (and httpx) load on the first call

TWILIO = ServiceSpec(
    name="Twilio",
    api_key_setting=config.AUTH_TOKEN_SETTING,
    base_url_setting=config.BASE_URL_SETTING,
    enabled_setting=config.ENABLED_SETTING,
    default_base_url=config.DEFAULT_BASE_URL,
    logger_name="app_integrations.twilio",
    auth=AuthScheme(header="Authorization", prefix="Basic"),
    servers={config.LOOKUPS_SERVER: (config.LOOKUPS_BASE_URL_SETTING, config.DEFAULT_LOOKUPS_BASE_URL)},
)
# Twilio's test "From" that always succeeds: what a simulated text says it came from when no number is set.
SIMULATED_SENDER = "+15005550006"
ACCOUNT_SID = re.compile(r"^AC[0-9a-fA-F]{32}$")
API_KEY_SID = re.compile(r"^SK[0-9a-fA-F]{32}$")


class _TwilioConfig:
    """What both twins read from their arguments and settings, around the shared client set-up."""

    account_sid: str
    from_number: str
    _path_sid: str
    debug_mode: bool

    def _twilio_setup(
        self,
        account_sid: str | None,
        auth_token: str | None,
        from_number: str | None,
        api_key_sid: str | None,
        api_key_secret: str | None,
        debug_mode: bool | None,
        base_url: str | None,
        lookups_base_url: str | None,
        timeout: float,
        max_retries: int,
        retry_delay: float,
        request_id: str | None,
        http_client: Any,
    ) -> None:
        credential, missing = self._twilio_options(account_sid, auth_token, from_number, api_key_sid, api_key_secret)
        self._setup(  # type: ignore[attr-defined]  # the service client after this mixin in the MRO
            api_key=credential,
            debug_mode=debug_mode,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            retry_delay=retry_delay,
            request_id=request_id,
            http_client=http_client,
            server_urls={config.LOOKUPS_SERVER: lookups_base_url},
            missing=missing,
        )

    def _twilio_options(
        self,
        account_sid: str | None,
        auth_token: str | None,
        from_number: str | None,
        api_key_sid: str | None,
        api_key_secret: str | None,
    ) -> tuple[str, list[str]]:
        """Read the options; return the Basic credential (`""` when incomplete) and the settings still needed."""
        self.account_sid = text(config.ACCOUNT_SID_SETTING, account_sid)
        # Requests are built even when they will not be sent (debug mode, not configured): a well-formed stand-in.
        self._path_sid = self.account_sid if ACCOUNT_SID.match(self.account_sid) else "AC" + "0" * 32
        self.from_number = text(config.PHONE_NUMBER_SETTING, from_number)
        key_sid = text(config.API_KEY_SID_SETTING, api_key_sid)
        key_secret = text(config.API_KEY_SECRET_SETTING, api_key_secret)
        if key_sid or key_secret:
            username, password = key_sid, key_secret
            if username and not API_KEY_SID.match(username):
                return "", [f"{config.API_KEY_SID_SETTING} (SK followed by 32 hexadecimal digits)"]
        else:
            username, password = self.account_sid, text(config.AUTH_TOKEN_SETTING, auth_token)
        missing = [
            name
            for name, value in (
                (config.ACCOUNT_SID_SETTING, self.account_sid),
                (config.API_KEY_SECRET_SETTING if key_sid else config.AUTH_TOKEN_SETTING, password),
            )
            if not value
        ]
        if missing:
            return "", missing
        if not ACCOUNT_SID.match(self.account_sid):
            return "", [f"{config.ACCOUNT_SID_SETTING} (AC followed by 32 hexadecimal digits)"]
        return base64.b64encode(f"{username}:{password}".encode()).decode("ascii"), []

    def _sender(self, from_number: str | None) -> str | None:
        """The `From` of a text: the argument, else `TWILIO_PHONE_NUMBER`; in debug mode a stand-in, so that a
        development set-up without a number can try phone verification (nothing is sent)."""
        chosen = from_number or self.from_number or None
        if chosen is None and self.debug_mode:
            return SIMULATED_SENDER
        return chosen


class TwilioClient(_TwilioConfig, SyncServiceClient):
    """Twilio (SMS and phone lookups), blocking.

    Args:
        account_sid: The Account SID (`AC...`); default `settings.TWILIO_ACCOUNT_SID`, then the environment.
        auth_token: The auth token; default `settings.TWILIO_AUTH_TOKEN`, then the environment.
        from_number: The default sender in E.164; default `settings.TWILIO_PHONE_NUMBER`.
        api_key_sid, api_key_secret: An API key (`SK...`) and its secret to authenticate with instead of the auth
            token (`TWILIO_API_KEY` / `TWILIO_API_SECRET`).
        debug_mode: True simulates every call (logged, nothing sent); False never simulates; None (default)
            follows `DEBUG`/`TESTING` by the rule of `app_integrations.settings` (`TWILIO_ENABLED` false or missing
            credentials: simulated in debug mode, a `disabled` / `not_configured` failure elsewhere).
        base_url: The Messages API root (default `settings.TWILIO_BASE_URL`, else `https://api.twilio.com`).
        lookups_base_url: The Lookups root (default `settings.TWILIO_LOOKUPS_BASE_URL`, else `base_url` when that
            was given, else `https://lookups.twilio.com`).
        timeout: Seconds per attempt.
        max_retries: Retries of what is safe to repeat.
        retry_delay: First backoff in seconds.
        request_id: Sent as `X-Request-ID`.
        http_client: An `httpx.Client` to send through (never closed by this client).
    """

    spec: ClassVar[ServiceSpec] = TWILIO

    def __init__(
        self,
        account_sid: str | None = None,
        auth_token: str | None = None,
        from_number: str | None = None,
        *,
        api_key_sid: str | None = None,
        api_key_secret: str | None = None,
        debug_mode: bool | None = None,
        base_url: str | None = None,
        lookups_base_url: str | None = None,
        timeout: float = 10.0,
        max_retries: int = 2,
        retry_delay: float = 0.5,
        request_id: str | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        """See the class docstring for each argument."""
        self._twilio_setup(
            account_sid, auth_token, from_number, api_key_sid, api_key_secret, debug_mode, base_url,
            lookups_base_url, timeout, max_retries, retry_delay, request_id, http_client,
        )  # fmt: skip

    @accepts_request_options
    def send_sms(
        self,
        to_number: str,
        body: str,
        from_number: str | None = None,
        status_callback: str | None = None,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> SendSMSResult:
        """Send `body` (at most 1600 characters) to `to_number` (E.164); `{"success": True, "sid", "status"}`.

        `status_callback` is the URL Twilio POSTs each later status to. Sent at most once: a send that may have
        reached Twilio without an answer is a failure with code `outcome_unknown` (check with `list_messages`).
        """
        return self._run(
            "send_sms",
            lambda: ops.send_sms(self._path_sid, to_number, body, self._sender(from_number), status_callback),
        )

    @accepts_request_options
    def verify_phone_number(
        self, phone_number: str, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> PhoneNumberResult:
        """Whether `phone_number` is a valid number, with carrier and format (Lookup v2, `line_type_intelligence`)."""
        return self._run("verify_phone_number", lambda: ops.verify_phone_number(phone_number))

    @accepts_request_options
    def lookup_carrier(
        self, phone_number: str, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> PhoneNumberResult:
        """Lookup v1 with `Type=carrier`: the carrier object, `valid: False` for a number Twilio does not know."""
        return self._run("lookup_carrier", lambda: ops.lookup_carrier(phone_number))

    @accepts_request_options
    def get_message_status(
        self, message_sid: str, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> MessageStatusResult:
        """The current status of a message (`queued`, `sending`, `sent`, `delivered`, `undelivered`, `failed`)."""
        return self._run("get_message_status", lambda: ops.get_message_status(self._path_sid, message_sid))

    @accepts_request_options
    def list_messages(
        self,
        to_number: str | None = None,
        from_number: str | None = None,
        *,
        page_size: int = 50,
        next_page_uri: str | None = None,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> MessagesResult:
        """One page of the account's messages, newest first; pass `next_page_uri` back for the next page."""
        return self._run(
            "list_messages",
            lambda: ops.list_messages(self._path_sid, to_number, from_number, page_size, next_page_uri),
        )


class AsyncTwilioClient(_TwilioConfig, AsyncServiceClient):
    """The asyncio twin of `TwilioClient`: the same arguments (`http_client` an `httpx.AsyncClient`) and results,
    awaitable."""

    spec: ClassVar[ServiceSpec] = TWILIO

    def __init__(
        self,
        account_sid: str | None = None,
        auth_token: str | None = None,
        from_number: str | None = None,
        *,
        api_key_sid: str | None = None,
        api_key_secret: str | None = None,
        debug_mode: bool | None = None,
        base_url: str | None = None,
        lookups_base_url: str | None = None,
        timeout: float = 10.0,
        max_retries: int = 2,
        retry_delay: float = 0.5,
        request_id: str | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        """See `TwilioClient`."""
        self._twilio_setup(
            account_sid, auth_token, from_number, api_key_sid, api_key_secret, debug_mode, base_url,
            lookups_base_url, timeout, max_retries, retry_delay, request_id, http_client,
        )  # fmt: skip

    @accepts_request_options
    async def send_sms(
        self,
        to_number: str,
        body: str,
        from_number: str | None = None,
        status_callback: str | None = None,
        *,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> SendSMSResult:
        """See `TwilioClient.send_sms`."""
        return await self._run(
            "send_sms",
            lambda: ops.send_sms(self._path_sid, to_number, body, self._sender(from_number), status_callback),
        )

    @accepts_request_options
    async def verify_phone_number(
        self, phone_number: str, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> PhoneNumberResult:
        """See `TwilioClient.verify_phone_number`."""
        return await self._run("verify_phone_number", lambda: ops.verify_phone_number(phone_number))

    @accepts_request_options
    async def lookup_carrier(
        self, phone_number: str, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> PhoneNumberResult:
        """See `TwilioClient.lookup_carrier`."""
        return await self._run("lookup_carrier", lambda: ops.lookup_carrier(phone_number))

    @accepts_request_options
    async def get_message_status(
        self, message_sid: str, *, request_options: RequestOptions | None = None, **options: Unpack[RequestOptionsArgs]
    ) -> MessageStatusResult:
        """See `TwilioClient.get_message_status`."""
        return await self._run("get_message_status", lambda: ops.get_message_status(self._path_sid, message_sid))

    @accepts_request_options
    async def list_messages(
        self,
        to_number: str | None = None,
        from_number: str | None = None,
        *,
        page_size: int = 50,
        next_page_uri: str | None = None,
        request_options: RequestOptions | None = None,
        **options: Unpack[RequestOptionsArgs],
    ) -> MessagesResult:
        """See `TwilioClient.list_messages`."""
        return await self._run(
            "list_messages",
            lambda: ops.list_messages(self._path_sid, to_number, from_number, page_size, next_page_uri),
        )
