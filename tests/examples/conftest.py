"""Fixtures of the example apps' tests: the sandboxes, two Vault users with tokens, and a driver per framework."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
sys.path.insert(0, str(EXAMPLES))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from drivers import DjangoDriver, Driver, FastAPIDriver, FlaskDriver  # noqa: E402
from invitations_common.settings import Settings  # noqa: E402

from sdk_sandbox.pytest_plugin import SandboxHandle  # noqa: E402


@attrs.frozen
class Person:
    """A Vault user of the sandbox organization, with a fresh access token."""

    id: str
    email: str
    token: str
    session_id: str


@attrs.frozen
class World:
    """The organization and its two people: `member` and `admin`."""

    org_id: str
    member: Person
    admin: Person


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
