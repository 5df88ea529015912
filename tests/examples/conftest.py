"""Fixtures of the example apps' tests: the sandboxes, two Vault users with tokens, and a driver per framework."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from invitations_common.settings import Settings

from sdk_sandbox.pytest_plugin import SandboxHandle

from .drivers import DjangoDriver, Driver, FastAPIDriver, FlaskDriver
from .world import Person, World


@pytest.fixture
def world(vault_client: Any, vault_sandbox: SandboxHandle) -> World:
    """An organization with a member (alice) and an admin (bob), each holding a token minted for the org."""
    org = vault_client.organizations.create(name="Acme", slug="acme")
    people = []
    for email, role in (("alice@example.com", "member"), ("bob@example.com", "admin")):
        user = vault_client.users.create(email=email, password="correct horse battery")
        vault_client.organizations.add_member(org.id, user.id, role=role)
        minted = vault_sandbox.control("POST", "/sandbox/tokens", {"user_id": user.id, "org_id": org.id})
        people.append(Person(user.id, email, minted["token"], minted["session_id"]))
    return World(org.id, people[0], people[1])


@pytest.fixture(params=["fastapi", "flask", "django"])
def app(request: pytest.FixtureRequest, vault_sandbox: SandboxHandle, vortex_sandbox: SandboxHandle,
        tmp_path: Path) -> Iterator[Driver]:  # fmt: skip
    """Each example app in turn, wired to the emptied sandboxes and an empty database."""
    settings = Settings(
        vault_api_key=vault_sandbox.api_key, vault_base_url=vault_sandbox.url,
        vortex_api_key=vortex_sandbox.api_key, vortex_base_url=vortex_sandbox.url,
        database_url=f"sqlite:///{tmp_path / 'app.db'}",
    )  # fmt: skip
    if request.param == "fastapi":
        driver = FastAPIDriver(settings, tmp_path / "app.db")
        with driver.client:  # runs the lifespan: migration, clients opened and closed
            yield driver
    elif request.param == "flask":
        yield FlaskDriver(settings, tmp_path / "app.db")
    else:
        db_path: Path = request.getfixturevalue("django_db")
        import sqlite3

        with sqlite3.connect(db_path) as db:
            db.execute("DELETE FROM group_memberships")
            db.execute("DROP TRIGGER IF EXISTS refuse_group")
        yield DjangoDriver(settings, db_path)
