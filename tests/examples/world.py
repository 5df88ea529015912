"""The people of the example apps' tests: a sandbox organization with a member and an admin, each with a token."""

from __future__ import annotations

import attrs


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
