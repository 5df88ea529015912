"""Shortcuts share one client per service (`app_integrations.shared_clients`): one connection pool however many
threads send, rebuilt when a setting changes, closed at exit; no socket is ever left for the garbage collector.

Against the Loops sandbox on 127.0.0.1. `ResourceWarning` is an error here: an unclosed socket fails the test.
"""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app_integrations.loops import LoopsClient
from app_integrations.shared_clients import reset, shared

pytestmark = [
    pytest.mark.filterwarnings("error::ResourceWarning"),
    pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning"),
    pytest.mark.usefixtures("earlier_garbage_collected"),
]
THREADS, SENDS_EACH = 8, 6


@pytest.fixture
def pools_made(monkeypatch: pytest.MonkeyPatch) -> list[httpx.Client]:
    """Every `httpx.Client` (one connection pool each) made during the test."""
    made: list[httpx.Client] = []
    original = httpx.Client.__init__

    def counting_init(self: httpx.Client, *args: Any, **kwargs: Any) -> None:
        made.append(self)
        original(self, *args, **kwargs)

    monkeypatch.setattr(httpx.Client, "__init__", counting_init)
    return made


@pytest.fixture
def loops_settings(django_db: Path, loops_sandbox: Any) -> Iterator[Any]:
    """Django settings pointing Loops at the sandbox, with a password-reset template; shared clients reset."""
    from django.test import override_settings

    loops_sandbox.create_template("Reset", ["name", "reset_url"], template_id="reset")
    loops_sandbox.set_rate_limit(enabled=False)  # Loops' 10 requests a second is not what is tested here
    with override_settings(
        LOOPS_API_KEY=loops_sandbox.api_key, LOOPS_BASE_URL=loops_sandbox.url, LOOPS_PASSWORD_RESET_ID="reset"
    ):
        yield loops_sandbox
    reset()
    gc.collect()


def _in_threads(work: Callable[[int], dict[str, Any]]) -> list[dict[str, Any]]:
    results: list[dict[str, Any]] = []
    lock = threading.Lock()
    start = threading.Barrier(THREADS)

    def run(thread: int) -> None:
        start.wait()
        for n in range(SENDS_EACH):
            result = work(thread * SENDS_EACH + n)
            with lock:
                results.append(result)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


class Member:
    """The little of a user the Loops shortcuts read."""

    def __init__(self, n: int) -> None:
        self.email, self.first_name = f"member{n}@example.com", f"Member {n}"


def test_threads_sharing_one_client_make_one_pool(loops_sandbox: Any, pools_made: list[httpx.Client]) -> None:
    loops_sandbox.create_template("Hello", ["n"], template_id="hello")
    loops_sandbox.set_rate_limit(enabled=False)
    with LoopsClient(api_key=loops_sandbox.api_key, base_url=loops_sandbox.url, debug_mode=False) as client:
        results = _in_threads(lambda n: dict(client.transactional_email(f"u{n}@example.com", "hello", {"n": n})))
    gc.collect()
    assert [r["success"] for r in results] == [True] * THREADS * SENDS_EACH
    assert len(pools_made) == 1
    assert len(loops_sandbox.outbox()) == THREADS * SENDS_EACH


def test_a_shortcut_in_many_threads_uses_one_client_and_one_pool(
    loops_settings: Any, pools_made: list[httpx.Client]
) -> None:
    from app_integrations.loops.shortcuts import send_password_reset_email

    results = _in_threads(lambda n: dict(send_password_reset_email(Member(n), f"https://example.com/reset/{n}")))
    gc.collect()
    assert [r["success"] for r in results] == [True] * THREADS * SENDS_EACH
    assert "simulated" not in results[0]
    assert len(pools_made) == 1  # one per call before: 48 pools, 48 handshakes, 48 sockets left open
    assert len(loops_settings.outbox()) == THREADS * SENDS_EACH


def test_a_changed_setting_rebuilds_the_shared_client_and_closes_the_old_one(loops_settings: Any) -> None:
    from django.test import override_settings

    first = shared(LoopsClient)
    assert shared(LoopsClient) is first
    assert first.event("ada@example.com", "signed_up")["success"] is True
    with override_settings(LOOPS_API_KEY="another-key-123456"):
        second = shared(LoopsClient)
        assert second is not first
        assert second.test_api_key()["code"] == "unauthorized"  # built from the new settings
    assert first.event("ada@example.com", "signed_up")["code"] == "client_closed"
    assert shared(LoopsClient) is not second  # and rebuilt again when the override ended


def test_shared_clients_are_closed_at_exit(loops_sandbox: Any) -> None:
    script = textwrap.dedent(
        """
        from app_integrations.loops import LoopsClient
        from app_integrations.shared_clients import shared

        result = shared(LoopsClient).event("ada@example.com", "signed_up")
        assert result["success"] and "simulated" not in result, result
        """
    )
    env = {**os.environ, "LOOPS_API_KEY": loops_sandbox.api_key, "LOOPS_BASE_URL": loops_sandbox.url,
           "PYTHONWARNINGS": "error::ResourceWarning", "PYTHONDEVMODE": "1"}  # fmt: skip
    run = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert "ResourceWarning" not in run.stderr and "unclosed" not in run.stderr
