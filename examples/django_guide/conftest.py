"""The guide harness's test set-up: the example project's own fixtures (its settings, a fresh test database per
run, emptied after each test, a user), pytest's `pytester` for the guide's own test blocks, the `guide` marker and
the `guide` fixture that runs blocks and fails a test whose claimed blocks did not run."""

from collections.abc import Iterator
from typing import Any

import pytest

# `config.pytest_fixtures` is the example project's (examples/django_project, on the path by pytest.ini); pytester
# runs the guide's own test blocks under pytest (test_guide_new_integration.py).
pytest_plugins = ["pytester", "config.pytest_fixtures"]


def pytest_configure(config: pytest.Config) -> None:
    """Register the `guide` marker."""
    config.addinivalue_line("markers", "guide(*numbers): the test runs these Python blocks of integrations.rst")


@pytest.fixture
def guide(request: pytest.FixtureRequest) -> Iterator[Any]:
    """A `GuideRunner` for the blocks the test claims with `@pytest.mark.guide(...)`; fails it if one did not run."""
    from guide import GuideRunner

    claimed = {number for marker in request.node.iter_markers("guide") for number in marker.args}
    runner = GuideRunner()
    yield runner
    runner.forget_modules()
    missed = sorted(claimed - runner.ran)
    assert not missed, f"the test claims guide blocks {missed} but did not run them"
