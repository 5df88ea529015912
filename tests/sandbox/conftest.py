"""Fixtures of the sandbox tests: a webhook endpoint the Loops sandbox (and the dashboard's replays) deliver to."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from webhook_receiver import Receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    """A webhook endpoint on a free loopback port, recording every request (closed after the test)."""
    endpoint = Receiver()
    try:
        yield endpoint
    finally:
        endpoint.close()
