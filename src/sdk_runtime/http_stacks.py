"""The HTTP stacks a client can send through: httpx (the default, and what our own pools use) and httpx2.

httpx2 keeps httpx's API under other class objects: an `httpx2.ConnectError` is not an `httpx.ConnectError`, and an
`httpx2.Client` cannot send an `httpx.Request`. The engine asks this module, never `httpx.` directly, whether a
failure is a transport error, a timeout, or one that provably never left (so either stack's failures become the
same typed errors), and a client handed in builds its requests with its own stack's `Timeout`.

httpx2 is never imported here: it is considered only once the application has imported it (a user who passes an
`httpx2.Client` has), so httpx-only users pay nothing.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from types import ModuleType
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    import httpx

ErrorClasses = tuple[type[BaseException], ...]


@attrs.frozen
class StackErrors:
    """The failure classes of every stack in use, by what they mean to the retry and error logic."""

    #: Anything the stack raises for a request that got no HTTP answer (connect, read, write, timeouts, protocol).
    request: ErrorClasses
    #: Timeouts, any phase.
    timeout: ErrorClasses
    #: Failures before a single byte of the request left: the request provably never arrived.
    unsent: ErrorClasses


def _errors_of(stack: ModuleType) -> StackErrors:
    return StackErrors(
        request=(stack.RequestError,),
        timeout=(stack.TimeoutException,),
        unsent=(stack.ConnectError, stack.ConnectTimeout, stack.PoolTimeout, stack.UnsupportedProtocol),
    )


@functools.cache
def _errors(with_httpx2: bool) -> StackErrors:
    import httpx  # asked on the first request only: the runtime never imports the HTTP stack by itself

    stacks = [_errors_of(httpx)]
    if with_httpx2:
        stacks.append(_errors_of(sys.modules["httpx2"]))
    return StackErrors(
        request=sum((s.request for s in stacks), ()),
        timeout=sum((s.timeout for s in stacks), ()),
        unsent=sum((s.unsent for s in stacks), ()),
    )


def stack_errors() -> StackErrors:
    """The failure classes of httpx, and of httpx2 once the application has imported it."""
    return _errors("httpx2" in sys.modules)


def stack_of(http_client: Any) -> ModuleType:
    """The module (httpx or httpx2) whose client `http_client` is; httpx for anything else."""
    import httpx

    root = type(http_client).__module__.split(".", 1)[0]
    if root == "httpx2" and "httpx2" in sys.modules:
        return sys.modules["httpx2"]
    return httpx


def request_builder(http_client: Any) -> Callable[..., Any]:
    """`http_client.build_request`, taking our `httpx.Timeout` whatever the client's stack (its defaults, auth and
    cookies still apply)."""
    stack = stack_of(http_client)
    if stack.__name__ == "httpx":
        builder: Callable[..., Any] = http_client.build_request
        return builder

    def build(*args: Any, timeout: httpx.Timeout, **options: Any) -> Any:
        return http_client.build_request(*args, timeout=stack.Timeout(**timeout.as_dict()), **options)

    return build
