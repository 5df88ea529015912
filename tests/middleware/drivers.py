"""One driver per framework entry point: sends a request through the framework's own test client and answers
status, headers and JSON body alike for Flask, FastAPI (Starlette's TestClient) and Django (sync and async)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any

import attrs


@attrs.frozen
class Answer:
    """What an app answered."""

    status: int
    headers: Any
    body: Any


class Driver:
    """Sends requests to one app through its framework's test client."""

    def __init__(self, send: Any, envelope: str, close: Any = None) -> None:
        self._send, self.envelope, self._close = send, envelope, close

    def call(self, path: str, headers: Sequence[tuple[str, str]] = (), method: str = "GET") -> Answer:
        """One request."""
        answer: Answer = self._send(method, path, list(headers))
        return answer

    def error(self, answer: Answer) -> str | None:
        """The RFC 6750 `error` code of a refusal, in this integration's envelope."""
        body = answer.body or {}
        inner = body.get("detail") if self.envelope == "detail" else body
        return inner.get("error") if isinstance(inner, dict) else None

    def close(self) -> None:
        """Release the test client."""
        if self._close is not None:
            self._close()


def flask_driver(app: Any) -> Driver:
    """Flask's test client."""
    client = app.test_client()

    def send(method: str, path: str, headers: list[tuple[str, str]]) -> Answer:
        response = client.open(path, method=method, headers=headers)
        return Answer(response.status_code, response.headers, response.get_json(silent=True))

    return Driver(send, "flat")


def fastapi_driver(app: Any) -> Driver:
    """Starlette's TestClient, one event loop for the whole test (entered as a context)."""
    from fastapi.testclient import TestClient

    client = TestClient(app)
    client.__enter__()

    def send(method: str, path: str, headers: list[tuple[str, str]]) -> Answer:
        response = client.request(method, path, headers=headers)
        body = response.json() if response.headers.get("content-type", "").startswith("application/json") else None
        return Answer(response.status_code, response.headers, body)

    return Driver(send, "detail", lambda: client.__exit__(None, None, None))


def django_driver(asynchronous: bool) -> Driver:
    """Django's Client (WSGI handler) or AsyncClient (ASGI handler, on one event loop for the test)."""
    import json

    from django.test import AsyncClient, Client

    loop = asyncio.new_event_loop() if asynchronous else None
    client = AsyncClient() if asynchronous else Client()

    def send(method: str, path: str, headers: list[tuple[str, str]]) -> Answer:
        merged: dict[str, str] = {}
        for name, value in headers:  # Django's client takes one value per header, as WSGI servers join them
            merged[name] = f"{merged[name]},{value}" if name in merged else value
        request = client.generic(method, path, headers=merged)
        response = loop.run_until_complete(request) if loop is not None else request
        body = json.loads(response.content) if response.get("Content-Type", "").startswith("application/json") else None
        return Answer(response.status_code, response.headers, body)

    return Driver(send, "flat", loop.close if loop is not None else None)
