"""Scripted exchanges for the runtime tests: a fake server answering from a list of replies, and a runner that sends
one call through the sync or the async client against it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import httpx

from sdk_runtime import APIResponse, AsyncAPIClient, Call, ClientConfig, SyncAPIClient

API_KEY = "vault_m2m_test_0123456789abcdef"

Reply = httpx.Response | Exception


def make_config(**overrides: Any) -> ClientConfig:
    """A config pointed at a fake host, with fast retries unless a test asks otherwise."""
    options: dict[str, Any] = {
        "api_key": API_KEY,
        "api_key_env": "TEST_SDK_API_KEY",
        "base_url": "https://api.test",
        "sdk_name": "test-sdk",
        "sdk_version": "9.9.9",
        "max_retries": 2,
        "retry_delay": 0.01,
    }
    options.update(overrides)
    return ClientConfig.create(**options)


class Exchange:
    """A scripted server: answers requests from a list of replies and records every request and every sleep."""

    def __init__(self, replies: list[Reply] | Callable[[httpx.Request], Reply]) -> None:
        self._replies = replies
        self.requests: list[httpx.Request] = []
        self.sleeps: list[float] = []

    def _answer(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        if callable(self._replies):
            reply = self._replies(request)
        else:
            reply = self._replies[min(len(self.requests), len(self._replies)) - 1]
        if isinstance(reply, Exception):
            raise reply
        # A fresh copy per request: a response's stream can be consumed only once, and replies repeat.
        return httpx.Response(reply.status_code, headers=reply.headers, content=reply.content)

    def transport(self) -> httpx.MockTransport:
        """A transport for `httpx.Client`."""
        return httpx.MockTransport(self._answer)

    def async_transport(self) -> httpx.MockTransport:
        """A transport for `httpx.AsyncClient` (MockTransport serves both)."""

        async def handler(request: httpx.Request) -> httpx.Response:
            return self._answer(request)

        return httpx.MockTransport(handler)


class Runner:
    """Runs calls through a `SyncAPIClient` or an `AsyncAPIClient` wired to an `Exchange`."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def client(self, exchange: Exchange, config: ClientConfig | None = None) -> SyncAPIClient | AsyncAPIClient:
        """A client of this runner's kind that answers from `exchange` and records sleeps instead of sleeping."""
        config = config or make_config()
        client: SyncAPIClient | AsyncAPIClient
        if self.kind == "sync":
            client = SyncAPIClient(config, http_client=httpx.Client(transport=exchange.transport()))
            client._sleep = exchange.sleeps.append
        else:
            client = AsyncAPIClient(config, http_client=httpx.AsyncClient(transport=exchange.async_transport()))

            async def record(seconds: float) -> None:
                exchange.sleeps.append(seconds)

            client._sleep = record
        return client

    def call(self, client: SyncAPIClient | AsyncAPIClient, call: Call) -> APIResponse:
        """Send `call` and return its response (raising what the client raises)."""
        if isinstance(client, SyncAPIClient):
            return client.request(call)
        return asyncio.run(client.request(call))

    def run(self, replies: list[Reply] | Callable[[httpx.Request], Reply], call: Call, **config: Any) -> Exchange:
        """Send `call` through a fresh client against `replies`; return the exchange (re-raising errors)."""
        exchange = Exchange(replies)
        client = self.client(exchange, make_config(**config) if config else None)
        exchange.response = self.call(client, call)  # type: ignore[attr-defined]
        return exchange


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
    """A JSON response."""
    return httpx.Response(status, json=body, headers=headers)
