"""What the Vortex sandbox keeps beside its tables: the account its invitations belong to."""

from __future__ import annotations

import attrs

from ..server import SandboxApp


@attrs.define
class VortexState:
    """The Vortex sandbox's one account."""

    account_id: str = "account-sandbox"


def state_of(app: SandboxApp) -> VortexState:
    """The Vortex state of `app` (a TypeError for another API's app)."""
    if not isinstance(app.state, VortexState):
        raise TypeError(f"{app.api.name} is not the Vortex sandbox")
    return app.state
