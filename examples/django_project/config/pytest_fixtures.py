"""The project's pytest fixtures (loaded by `conftest.py`): Django set up with the project's settings, a fresh test
database (SQLite, or PostgreSQL from `DATABASE_URL`) created once per run and emptied after each test, and a user.

The sandboxes the tests talk to (`loops_sandbox`, `stripe_sandbox`, `twilio_sandbox`) come from the pytest plugin of
the `sdk-sandbox` distribution, installed with the project's test dependencies.
"""

import os
from collections.abc import Iterator
from typing import Any

import django
import pytest

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
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


@pytest.fixture
def user() -> Any:
    """A signed-up user (no password: these users sign in by e-mailed link)."""
    from apps.common.models import User

    created = User(username="ada", email="ada@example.com", first_name="Ada", last_name="Lovelace")
    created.set_unusable_password()
    created.save()
    return created
