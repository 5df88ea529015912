"""The runtime tests' fixture: every test that takes `runner` runs once with the sync client and once with the async."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .exchanges import Runner


@pytest.fixture(params=["sync", "async"])
def runner(request: pytest.FixtureRequest) -> Iterator[Runner]:
    """Each test using this runs once with the sync client and once with the async one."""
    yield Runner(request.param)
