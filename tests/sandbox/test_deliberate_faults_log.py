"""A fault the sandbox injects on purpose is logged as one line by the sandbox, not as a server error."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import httpx
import pytest

from sdk_sandbox.pytest_plugin import SandboxHandle


class Recorder(logging.Handler):
    """Keeps every record it is handed."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def logs() -> Iterator[dict[str, Recorder]]:
    """Records of the sandbox's logger and of uvicorn's error logger (where a traceback would go)."""
    found = {"sdk_sandbox": Recorder(), "uvicorn.error": Recorder()}
    for name, handler in found.items():
        logging.getLogger(name).addHandler(handler)
    try:
        yield found
    finally:
        for name, handler in found.items():
            logging.getLogger(name).removeHandler(handler)


@pytest.mark.parametrize("kind", ["drop_after", "drop"])
def test_a_deliberate_drop_logs_one_line_and_no_traceback(
    vault_sandbox: SandboxHandle, logs: dict[str, Recorder], kind: str
) -> None:
    vault_sandbox.inject_fault(kind)
    headers = {"Authorization": f"Bearer {vault_sandbox.api_key}"}
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.get(f"{vault_sandbox.url}/.well-known/jwks.json", headers=headers)
    # A later request on a new connection is served after the dropped one has finished on the server's loop.
    assert httpx.get(f"{vault_sandbox.url}/.well-known/jwks.json", headers=headers).status_code == 200
    lines = [r for r in logs["sdk_sandbox"].records if r.getMessage().startswith(f"fault {kind}:")]
    assert len(lines) == 1 and lines[0].levelno == logging.WARNING and lines[0].exc_info is None
    assert "/.well-known/jwks.json" in lines[0].getMessage()
    assert logs["uvicorn.error"].records == []
