"""Vortex SDK (`pip install vortex-python-sdk`): invitations and widget JWTs, as seed 000 uses them.

    from vortex_sdk import Vortex, User, VortexApiError

    vortex = Vortex(api_key="VRTX....")                 # or set VORTEX_API_KEY
    jwt = vortex.generate_jwt(user=User(id="user-123", email="user@example.com"))
    invitations = await vortex.get_invitations_by_target("email", "user@example.com")
    invitation = vortex.get_invitation_sync("inv-123")  # every async method has a _sync twin

Built on the generated low-level client `vortex_api` (from `openapi/vortex.yaml`) and the shared runtime.
"""

from ._version import __version__
from .awaitable import AsyncCall, NotAwaitedError
from .client import Vortex
from .errors import (
    ConfigurationError,
    VortexApiError,
    VortexAuthenticationError,
    VortexConflictError,
    VortexConnectionError,
    VortexNotFoundError,
    VortexPermissionError,
    VortexRateLimitError,
    VortexResponseError,
    VortexServerError,
    VortexTimeoutError,
    VortexValidationError,
)
from .types import Group, Invitation, InvitationAcceptance, InvitationGroup, InvitationTarget, User

__all__ = [
    "AsyncCall",
    "ConfigurationError",
    "Group",
    "Invitation",
    "InvitationAcceptance",
    "InvitationGroup",
    "InvitationTarget",
    "NotAwaitedError",
    "User",
    "Vortex",
    "VortexApiError",
    "VortexAuthenticationError",
    "VortexConflictError",
    "VortexConnectionError",
    "VortexNotFoundError",
    "VortexPermissionError",
    "VortexRateLimitError",
    "VortexResponseError",
    "VortexServerError",
    "VortexTimeoutError",
    "VortexValidationError",
    "__version__",
]
