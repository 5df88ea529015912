"""The template's test set-up: its settings, a fresh test database (SQLite, or PostgreSQL from `DATABASE_URL`)
created once per run and emptied after each test, and the sandboxes of `sdk_sandbox`'s pytest plugin."""

import os
from collections.abc import Iterator
from typing import Any

import django
import pytest

pytest_plugins = ["pytester"]  # the guide's own test blocks run under pytest (apps/common/tests)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings")
django.setup()


@pytest.fixture(scope="session", autouse=True)
def test_database() -> Iterator[None]:
    """`test_<name>` created and migrated for this run (Django's own test-database machinery), dropped after."""
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    setup_test_environment()
    original = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    yield
    connection.creation.destroy_test_db(original, verbosity=0)
    teardown_test_environment()


@pytest.fixture(autouse=True)
def empty_tables(test_database: None) -> Iterator[None]:
    """Every test starts and ends with empty tables."""
    yield
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)


def pytest_configure(config: pytest.Config) -> None:
    """Register the `guide` marker."""
    config.addinivalue_line("markers", "guide(*numbers): the test runs these Python blocks of docs/integrations.rst")


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


@pytest.fixture
def user() -> Any:
    """A signed-up user (no password: these users sign in by e-mailed link)."""
    from apps.common.models import User

    created = User(username="ada", email="ada@example.com", first_name="Ada", last_name="Lovelace")
    created.set_unusable_password()
    created.save()
    return created
