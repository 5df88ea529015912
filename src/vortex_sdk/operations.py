"""Every Vortex call once, as an `sdk_runtime.Operation`: arguments checked, request built by the generated client.

`Vortex`'s async methods and their `_sync` twins only run these, so checks, paths and parsing exist once.
Bad arguments raise `VortexValidationError` (a `ValueError`) here, before anything is sent.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from vortex_api.api.invitations import (
    accept_invitations as api_accept,
)
from vortex_api.api.invitations import (
    delete_invitations_by_group as api_delete_by_group,
)
from vortex_api.api.invitations import (
    get_invitation as api_get,
)
from vortex_api.api.invitations import (
    get_invitations_by_group as api_by_group,
)
from vortex_api.api.invitations import (
    get_invitations_by_target as api_by_target,
)
from vortex_api.api.invitations import (
    reinvite as api_reinvite,
)
from vortex_api.api.invitations import (
    revoke_invitation as api_revoke,
)
from vortex_api.models import AcceptInvitationsRequest, AcceptTarget, AcceptTargetType, InvitationList, TargetQueryType
from vortex_api.models import Invitation as ApiInvitation

from sdk_runtime import APIResponse, Call, Expect, Operation

from .errors import VortexValidationError
from .types import Invitation, InvitationTarget

T = TypeVar("T")
TARGET_QUERY_TYPES = ("email", "username", "phoneNumber")
ACCEPT_TARGET_TYPES = ("email", "phone", "sms")
MAX_ACCEPT_IDS = 100


def _build(kwargs: Callable[[], dict[str, Any]], parse: Callable[[APIResponse], T], expect: Expect) -> Operation[T]:
    try:
        built = kwargs()
    except ValueError as exc:  # the generated code refuses `.`, `..` and empty path parameters
        raise VortexValidationError(str(exc)) from None
    return Operation(Call.from_kwargs(built, expect), parse)


def _text(name: str, value: object, max_length: int = 320) -> str:
    if not isinstance(value, str) or not value.strip():
        raise VortexValidationError(f"{name} must be a non-empty string")
    if len(value) > max_length:
        raise VortexValidationError(f"{name} must be at most {max_length} characters")
    return value


def _invitation(response: APIResponse) -> Invitation:
    return Invitation.from_api(ApiInvitation.from_dict(response.data), response.request_id)


def _invitations(response: APIResponse) -> list[Invitation]:
    # Upstream treats a missing `invitations` key as none; a present one must be a list of invitations.
    data = response.data if isinstance(response.data, Mapping) else {}
    listing = InvitationList.from_dict({"invitations": data.get("invitations", [])})
    return [Invitation.from_api(item, response.request_id) for item in listing.invitations]


def _empty(response: APIResponse) -> dict[str, Any]:
    return dict(response.data) if isinstance(response.data, Mapping) else {}


def get_invitations_by_target(target_type: str, target_value: str) -> Operation[list[Invitation]]:
    """GET /invitations?targetType=&targetValue=."""
    if target_type not in TARGET_QUERY_TYPES:
        raise VortexValidationError(f"target_type must be one of {', '.join(TARGET_QUERY_TYPES)}, got {target_type!r}")
    value = _text("target_value", target_value)
    return _build(
        lambda: api_by_target._get_kwargs(target_type=TargetQueryType(target_type), target_value=value),
        _invitations,
        Expect.JSON,
    )


def get_invitation(invitation_id: str) -> Operation[Invitation]:
    """GET /invitations/{invitationId}."""
    invitation_id = _text("invitation_id", invitation_id, 128)
    return _build(lambda: api_get._get_kwargs(invitation_id), _invitation, Expect.JSON)


def revoke_invitation(invitation_id: str) -> Operation[dict[str, Any]]:
    """DELETE /invitations/{invitationId}; `{}` on success, as upstream."""
    invitation_id = _text("invitation_id", invitation_id, 128)
    return _build(lambda: api_revoke._get_kwargs(invitation_id), _empty, Expect.NOTHING)


def _accept_target(target: InvitationTarget | Mapping[str, Any] | None) -> AcceptTarget:
    if target is None:
        raise VortexValidationError("target is required: {'type': 'email', 'value': 'user@example.com'}")
    if isinstance(target, InvitationTarget):
        kind, value = target.type, target.value
    elif isinstance(target, Mapping):
        if set(target) - {"type", "value"} or "type" not in target or "value" not in target:
            raise VortexValidationError("target must have exactly the keys 'type' and 'value'")
        kind, value = target["type"], target["value"]
    else:
        raise VortexValidationError(f"target must be a dict or an InvitationTarget, not {type(target).__name__}")
    if kind not in ACCEPT_TARGET_TYPES:
        raise VortexValidationError(f"target type must be one of {', '.join(ACCEPT_TARGET_TYPES)}, got {kind!r}")
    return AcceptTarget(type_=AcceptTargetType(kind), value=_text("target value", value))


def accept_invitations(
    invitation_ids: Sequence[str], target: InvitationTarget | Mapping[str, Any] | None
) -> Operation[dict[str, Any]]:
    """POST /invitations/accept; the service's answer as a dict (`{"invitations": [...]}`), as upstream."""
    if isinstance(invitation_ids, str) or not isinstance(invitation_ids, Sequence):
        raise VortexValidationError("invitation_ids must be a list of invitation IDs")
    if not invitation_ids:
        raise VortexValidationError("invitation_ids must not be empty")
    if len(invitation_ids) > MAX_ACCEPT_IDS:
        raise VortexValidationError(f"at most {MAX_ACCEPT_IDS} invitations can be accepted at once")
    ids = list(dict.fromkeys(_text("invitation_ids[]", i, 128) for i in invitation_ids))
    body = AcceptInvitationsRequest(invitation_ids=ids, target=_accept_target(target))
    return _build(lambda: api_accept._get_kwargs(body=body), _empty, Expect.JSON)


def reinvite(invitation_id: str) -> Operation[Invitation]:
    """POST /invitations/{invitationId}/reinvite."""
    invitation_id = _text("invitation_id", invitation_id, 128)
    return _build(lambda: api_reinvite._get_kwargs(invitation_id), _invitation, Expect.JSON)


def get_invitations_by_group(group_type: str, group_id: str) -> Operation[list[Invitation]]:
    """GET /invitations/by-group/{groupType}/{groupId}."""
    group_type, group_id = _text("group_type", group_type, 128), _text("group_id", group_id, 128)
    return _build(lambda: api_by_group._get_kwargs(group_type, group_id), _invitations, Expect.JSON)


def delete_invitations_by_group(group_type: str, group_id: str) -> Operation[dict[str, Any]]:
    """DELETE /invitations/by-group/{groupType}/{groupId}; `{}` on success, as upstream."""
    group_type, group_id = _text("group_type", group_type, 128), _text("group_id", group_id, 128)
    return _build(lambda: api_delete_by_group._get_kwargs(group_type, group_id), _empty, Expect.NOTHING)
