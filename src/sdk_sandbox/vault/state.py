"""What the Vault sandbox keeps beside its tables: the signing keys and the token service that uses them."""

from __future__ import annotations

import attrs

from ..server import SandboxApp
from .keys import KeyRing
from .tokens import TokenService


@attrs.define
class VaultState:
    """The Vault sandbox's signing keys (rotated and retired through `/sandbox/keys`) and its token service."""

    keys: KeyRing
    tokens: TokenService

    @classmethod
    def new(cls) -> VaultState:
        """Fresh keys, and a token service signing with them."""
        keys = KeyRing()
        return cls(keys=keys, tokens=TokenService(keys))


def state_of(app: SandboxApp) -> VaultState:
    """The Vault state of `app` (a TypeError for another API's app)."""
    if not isinstance(app.state, VaultState):
        raise TypeError(f"{app.api.name} is not the Vault sandbox")
    return app.state
