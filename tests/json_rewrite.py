"""An ASGI wrapper that edits the JSON bodies an app answers with: for tests that plant a change in a sandbox's
answers (a missing field, extra JWKS members) while the app itself stays as shipped."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

ASGIApp = Callable[[dict[str, Any], Any, Any], Awaitable[None]]


def rewrite_json(app: Any, change: Callable[[Any], None], path: str | None = None) -> ASGIApp:
    """`app`, with `change(body)` applied in place to every JSON object it answers (only under `path`, if given)."""

    async def wrapped(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if path is not None and scope.get("path") != path:
            await app(scope, receive, send)
            return

        async def patched_send(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.body" and message.get("body", b"").startswith(b"{"):
                body = json.loads(message["body"])
                change(body)
                message = {**message, "body": json.dumps(body).encode()}
            elif message["type"] == "http.response.start":
                message = {**message, "headers": [(k, v) for k, v in message["headers"] if k != b"content-length"]}
            await send(message)

        await app(scope, receive, patched_send)

    return wrapped
