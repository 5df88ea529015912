"""Per-call options as keyword arguments of a facade's methods: `vault.users.get("user_123", timeout=5)`.

A facade method declares the options in its signature, so editors and type checkers see them:

    @accepts_request_options
    def get(self, user_id: str, *, request_options: RequestOptions | None = None,
            **options: Unpack[RequestOptionsArgs]) -> User: ...

and `accepts_request_options` takes them off before the method's body runs: it validates them with
`RequestOptions.create` (`request_options=` first, the keywords on top) and runs the method inside
`request_options.using_options`, so every request the call sends uses them. An `async def` method runs inside them
where it is awaited, a generator each time it is resumed; a method that returns something sent later (a paginator,
a `Page` whose next pages are fetched later, a coroutine of its own) takes the options along itself
(`captured_options` / `options_context`).

A misspelt option is never ignored: a method whose `**options` collects only options refuses any other keyword with
the SDK's configuration error (`timout=5` names `'timout'`); a client whose methods return failure results instead
of raising (`refuses_options_in_results`) gets the refusal as that call's failure result. A method whose own `**`
keywords are API fields (Loops' contact properties, Stripe's parameters) takes the six option names out of them and
leaves every other name to the API; an option name the method takes itself (a named parameter, or one of `own`) is
the method's, never an option. Options given to a call inside `with_request_options(...)` are laid over the view's,
name by name.
"""

from __future__ import annotations

import functools
from collections.abc import AsyncIterator, Callable, Collection, Iterator, Mapping
from contextlib import AbstractContextManager, nullcontext
from types import CodeType
from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict, TypeVar, cast, overload

from .errors import ConfigurationError

# Every facade method is decorated when its module is imported, so this module imports nothing heavy: the options
# themselves (`request_options`, on attrs) load with the first call, and a method's parameters are read from its
# code object instead of through `inspect` (cold start: see the benchmarks page).
if TYPE_CHECKING:
    from .call_proxies import CallViews
    from .request_options import RequestOptions

F = TypeVar("F", bound=Callable[..., Any])
OPTIONS_PARAMETER = "request_options"
CapturedOptions: TypeAlias = "RequestOptions | ConfigurationError | None"  # a call's options, their refusal, or none
# The names of the per-call options, in the order errors list them (`request_options` takes them from here, so that
# decorating a method needs nothing heavier than this module).
OPTION_NAMES = ("timeout", "max_retries", "idempotency_key", "extra_headers", "extra_query", "extra_body")
# Code-object flags (the `inspect.CO_*` values) telling how a function runs.
_VARARGS, _VARKEYWORDS, _GENERATOR, _COROUTINE, _ASYNC_GENERATOR = 0x04, 0x08, 0x20, 0x80, 0x200
# The name of a method's `**` parameter when it collects only per-call options (anything else there is refused).
OPTIONS_KEYWORDS = "options"


class RequestOptionsArgsWithoutKey(TypedDict, total=False):
    """The per-call options but `idempotency_key`, for a method whose own `idempotency_key` argument is the key.

    Attributes:
        timeout: Seconds per attempt for this call, instead of the client's.
        max_retries: Retries after the first attempt for this call (0 to 10), instead of the client's.
        extra_headers: Headers added to the request (never the credential's header).
        extra_query: Query parameters added to the request (a value of None is left out).
        extra_body: Fields merged into the JSON or form body (replacing the call's own fields of those names).
    """

    timeout: float | None
    max_retries: int | None
    extra_headers: Mapping[str, str] | None
    extra_query: Mapping[str, Any] | None
    extra_body: Mapping[str, Any] | None


class RequestOptionsArgs(RequestOptionsArgsWithoutKey, total=False):
    """The per-call options as keyword arguments: the fields of `RequestOptions`, each optional.

    Attributes:
        idempotency_key: Sent as `Idempotency-Key` on every attempt, instead of a minted key.
    """

    idempotency_key: str | None


def _code_of(method: Callable[..., Any]) -> CodeType:
    """The code object of `method`, through any `functools.wraps` wrappers (as `inspect.signature` would)."""
    while hasattr(method, "__wrapped__"):
        method = method.__wrapped__
    code: CodeType = method.__code__
    return code


class _Keywords:
    """How one method's keyword arguments split into its own and the per-call options."""

    __slots__ = ("named", "options", "strict")

    def __init__(self, named: frozenset[str], strict: bool, options: frozenset[str]) -> None:
        self.named = named  # the method's named parameters
        self.strict = strict  # its `**` collects only options: any other keyword is an unknown option
        self.options = options  # option names taken off the method's `**` keywords (when not strict)

    @classmethod
    def of(cls, method: Callable[..., Any], own: Collection[str]) -> _Keywords:
        code = _code_of(method)
        positional_end = code.co_argcount
        keyword_end = positional_end + code.co_kwonlyargcount
        named = frozenset(code.co_varnames[code.co_posonlyargcount : keyword_end])
        name = getattr(method, "__qualname__", repr(method))
        if OPTIONS_PARAMETER not in code.co_varnames[positional_end:keyword_end]:
            raise TypeError(f"{name} must declare the keyword-only parameter {OPTIONS_PARAMETER!r}")
        rest = None
        if code.co_flags & _VARKEYWORDS:
            rest = code.co_varnames[keyword_end + (1 if code.co_flags & _VARARGS else 0)]
        unknown_own = set(own) - set(OPTION_NAMES)
        if unknown_own:
            raise TypeError(f"{name}: own={sorted(unknown_own)} are not option names")
        return cls(
            named=named,
            strict=rest == OPTIONS_KEYWORDS,
            options=frozenset(OPTION_NAMES) - named - frozenset(own),
        )

    def split(self, kwargs: dict[str, Any]) -> tuple[object, dict[str, Any]]:
        """Take the options object and the option keywords out of `kwargs` (which keeps the method's own)."""
        given = kwargs.pop(OPTIONS_PARAMETER, None)
        if self.strict:
            taken = [key for key in kwargs if key not in self.named]
        else:
            taken = [key for key in kwargs if key in self.options]
        return given, {key: kwargs.pop(key) for key in taken}


def _is_set(value: object) -> bool:
    return value is not None and not (isinstance(value, Mapping) and not value)


def _chosen(owner: object, given: object, keywords: Mapping[str, Any]) -> RequestOptions | ConfigurationError:
    """The options of one call (laid over those already active), or the refusal a result-returning client keeps."""
    import attrs

    from .request_options import _ACTIVE, RequestOptions

    active = _ACTIVE.get()
    if isinstance(active, ConfigurationError):
        return active  # the view's own options were refused: that refusal stands
    client = _client_of(owner)
    if client is not None:
        options = client._validated_options(given, **keywords)
        if isinstance(options, ConfigurationError):
            return options
    else:
        options = RequestOptions.create(cast("RequestOptions | Mapping[str, Any] | None", given), **keywords)
    if active is None:
        return options
    return attrs.evolve(
        active, **{name: getattr(options, name) for name in OPTION_NAMES if _is_set(getattr(options, name))}
    )


def _client_of(owner: object) -> CallViews | None:
    """The client a method belongs to: the object itself, or the client of a resource (`vault.users`)."""
    from .call_proxies import CallViews

    client = owner if isinstance(owner, CallViews) else getattr(owner, "_client", None)
    return client if isinstance(client, CallViews) else None


def _call_options(keywords: _Keywords, args: tuple[Any, ...], kwargs: dict[str, Any]) -> CapturedOptions:
    """The options of this call, taken out of `kwargs`; None when it gave none (whatever is active then stays)."""
    given, options = keywords.split(kwargs)
    if given is None and not options:
        return None
    return _chosen(args[0] if args else None, given, options)


@overload
def accepts_request_options(method: F, /) -> F: ...
@overload
def accepts_request_options(*, own: Collection[str] = ()) -> Callable[[F], F]: ...
def accepts_request_options(method: F | None = None, /, *, own: Collection[str] = ()) -> F | Callable[[F], F]:
    """Make a facade method take per-call options (see the module's docstring); sync, async and generators alike.

    `own` names options the method's `**` keywords take as its own API arguments (Stripe's `idempotency_key`).
    """

    def decorate(function: F) -> F:
        keywords = _Keywords.of(function, own)
        flags = function.__code__.co_flags  # the function's own kind, as `inspect.iscoroutinefunction` reads it
        if flags & _COROUTINE:

            @functools.wraps(function)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                with options_context(_call_options(keywords, args, kwargs)):
                    return await function(*args, **kwargs)

            return run_async  # type: ignore[return-value]
        if flags & _ASYNC_GENERATOR:

            @functools.wraps(function)
            def run_async_generator(*args: Any, **kwargs: Any) -> AsyncIterator[Any]:
                chosen = _call_options(keywords, args, kwargs)
                return _resumed_async(function(*args, **kwargs), chosen)

            return run_async_generator  # type: ignore[return-value]
        if flags & _GENERATOR:

            @functools.wraps(function)
            def run_generator(*args: Any, **kwargs: Any) -> Iterator[Any]:
                chosen = _call_options(keywords, args, kwargs)
                return _resumed(function(*args, **kwargs), chosen)

            return run_generator  # type: ignore[return-value]

        @functools.wraps(function)
        def run(*args: Any, **kwargs: Any) -> Any:
            with options_context(_call_options(keywords, args, kwargs)):
                return function(*args, **kwargs)

        return run  # type: ignore[return-value]

    return decorate(method) if method is not None else decorate


def _resumed(items: Iterator[Any], chosen: CapturedOptions) -> Iterator[Any]:
    # The options hold while the generator runs, never while the caller holds an item (no leak into its calls).
    try:
        while True:
            with options_context(chosen):
                try:
                    item = next(items)
                except StopIteration:
                    return
            yield item
    finally:
        close = getattr(items, "close", None)
        if close is not None:
            close()


async def _resumed_async(items: AsyncIterator[Any], chosen: CapturedOptions) -> AsyncIterator[Any]:
    try:
        while True:
            with options_context(chosen):
                try:
                    item = await anext(items)
                except StopAsyncIteration:
                    return
            yield item
    finally:
        aclose = getattr(items, "aclose", None)
        if aclose is not None:
            await aclose()


def captured_options() -> CapturedOptions:
    """The options active now, to be used later with `options_context` (by whatever sends after the call returns)."""
    from .request_options import _ACTIVE

    return _ACTIVE.get()


def options_context(captured: CapturedOptions) -> AbstractContextManager[Any]:
    """Send inside the options `captured_options` returned (nothing changes when there were none)."""
    if captured is None:
        return nullcontext()
    from .request_options import using_options

    return using_options(captured)


__all__ = [
    "CapturedOptions",
    "RequestOptionsArgs",
    "RequestOptionsArgsWithoutKey",
    "accepts_request_options",
    "captured_options",
    "options_context",
]
