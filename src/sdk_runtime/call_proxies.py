"""`client.with_raw_response` and `client.with_request_options(...)`, written once for every client of the family.

Both are views of a client that run its methods, and its resources' methods (`vault.users.get`), inside a context:
`with_raw_response` records what each request sent and got (`raw_response.recording`) and returns a `RawResponse`
instead of the plain result; `with_request_options` sends every request with per-call `RequestOptions`
(`request_options.using_options`). The facades' methods stay as they are: a client gains both by inheriting
`CallViews`, and async methods work the same (the context is entered again where the coroutine is awaited).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from typing import TYPE_CHECKING, Any, Self, cast

from .errors import ConfigurationError

# Every client inherits `CallViews`, so what the views run on is imported when a view is first used, not with the
# client (see `lazy_module`).
if TYPE_CHECKING:
    from .raw_response import Recorder
    from .request_options import RequestOptions

_PLAIN_VALUES = (str, bytes, int, float, bool, Mapping, Sequence, set, frozenset, type(None))


class _CallScope:
    """What a view does around each call: the context the call runs in, and what the view returns."""

    def enter(self) -> tuple[AbstractContextManager[Any], Any]:
        """A fresh context for one call, and the state `finish` gets back."""
        raise NotImplementedError

    def finish(self, result: Any, state: Any) -> Any:
        """What the view's call returns, given the method's result."""
        return result


class _RawScope(_CallScope):
    def enter(self) -> tuple[AbstractContextManager[Any], Any]:
        from .raw_response import Recorder, recording

        recorder = Recorder()
        return recording(recorder), recorder

    def finish(self, result: Any, state: Any) -> Any:
        from .raw_response import RawResponse

        recorder: Recorder = state
        return RawResponse(result, recorder.exchanges)


class _OptionsScope(_CallScope):
    def __init__(self, options: RequestOptions | ConfigurationError) -> None:
        self.options = options

    def enter(self) -> tuple[AbstractContextManager[Any], Any]:
        from .request_options import using_options

        return using_options(self.options), None


class CallView:
    """A view of a client or of one of its resources: its methods run inside a `_CallScope`.

    Attribute access goes to the viewed object; methods come back wrapped, resources (objects of the same
    package) come back as views themselves, and anything else (numbers, strings, settings) as it is.
    """

    __slots__ = ("_scope", "_target")

    def __init__(self, target: object, scope: _CallScope) -> None:
        self._target = target
        self._scope = scope

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._target, name)
        if name.startswith("_"):
            return value
        if name in _VIEW_MAKERS:
            return _viewing(value, self._scope)
        if callable(value) and not isinstance(value, type):
            return _scoped(value, self._scope)
        if isinstance(value, CallView):
            return CallView(value, self._scope)  # a view of a view: both scopes apply
        if not isinstance(value, _PLAIN_VALUES) and _same_package(value, self._target):
            return CallView(value, self._scope)
        return value

    def __repr__(self) -> str:
        return f"<{type(self._scope).__name__.strip('_')} view of {self._target!r}>"


_VIEW_MAKERS = frozenset({"with_request_options", "with_options"})


def _viewing(make: Callable[..., Any], scope: _CallScope) -> Callable[..., Any]:
    """`with_request_options(...)` / `with_options(...)` on a view: the new client, seen through the same view."""

    def view(*args: Any, **kwargs: Any) -> Any:
        return CallView(make(*args, **kwargs), scope)

    return view


def _same_package(value: object, target: object) -> bool:
    module = type(target._target if isinstance(target, CallView) else target).__module__
    return type(value).__module__.split(".", 1)[0] == module.split(".", 1)[0]


def _scoped(method: Callable[..., Any], scope: _CallScope) -> Callable[..., Any]:
    import inspect

    from .pagination import AsyncPaginator

    def call(*args: Any, **kwargs: Any) -> Any:
        context, state = scope.enter()
        with context:
            result = method(*args, **kwargs)
        if isinstance(scope, _OptionsScope) and isinstance(result, AsyncPaginator):
            return result  # it took the options along when made, and stays usable with `async for`
        if inspect.isawaitable(result):
            return _awaited(result, context, state, scope)
        return scope.finish(result, state)

    call.__name__ = getattr(method, "__name__", "call")
    call.__doc__ = getattr(method, "__doc__", None)
    return call


async def _awaited(result: Awaitable[Any], context: AbstractContextManager[Any], state: Any, scope: _CallScope) -> Any:
    # The coroutine runs only now, so the context is entered again around its await (the same recorder or options:
    # a context manager made by `contextmanager` cannot be entered twice, hence `_reentered`).
    with _reentered(scope, state):
        value = await result
    return scope.finish(value, state)


def _reentered(scope: _CallScope, state: Any) -> AbstractContextManager[Any]:
    from .raw_response import recording
    from .request_options import using_options

    if isinstance(scope, _RawScope):
        return recording(state)
    if isinstance(scope, _OptionsScope):
        return using_options(scope.options)
    raise TypeError(f"unknown call scope {scope!r}")


class CallViews:
    """Gives a client `with_raw_response` and `with_request_options(...)` (see the module's docstring).

    A client whose methods promise never to raise (the integrations' clients, which return failure results) sets
    `refuses_options_in_results = True`: refused options then become each call's failure result.
    """

    refuses_options_in_results = False

    @property
    def with_raw_response(self) -> Any:
        """A view whose methods return `RawResponse` (status, headers, request ID, Idempotency-Key, attempts);
        `.parse()` gives what the plain call returns. `vault.with_raw_response.users.get("user_123")`."""
        return CallView(self, _RawScope())

    def with_request_options(self, options: RequestOptions | Mapping[str, Any] | None = None, **keywords: Any) -> Self:
        """This client, with per-call options applied to the next calls made through it.

        `client.with_request_options(timeout=5, extra_headers={"X-Trace": "1"}).users.get("user_123")`. The
        options are `timeout`, `max_retries`, `idempotency_key`, `extra_headers`, `extra_query` and `extra_body`, as
        a `RequestOptions`, a mapping or keywords; anything else is refused with the SDK's configuration error.
        Nothing is copied: it is cheap to make one per call. (`with_options` makes a lasting copy of a client.)
        """
        return cast(Self, CallView(self, _OptionsScope(self._validated_options(options, **keywords))))

    def _validated_options(self, options: object = None, **keywords: Any) -> RequestOptions | ConfigurationError:
        """`RequestOptions.create(options, **keywords)`, refused as this client refuses options: raised as the SDK's
        own error, or returned, for a client whose calls turn it into their failure result."""
        from .request_options import RequestOptions

        try:
            return RequestOptions.create(cast("RequestOptions | Mapping[str, Any] | None", options), **keywords)
        except ConfigurationError as exc:
            if not self.refuses_options_in_results:
                raise self._refused_options(exc) from None
            return exc

    def _refused_options(self, error: ConfigurationError) -> Exception:
        """The SDK's own error for options that were refused (its `ConfigurationError`, say)."""
        return error


__all__ = ["CallView", "CallViews"]
