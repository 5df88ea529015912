"""Suite-wide set-up: Django configured once per process, and the real parts most folders use.

The examples, the generator and the packaging scripts are on the import path through pytest's `pythonpath`
(pyproject.toml). Django settings are process-wide, so `tests.django_suite_settings` (the example project's plus
the integrations app) is the one configuration; tests that need other settings (the middleware tests) layer
`override_settings` on top of it.
"""

from __future__ import annotations

import gc
import os
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(scope="session")
def django_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Django set up with the suite's settings (the example project's plus the integrations app), migrated once."""
    path = tmp_path_factory.mktemp("django") / "db.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.django_suite_settings"
    os.environ["DJANGO_DB_PATH"] = str(path)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    yield path


@pytest.fixture
def chromium() -> str:
    """Debian's Chromium binary (never a downloaded browser; skipped when missing, a failure under CI)."""
    from .real_parts import find_chromium

    return find_chromium()


@pytest.fixture
def receiver() -> Iterator[Any]:
    """A webhook endpoint on a free loopback port recording every request (`webhook_receiver.Receiver`), closed after
    the test; the Loops sandbox's deliveries and the dashboard's replays go to it."""
    from .webhook_receiver import Receiver

    endpoint = Receiver()
    try:
        yield endpoint
    finally:
        endpoint.close()


@pytest.fixture
def django_server(django_db: Path) -> Iterator[str]:
    """The suite's Django project on 127.0.0.1 (free port) through Django's ASGI handler, so a sandbox can deliver
    webhooks and callbacks to it; stopped after the test."""
    from django.core.asgi import get_asgi_application

    from sdk_sandbox.runner import BackgroundServer, bind, url_of

    sock = bind()
    with BackgroundServer([(get_asgi_application(), sock)], lifespan="off"):
        yield url_of(sock)


@pytest.fixture
def no_configured_credentials(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Neither the environment nor Django's settings name a Vault or Vortex key or URL, for tests of the family's
    configuration rule: once an earlier test has configured Django with the example project's settings, those
    settings come before the environment, as they do in a Django project."""
    names = ("VAULT_API_KEY", "VAULT_BASE_URL", "VORTEX_API_KEY", "VORTEX_BASE_URL")
    for name in names:
        monkeypatch.delenv(name, raising=False)
    if "django.conf" not in sys.modules:
        yield
        return
    from django.conf import settings
    from django.test.utils import override_settings

    if not settings.configured:
        yield
        return
    with override_settings():  # a layer of its own, so the deletions end with the test
        for name in names:
            if hasattr(settings, name):
                delattr(settings, name)
        yield


@pytest.fixture
def earlier_garbage_collected() -> None:
    """Collect what earlier tests left before this one runs, so a socket they leaked is not blamed on it."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        gc.collect()


@pytest.fixture
def no_leaks(request: pytest.FixtureRequest, earlier_garbage_collected: None) -> Iterator[None]:
    """Fail on any unclosed socket or transport the test leaves behind (they surface when collected), unless the
    test is marked `filterwarnings("ignore::ResourceWarning")`."""
    yield
    ignored = {arg for mark in request.node.iter_markers("filterwarnings") for arg in mark.args}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore" if "ignore::ResourceWarning" in ignored else "error", ResourceWarning)
        gc.collect()
