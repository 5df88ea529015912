"""One API call as pure data: the request to send and how to read its answer, shared by sync and async clients.

A facade writes each call once as an `Operation` (arguments checked, request built from the generated endpoint),
and its sync and async clients only run it, so nothing about a call is written twice.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Generic, TypeVar

import attrs

from .call import APIResponse, Call

if TYPE_CHECKING:
    from .engine import ErrorFactory

T = TypeVar("T")


@attrs.frozen
class Operation(Generic[T]):
    """A request and the function that turns its answer into the SDK's return value."""

    call: Call
    parse: Callable[[APIResponse], T]

    def answer(self, response: APIResponse, errors: ErrorFactory) -> T:
        """Parse `response`; a body of the wrong shape becomes the SDK's malformed-response error, never a raw one."""
        try:
            return self.parse(response)
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise errors.malformed_response(
                message=f"unexpected response body ({type(exc).__name__})",
                status_code=response.status_code,
                request_id=response.request_id,
            ) from None
