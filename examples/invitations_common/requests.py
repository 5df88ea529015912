"""Checks of the example apps' request bodies and queries, written once for the three frameworks."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from vortex_sdk import Invitation

from .callers import Caller
from .problems import bad_request, forbidden

JWT_CONTEXT_KEYS = ("componentId", "scope", "scopeType")
TARGET_TYPES = ("email", "username", "phoneNumber")


@attrs.frozen
class AcceptRequest:
    """`POST /api/vortex/invitations/accept`: which invitations, accepted as which target."""

    invitation_ids: list[str]
    target: dict[str, str]


def jwt_context(body: Any) -> dict[str, str]:
    """The optional `componentId`, `scope`, `scopeType` of `POST /api/vortex/jwt` (other keys are ignored)."""
    if body is None:
        return {}
    if not isinstance(body, Mapping):
        raise bad_request("Body must be a JSON object")
    context = {k: body[k] for k in JWT_CONTEXT_KEYS if body.get(k) is not None}
    if any(not isinstance(v, str) or len(v) > 200 for v in context.values()):
        raise bad_request("componentId, scope and scopeType must be strings of at most 200 characters")
    return context


def target_query(target_type: str | None, value: str | None) -> tuple[str, str]:
    """`?type=&value=` of `GET /api/vortex/invitations`."""
    if not target_type or not value:
        raise bad_request("Missing type or value parameter")
    if target_type not in TARGET_TYPES:
        raise bad_request(f"type must be one of {', '.join(TARGET_TYPES)}")
    return target_type, value


def accept_request(body: Any, caller: Caller) -> AcceptRequest:
    """The accept body, checked: ids and an email target that is the caller's own address.

    Accepting grants memberships, so a caller may only accept as themselves: the target must be their verified
    email (phone targets cannot be proven from a Vault token, so this app refuses them).
    """
    if not isinstance(body, Mapping):
        raise bad_request("Body must be a JSON object")
    ids, target = body.get("invitationIds"), body.get("target")
    if not ids or not target:
        raise bad_request("Missing invitationIds or target")
    if not isinstance(ids, list) or not all(isinstance(i, str) and i for i in ids) or len(ids) > 100:
        raise bad_request("invitationIds must be a list of at most 100 invitation IDs")
    if not isinstance(target, Mapping) or not isinstance(target.get("value"), str):
        raise bad_request("target must be an object with type and value")
    if target.get("type") != "email":
        raise forbidden("Only email targets can be accepted here")
    if target["value"].strip().lower() != caller.email.lower():
        raise forbidden("You can only accept invitations sent to your own email address")
    return AcceptRequest(list(dict.fromkeys(ids)), {"type": "email", "value": target["value"]})


def check_addressed_to(caller: Caller, invitations: Iterable[Invitation]) -> None:
    """403 unless every invitation was sent to the caller's email (accepting grants its groups' memberships)."""
    for invitation in invitations:
        if not any(t.type == "email" and t.value.lower() == caller.email.lower() for t in invitation.target):
            raise forbidden(f"Invitation {invitation.id} was not sent to you")
