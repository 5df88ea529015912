"""pytest plugin of the httpx2 compatibility session: every SDK client made without `http_client=` gets an httpx2
one, as a user whose application runs on httpx2 would pass it.

Every facade (VaultAuth, AsyncVaultAuth, Vortex, the app_integrations clients) sends through `sdk_runtime`'s
`SyncAPIClient` / `AsyncAPIClient`, so wrapping their constructors injects the client into all of them, down the
same path as `VaultAuth(..., http_client=httpx2.Client())`. Load it with `-p tests.httpx2_injection` (noxfile.py's
`httpx2` session does); the injected clients are closed after each test.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from typing import Any

import httpx2
import pytest

from sdk_runtime import client as runtime

INJECTED: list[str] = []  # the SDK client classes that got an httpx2 client, over the whole run


@pytest.fixture(autouse=True)
def httpx2_http_clients(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Inject a fresh `httpx2.Client` / `httpx2.AsyncClient` into each SDK client made in the test."""
    made: list[Any] = []

    def injecting(cls: type[Any], stack_client: type[Any]) -> None:
        original = cls.__init__

        def __init__(self: Any, config: Any, *, errors: Any = None, http_client: Any = None) -> None:
            if http_client is None:
                http_client = stack_client(follow_redirects=False)
                made.append(http_client)
                INJECTED.append(type(self).__name__)
            original(self, config, errors=errors, http_client=http_client)

        monkeypatch.setattr(cls, "__init__", __init__)

    injecting(runtime.SyncAPIClient, httpx2.Client)
    injecting(runtime.AsyncAPIClient, httpx2.AsyncClient)
    yield made
    for http in made:
        if isinstance(http, httpx2.AsyncClient):
            with contextlib.suppress(RuntimeError):  # its connections' event loop may be gone already
                asyncio.run(http.aclose())
        else:
            http.close()


def pytest_report_header() -> str:
    """Say in the run's header that the SDK clients send through httpx2."""
    return f"SDK clients send through injected httpx2 {httpx2.__version__} clients (tests.httpx2_injection)"


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """How many SDK clients sent through httpx2 (a run that injected none tested nothing of httpx2)."""
    terminalreporter.write_line(f"httpx2 clients injected into {len(INJECTED)} SDK clients")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fail a run whose tests made no SDK client at all: it would pass without testing httpx2."""
    if exitstatus == 0 and session.testscollected and not INJECTED:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED
