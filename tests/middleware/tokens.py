"""The tokens the framework-integration tests send: minted by the Vault sandbox for one organization."""

from __future__ import annotations

import attrs


@attrs.frozen
class Tokens:
    """Tokens minted by the Vault sandbox for one organization."""

    member: str
    admin: str
    expired: str
    admin_email: str
