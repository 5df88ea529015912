"""One way to drive each example app through its own framework's test client, so one scenario runs on all three."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

import attrs
from invitations_common.settings import Settings


@attrs.frozen
class Answer:
    """What the app answered."""

    status: int
    body: Any
    headers: Mapping[str, str]


class Driver(Protocol):
    """Calls one example app and looks into its database."""

    name: str
    db_path: Path

    def call(
        self, method: str, path: str, *, token: str | None = None, json: Any = None,
        headers: Sequence[tuple[str, str]] = (), data: bytes | None = None,
    ) -> Answer:  # fmt: skip
        """Send a request (`token` becomes `Authorization: Bearer <token>`)."""
        ...


def _headers(token: str | None, headers: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    out = list(headers)
    if token is not None:
        out.append(("Authorization", f"Bearer {token}"))
    return out


def memberships(driver: Driver) -> list[tuple[str, str, str]]:
    """Every row of the app's `group_memberships` table."""
    with sqlite3.connect(driver.db_path) as db:
        return sorted(db.execute("SELECT user_id, group_type, group_id FROM group_memberships").fetchall())


def fail_inserts_of_group(driver: Driver, group_id: str) -> None:
    """Make the database refuse any membership of `group_id` (to prove the accept rolls back)."""
    with sqlite3.connect(driver.db_path) as db:
        db.execute(
            "CREATE TRIGGER IF NOT EXISTS refuse_group BEFORE INSERT ON group_memberships "
            f"WHEN NEW.group_id = '{group_id}' BEGIN SELECT RAISE(ABORT, 'refused by test'); END"
        )


class FastAPIDriver:
    """The FastAPI app through `fastapi.testclient.TestClient` (lifespan included)."""

    name = "fastapi"

    def __init__(self, settings: Settings, db_path: Path) -> None:
        from fastapi.testclient import TestClient
        from fastapi_app.main import create_app

        self.db_path = db_path
        self.client = TestClient(create_app(settings))

    def call(self, method, path, *, token=None, json=None, headers=(), data=None):  # type: ignore[no-untyped-def]
        """See `Driver.call`."""
        response = self.client.request(method, path, headers=_headers(token, headers), json=json, content=data)
        return Answer(response.status_code, response.json() if response.content else None, response.headers)


class FlaskDriver:
    """The Flask app through Flask's test client."""

    name = "flask"

    def __init__(self, settings: Settings, db_path: Path) -> None:
        from flask_app.app import create_app

        self.db_path = db_path
        self.client = create_app(settings).test_client()

    def call(self, method, path, *, token=None, json=None, headers=(), data=None):  # type: ignore[no-untyped-def]
        """See `Driver.call`."""
        response = self.client.open(path, method=method, headers=_headers(token, headers), json=json, data=data)
        return Answer(response.status_code, response.get_json(silent=True), response.headers)


class DjangoDriver:
    """The Django project through `django.test.Client` (settings pointed at this session's sandboxes)."""

    name = "django"

    def __init__(self, settings: Settings, db_path: Path) -> None:
        from django.conf import settings as django_settings
        from django.test import Client

        django_settings.VAULT_API_KEY, django_settings.VAULT_BASE_URL = settings.vault_api_key, settings.vault_base_url
        django_settings.VORTEX_API_KEY = settings.vortex_api_key
        django_settings.VORTEX_BASE_URL = settings.vortex_base_url
        self.db_path = db_path
        self.client = Client()

    def call(self, method, path, *, token=None, json=None, headers=(), data=None):  # type: ignore[no-untyped-def]
        """See `Driver.call` (Django's client takes one value per header)."""
        import json as jsonlib

        body = data if data is not None else (jsonlib.dumps(json).encode() if json is not None else b"")
        response = self.client.generic(
            method, path, data=body, content_type="application/json", headers=dict(_headers(token, headers))
        )
        parsed = jsonlib.loads(response.content) if response.content else None
        return Answer(response.status_code, parsed, response.headers)
