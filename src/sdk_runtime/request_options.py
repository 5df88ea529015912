"""Per-call options: one typed, validated object that changes a single call, never the client.

`RequestOptions` carries `timeout`, `max_retries`, `idempotency_key`, `extra_headers`, `extra_query` and
`extra_body`. `RequestOptions.create` validates them as `ClientConfig.create` validates a client's options, so a
misspelt key or a bad value raises `ConfigurationError` naming it instead of being ignored.

The facades hand the options to the runtime through `using_options`: a context in which every request the runtime
sends (on this thread, or in this asyncio task) is adjusted by them. That keeps the facades' methods as they are:
`client.with_request_options(...)` (see `call_proxies`) runs any method inside that context.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlencode

import attrs

from .errors import ConfigurationError
from .option_keywords import OPTION_NAMES
from .values import evolved

if TYPE_CHECKING:
    from .call import Call
    from .config import ClientConfig, Timeout
    from .retry import RetryPolicy

# Headers an extra header may not replace: they carry the credential, or the runtime's own bookkeeping.
RESERVED_HEADERS = frozenset({"authorization", "x-api-key", "idempotency-key", "x-retry-count", "content-length"})


@attrs.frozen(kw_only=True)
class RequestOptions:
    """Options for one call. Build it with `RequestOptions.create`, which validates.

    Attributes:
        timeout: Seconds per attempt for this call (connect capped at 5 s), instead of the client's.
        max_retries: Retries after the first attempt for this call (0 to 10), instead of the client's.
        idempotency_key: Sent as `Idempotency-Key` (on every attempt) instead of a minted one, so a retry of the
            whole call from your side is recognised as the same request by the service.
        extra_headers: Headers added to the request (they may not replace the credential's header).
        extra_query: Query parameters added to the request (a value of None is left out).
        extra_body: Fields merged into the JSON or form body (the call's own fields are replaced by them).
    """

    timeout: float | None = None
    max_retries: int | None = None
    idempotency_key: str | None = None
    extra_headers: Mapping[str, str] = attrs.field(factory=dict)
    extra_query: Mapping[str, Any] = attrs.field(factory=dict)
    extra_body: Mapping[str, Any] = attrs.field(factory=dict)

    @classmethod
    def create(cls, options: RequestOptions | Mapping[str, Any] | None = None, **keywords: Any) -> RequestOptions:
        """Validated options from an options object or a mapping, with keyword arguments on top.

        Raises `ConfigurationError` naming the problem: an unknown option (`timout=`), a timeout that is not a
        positive finite number, `max_retries` outside 0-10, a header with a line break, and so on.
        """
        given: dict[str, Any] = {}
        if isinstance(options, RequestOptions):
            given = {name: getattr(options, name) for name in OPTION_NAMES}
        elif isinstance(options, Mapping):
            given = dict(options)
        elif options is not None:
            raise ConfigurationError(
                f"request options must be RequestOptions or a mapping, got {type(options).__name__}"
            )
        given.update(keywords)
        unknown = sorted(set(given) - set(OPTION_NAMES))
        if unknown:
            raise ConfigurationError(
                f"unknown request option {', '.join(map(repr, unknown))}; known: {', '.join(OPTION_NAMES)}"
            )
        from .config import build_retry_policy, build_timeout, validate_request_id

        timeout = given.get("timeout")
        if timeout is not None:
            build_timeout(timeout)  # raises with the same message as a client's timeout
        max_retries = given.get("max_retries")
        if max_retries is not None:
            build_retry_policy(max_retries, 0.0)
        key = given.get("idempotency_key")
        if key is not None:
            try:
                validate_request_id(key)
            except ConfigurationError:
                raise ConfigurationError(
                    "idempotency_key must be 1-255 printable ASCII characters without spaces"
                ) from None
        return cls(
            timeout=timeout,
            max_retries=max_retries,
            idempotency_key=key,
            extra_headers=_headers(given.get("extra_headers")),
            extra_query=_mapping("extra_query", given.get("extra_query")),
            extra_body=_mapping("extra_body", given.get("extra_body")),
        )

    @property
    def changes_sending(self) -> bool:
        """Whether the options change the timeout or the retries (the rest changes only the request)."""
        return self.timeout is not None or self.max_retries is not None


def options_applied(call: Call, options: RequestOptions) -> Call:
    """`call` with the options' key, headers, query and body fields added (the call itself is not changed).

    Extra body fields go into a JSON object body, or into a form body (re-encoded once, so every attempt sends the
    same bytes); a call with no body gets a JSON body of them. A multipart or raw body cannot take extra fields.
    """
    from .call import encode_form

    changes: dict[str, Any] = {}
    headers = dict(call.headers)
    if options.extra_headers:
        headers.update(options.extra_headers)
    if options.idempotency_key is not None:
        headers = {k: v for k, v in headers.items() if k.lower() != "idempotency-key"}
        headers["Idempotency-Key"] = options.idempotency_key
    if headers != dict(call.headers):
        changes["headers"] = headers
    if options.extra_query:
        changes["params"] = {**call.params, **{k: v for k, v in options.extra_query.items() if v is not None}}
    if options.extra_body:
        if call.form is not None:
            form = {**call.form, **options.extra_body}
            changes["form"], changes["content"] = form, encode_form(form)
        elif call.content is not None and _is_form(call.headers):
            # A form the generated client encoded itself (Stripe's bracket style): its fields are kept, those the
            # options name are replaced, and the options' fields are added (encoded once, as for any form).
            kept = [(k, v) for k, v in parse_qsl(call.content.decode("ascii"), keep_blank_values=True)]
            kept = [(k, v) for k, v in kept if k not in options.extra_body]
            changes["content"] = (urlencode(kept) + "&" if kept else "").encode("ascii") + encode_form(
                options.extra_body
            )
        elif call.content is not None:
            raise _refused("extra_body cannot be added to this call's body (it is neither JSON nor a form)")
        elif call.json is None or isinstance(call.json, Mapping):
            changes["json"] = {**(call.json or {}), **options.extra_body}
        else:
            raise _refused("extra_body cannot be added to this call's body (it is not a JSON object)")
    return attrs.evolve(call, **changes) if changes else call


def _is_form(headers: Mapping[str, str]) -> bool:
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    return content_type.split(";", 1)[0].strip().lower() == "application/x-www-form-urlencoded"


def _refused(message: str) -> ConfigurationError:
    # The code the integrations' failure dicts give refused arguments.
    return ConfigurationError(message, error_code="invalid_argument")


def sending_options(config: ClientConfig, options: RequestOptions) -> tuple[Timeout, RetryPolicy]:
    """The timeout and retry policy of one call: the client's, with the options' timeout and retries."""
    from .config import build_timeout

    timeout = build_timeout(options.timeout) if options.timeout is not None else config.timeout
    retry = config.retry if options.max_retries is None else evolved(config.retry, max_retries=options.max_retries)
    return timeout, retry


def _headers(value: object) -> dict[str, str]:
    headers = _mapping("extra_headers", value)
    for name, text in headers.items():
        if not isinstance(name, str) or not name or any(ch in name for ch in " :\r\n\0") or not name.isascii():
            raise ConfigurationError(f"extra_headers: {name!r} is not a valid header name")
        if name.lower() in RESERVED_HEADERS:
            raise ConfigurationError(
                f"extra_headers may not set {name} (use the client's credential, or the idempotency_key option)"
            )
        if not isinstance(text, str) or any(ch in text for ch in "\r\n\0"):
            raise ConfigurationError(f"extra_headers: the value of {name} must be text without line breaks")
    return headers


def _mapping(name: str, value: object) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ConfigurationError(f"{name} must be a mapping, got {type(value).__name__}")
    return {str(key): item for key, item in value.items()}


_ACTIVE: contextvars.ContextVar[RequestOptions | ConfigurationError | None] = contextvars.ContextVar(
    "sdk_runtime_request_options", default=None
)


@contextmanager
def using_options(options: RequestOptions | ConfigurationError | None) -> Iterator[None]:
    """Every request sent inside this block uses `options`; an error given instead is raised by each request.

    None sends the block's requests with no per-call options (a client's own background requests, say).

    (A facade whose methods never raise, such as the integrations' clients, passes the validation error on, so
    that the request turns it into the failure result its contract promises.)
    """
    token = _ACTIVE.set(options)
    try:
        yield
    finally:
        _ACTIVE.reset(token)


def active_options() -> RequestOptions | None:
    """The options of the call being sent, if any; raises the `ConfigurationError` of options that were refused."""
    options = _ACTIVE.get()
    if isinstance(options, ConfigurationError):
        raise options
    return options


__all__ = [
    "OPTION_NAMES",
    "RequestOptions",
    "active_options",
    "options_applied",
    "sending_options",
    "using_options",
]
