"""Client configuration: one validated, immutable object per client, copied (never mutated) for per-call overrides."""

from __future__ import annotations

import math
import os
import platform
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from ._version import __version__
from .errors import ConfigurationError
from .retry import RetryPolicy
from .secrets import Secret
from .values import evolved, fill, frozen_value

if TYPE_CHECKING:
    import httpx

DEFAULT_CONNECT_TIMEOUT = 5.0
MAX_RETRIES_LIMIT = 10


@frozen_value
class Timeout:
    """Seconds allowed for each phase of one attempt: connecting, reading, writing, and waiting for a connection.

    The runtime's own (the HTTP stack is imported on the first request, not with the configuration); it reads the
    same as an `httpx.Timeout`, which is also accepted wherever a timeout is.
    """

    __slots__ = ("connect", "pool", "read", "write")
    connect: float
    read: float
    write: float
    pool: float

    def __init__(self, connect: float, read: float, write: float, pool: float) -> None:
        fill(self, connect=connect, read=read, write=write, pool=pool)

    def as_dict(self) -> dict[str, float]:
        """The phases by name, as the HTTP stack takes them."""
        return {"connect": self.connect, "read": self.read, "write": self.write, "pool": self.pool}


@frozen_value
class AuthScheme:
    """How the API key travels: in which header, and with which prefix (`Bearer`), if any."""

    __slots__ = ("header", "prefix")
    header: str
    prefix: str | None

    def __init__(self, header: str = "Authorization", prefix: str | None = "Bearer") -> None:
        fill(self, header=header, prefix=prefix)

    def header_value(self, api_key: Secret) -> str:
        """The header value for `api_key`."""
        return f"{self.prefix} {api_key.reveal()}" if self.prefix else api_key.reveal()


DEFAULT_AUTH = AuthScheme()
"""`Authorization: Bearer <key>`, the scheme a client uses unless told otherwise."""


@frozen_value
class ClientConfig:
    """Everything a client needs to send requests. Build it with `ClientConfig.create`, which validates.

    Attributes:
        api_key: The credential, kept as a `Secret` so it never shows in `repr` or logs.
        base_url: The API root; request paths are appended to it.
        timeout: Per-attempt timeout, always finite (connect, read, write and pool).
        retry: How retries are spaced and capped.
        request_id: Sent as `X-Request-ID` on every request when set (for tracing across services).
        auth: Where the API key goes.
        user_agent: Names the SDK package and version, the runtime, and Python.
        default_headers: Extra headers sent on every request.
        auto_idempotency_key: Mint an `Idempotency-Key` for every POST that lacks one (so POSTs can be retried).
        logger_name: The stdlib logger the client writes to (one per SDK package).
        log_env: The environment variable that switches that logger on (`VAULT_LOG=debug`), if the SDK has one.
    """

    __slots__ = (
        "api_key",
        "auth",
        "auto_idempotency_key",
        "base_url",
        "default_headers",
        "log_env",
        "logger_name",
        "request_id",
        "retry",
        "timeout",
        "user_agent",
    )
    api_key: Secret
    base_url: str
    timeout: Timeout
    retry: RetryPolicy
    user_agent: str
    auth: AuthScheme
    request_id: str | None
    default_headers: Mapping[str, str]
    auto_idempotency_key: bool
    logger_name: str
    log_env: str | None

    def __init__(
        self,
        api_key: Secret,
        base_url: str,
        timeout: Timeout,
        retry: RetryPolicy,
        user_agent: str,
        auth: AuthScheme = DEFAULT_AUTH,
        request_id: str | None = None,
        default_headers: Mapping[str, str] | None = None,
        auto_idempotency_key: bool = True,
        logger_name: str = "sdk_runtime",
        log_env: str | None = None,
    ) -> None:
        fill(
            self, api_key=api_key, base_url=base_url, timeout=timeout, retry=retry, user_agent=user_agent, auth=auth,
            request_id=request_id, default_headers={} if default_headers is None else default_headers,
            auto_idempotency_key=auto_idempotency_key, logger_name=logger_name, log_env=log_env,
        )  # fmt: skip

    @classmethod
    def create(
        cls,
        *,
        api_key: str | Secret | None,
        api_key_env: str,
        base_url: str,
        sdk_name: str,
        sdk_version: str,
        timeout: float | Timeout | httpx.Timeout = 30.0,
        max_retries: int = 2,
        retry_delay: float = 0.5,
        request_id: str | None = None,
        auth: AuthScheme = DEFAULT_AUTH,
        default_headers: Mapping[str, str] | None = None,
        logger_name: str | None = None,
        max_retry_delay: float = 8.0,
        max_retry_after: float = 60.0,
        log_env: str | None = None,
    ) -> ClientConfig:
        """Validate the options and build a config; raise `ConfigurationError` naming the bad option.

        When `api_key` is None the key is read from the environment variable `api_key_env`.
        """
        key = resolve_api_key(api_key, api_key_env)
        return cls(
            api_key=key,
            base_url=validate_base_url(base_url),
            timeout=build_timeout(timeout),
            retry=build_retry_policy(max_retries, retry_delay, max_retry_delay, max_retry_after),
            user_agent=user_agent(sdk_name, sdk_version),
            auth=auth,
            request_id=validate_request_id(request_id),
            default_headers=dict(default_headers or {}),
            logger_name=logger_name or sdk_name.replace("-", "_"),
            log_env=log_env,
        )

    def replace(self, **changes: Any) -> ClientConfig:
        """A copy with some options changed, validated like `create` (for `with_options`)."""
        if "timeout" in changes:
            changes["timeout"] = build_timeout(changes["timeout"])
        retry_changes = {k: changes.pop(k) for k in list(changes) if k in _RETRY_FIELDS}
        if retry_changes:
            retry = self.retry
            merged = {name: getattr(retry, name) for name in _RETRY_FIELDS} | retry_changes
            changes["retry"] = evolved(
                build_retry_policy(
                    merged["max_retries"], merged["retry_delay"], merged["max_retry_delay"], merged["max_retry_after"]
                ),
                extra_retryable_statuses=self.retry.extra_retryable_statuses,
                should_retry_header=self.retry.should_retry_header,
            )
        if "api_key" in changes:
            changes["api_key"] = resolve_api_key(changes["api_key"], None)
        if "base_url" in changes:
            changes["base_url"] = validate_base_url(changes["base_url"])
        if "request_id" in changes:
            changes["request_id"] = validate_request_id(changes["request_id"])
        try:
            return evolved(self, **changes)
        except TypeError as exc:
            raise ConfigurationError(f"unknown client option: {exc}") from None


_RETRY_FIELDS = frozenset({"max_retries", "retry_delay", "max_retry_delay", "max_retry_after"})


def resolve_api_key(api_key: str | Secret | None, env_var: str | None) -> Secret:
    """The API key as a `Secret`: the argument, else the environment variable; raise if neither is set."""
    if isinstance(api_key, Secret):
        value: str | None = api_key.reveal()
    else:
        value = api_key
    if value is None and env_var:
        value = os.environ.get(env_var)
    if value is None or not value.strip():
        where = f"pass api_key=... or set the {env_var} environment variable" if env_var else "pass api_key=..."
        raise ConfigurationError(f"API key is required: {where}")
    if value != value.strip() or any(ch in value for ch in "\r\n\0"):
        raise ConfigurationError("API key must not contain whitespace, line breaks or NUL characters")
    return Secret(value)


def validate_base_url(base_url: str) -> str:
    """The base URL without a trailing slash; it must be an absolute http(s) URL without query or fragment."""
    from urllib.parse import urlsplit

    if not isinstance(base_url, str):
        raise ConfigurationError(f"base_url is not a valid URL: expected text, got {type(base_url).__name__}")
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in base_url):
        raise ConfigurationError("base_url is not a valid URL: it contains whitespace or control characters")
    try:
        url = urlsplit(base_url)
        url.port  # noqa: B018  (reading it validates it)
    except ValueError as exc:
        raise ConfigurationError(f"base_url is not a valid URL: {exc}") from None
    if url.scheme.lower() not in ("http", "https") or not url.hostname:
        raise ConfigurationError(f"base_url must be an absolute http(s) URL, got {base_url!r}")
    if url.query or url.fragment or "?" in base_url or "#" in base_url:
        raise ConfigurationError("base_url must not carry a query string or fragment")
    return base_url.rstrip("/")


def build_timeout(timeout: float | Timeout | httpx.Timeout) -> Timeout:
    """A `Timeout` with every phase finite and positive; a number sets read/write/pool, connect ≤ 5 s.

    A `Timeout` or an `httpx.Timeout` is taken phase by phase (every phase must be set).
    """
    if isinstance(timeout, int | float) and not isinstance(timeout, bool):
        if not _positive_finite(timeout):
            raise ConfigurationError(f"timeout must be a finite number of seconds greater than 0, got {timeout!r}")
        seconds = float(timeout)
        return Timeout(connect=min(seconds, DEFAULT_CONNECT_TIMEOUT), read=seconds, write=seconds, pool=seconds)
    phases = tuple(getattr(timeout, name, None) for name in ("connect", "read", "write", "pool"))
    if timeout is None or not all(hasattr(timeout, name) for name in ("connect", "read", "write", "pool")):
        raise ConfigurationError(f"timeout must be a finite number of seconds greater than 0, got {timeout!r}")
    if any(
        p is None or isinstance(p, bool) or not isinstance(p, int | float) or not _positive_finite(p) for p in phases
    ):
        raise ConfigurationError("every phase of timeout must be a finite number of seconds greater than 0")
    connect, read, write, pool = (float(p) for p in phases)  # type: ignore[arg-type]
    return Timeout(connect=connect, read=read, write=write, pool=pool)


def build_retry_policy(
    max_retries: int, retry_delay: float, max_retry_delay: float = 8.0, max_retry_after: float = 60.0
) -> RetryPolicy:
    """A validated `RetryPolicy`."""
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or not 0 <= max_retries <= MAX_RETRIES_LIMIT:
        raise ConfigurationError(f"max_retries must be an integer from 0 to {MAX_RETRIES_LIMIT}, got {max_retries!r}")
    for name, value in (
        ("retry_delay", retry_delay),
        ("max_retry_delay", max_retry_delay),
        ("max_retry_after", max_retry_after),
    ):
        if isinstance(value, bool) or not isinstance(value, int | float) or not (0 <= value < math.inf):
            raise ConfigurationError(f"{name} must be a finite number of seconds of at least 0, got {value!r}")
    return RetryPolicy(
        max_retries=max_retries,
        retry_delay=float(retry_delay),
        max_retry_delay=float(max_retry_delay),
        max_retry_after=float(max_retry_after),
    )


def validate_http_client(http_client: object, kind: str, name: str = "http_client") -> None:
    """Refuse an HTTP client of the wrong kind at construction (not at the first request, deep in the HTTP stack).

    `kind` is `"Client"` or `"AsyncClient"`: httpx's class of that name, or httpx2's. Checked by the class's module
    and name, so that validating costs no import of either stack.
    """
    if http_client is None:
        return
    for cls in type(http_client).__mro__:
        if cls.__name__ == kind and cls.__module__.split(".", 1)[0] in ("httpx", "httpx2"):
            return
    got = type(http_client).__name__
    raise ConfigurationError(f"{name} must be an httpx.{kind}, an httpx2.{kind} or None, got {got}")


def validate_request_id(request_id: str | None) -> str | None:
    """A request ID must be printable ASCII without spaces (it travels in a header)."""
    if request_id is None:
        return None
    if not isinstance(request_id, str) or not request_id or len(request_id) > 255:
        raise ConfigurationError("request_id must be a non-empty string of at most 255 characters")
    if any(not 0x21 <= ord(ch) <= 0x7E for ch in request_id):
        raise ConfigurationError("request_id may only contain printable ASCII characters without spaces")
    return request_id


def user_agent(sdk_name: str, sdk_version: str) -> str:
    """`<sdk>/<version> sdk-runtime/<version> python/<version> (<os>; <arch>)`.

    The OS is its family name only (`linux`, `darwin`, `windows`) and the architecture the machine type (`x86_64`,
    `arm64`): nothing that names a host, a user or a kernel build.
    """
    return f"{sdk_name}/{sdk_version} sdk-runtime/{__version__} python/{platform.python_version()} {platform_tag()}"


def platform_tag() -> str:
    """`(<os>; <arch>)`, as the field's SDKs name the platform (`(linux; x86_64)`)."""
    system = (platform.system() or "unknown").lower()
    machine = (platform.machine() or "unknown").lower().replace("amd64", "x86_64").replace("aarch64", "arm64")
    safe = "".join(ch for ch in f"{system}; {machine}" if ch.isalnum() or ch in "_; .-")
    return f"({safe})"


def _positive_finite(value: float) -> bool:
    return 0 < value < math.inf
