"""Vortex SDK (`pip install vortex-python-sdk`): invitations and widget JWTs, as the Vortex integration guide uses them.

    from vortex_sdk import AcceptUser, Vortex, User, VortexApiError

    vortex = Vortex(api_key="VRTX....")                 # or set VORTEX_API_KEY
    jwt = vortex.generate_jwt(user=User(id="user-123", email="user@example.com"))
    invitations = await vortex.get_invitations_by_target("email", "user@example.com")
    await vortex.accept_invitation(invitations[0].id, AcceptUser(email="user@example.com"))
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
from .types import (
    AcceptUser,
    AutojoinDomain,
    AutojoinDomainsResponse,
    CreateInvitationResponse,
    Group,
    Invitation,
    InvitationAcceptance,
    InvitationGroup,
    InvitationScope,
    InvitationTarget,
    SyncInternalInvitationResponse,
    User,
)

__all__ = [
    "AcceptUser",
    "AsyncCall",
    "AutojoinDomain",
    "AutojoinDomainsResponse",
    "ConfigurationError",
    "CreateInvitationResponse",
    "Group",
    "Invitation",
    "InvitationAcceptance",
    "InvitationGroup",
    "InvitationScope",
    "InvitationTarget",
    "NotAwaitedError",
    "SyncInternalInvitationResponse",
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
