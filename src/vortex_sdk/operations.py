"""Every Vortex call once, as an `sdk_runtime.Operation`: arguments checked, request built by the generated client.

`Vortex`'s async methods and their `_sync` twins only run these, so checks, paths and parsing exist once.
Bad arguments raise `VortexValidationError` (a `ValueError`) here, before anything is sent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from vortex_api.api.autojoin import configure_autojoin as api_configure_autojoin
from vortex_api.api.autojoin import get_autojoin_domains as api_autojoin_domains
from vortex_api.api.invitations import accept_invitations as api_accept
from vortex_api.api.invitations import create_invitation as api_create
from vortex_api.api.invitations import delete_invitations_by_scope as api_delete_by_scope
from vortex_api.api.invitations import get_invitation as api_get
from vortex_api.api.invitations import get_invitations_by_scope as api_by_scope
from vortex_api.api.invitations import get_invitations_by_target as api_by_target
from vortex_api.api.invitations import reinvite as api_reinvite
from vortex_api.api.invitations import revoke_invitation as api_revoke
from vortex_api.api.invitations import sync_internal_invitation as api_sync_internal
from vortex_api.models import (
    AcceptInvitationsRequest,
    AcceptTarget,
    AcceptTargetType,
    ConfigureAutojoinRequest,
    CreateInvitationRequest,
    InvitationList,
    SyncInternalInvitationRequest,
    TargetQueryType,
)
from vortex_api.models import AcceptUser as ApiAcceptUser
from vortex_api.models import AutojoinDomainsResponse as ApiAutojoinDomainsResponse
from vortex_api.models import CreateInvitationResponse as ApiCreateInvitationResponse
from vortex_api.models import Invitation as ApiInvitation
from vortex_api.models import SyncInternalInvitationResponse as ApiSyncInternalInvitationResponse

from sdk_runtime import APIResponse, Call, Expect, Operation
from sdk_runtime.deprecation import warn_deprecated

from .errors import VortexValidationError
from .types import (
    AcceptUser,
    AutojoinDomainsResponse,
    CreateInvitationResponse,
    Invitation,
    InvitationTarget,
    SyncInternalInvitationResponse,
)

T = TypeVar("T")
TARGET_QUERY_TYPES = ("email", "username", "phoneNumber")
ACCEPT_TARGET_TYPES = ("email", "phone", "sms")
MAX_ACCEPT_IDS = 100
SYNC_ACTIONS = ("accepted", "declined")
TARGET_DEPRECATION = (
    "[Vortex SDK] DEPRECATED: Passing an InvitationTarget is deprecated. "
    "Use the AcceptUser format instead: AcceptUser(email='user@example.com')"
)
logger: logging.Logger = logging.getLogger("vortex_sdk")
"""The SDK's logger (the deprecation of a older target is a `DeprecationWarning`, never a log line)."""
Acceptor = AcceptUser | InvitationTarget | Mapping[str, Any]
"""Who accepts: an `AcceptUser` or a dict of its fields, or (deprecated) a older target."""


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


def _accept_target(target: InvitationTarget | Mapping[str, Any]) -> AcceptTarget:
    if isinstance(target, InvitationTarget):
        kind, value = target.type, target.value
    else:
        if set(target) - {"type", "value"} or "type" not in target or "value" not in target:
            raise VortexValidationError("target must have exactly the keys 'type' and 'value'")
        kind, value = target["type"], target["value"]
    if kind == "phoneNumber":
        kind = "phone"
    if kind not in ACCEPT_TARGET_TYPES:
        raise VortexValidationError(f"target type must be one of {', '.join(ACCEPT_TARGET_TYPES)}, got {kind!r}")
    return AcceptTarget(type_=AcceptTargetType(kind), value=_text("target value", value))


_USER_KEYS = {"email": "email", "phone": "phone", "name": "name", "is_existing": "is_existing"}
_USER_KEYS["isExisting"] = "is_existing"


def _accept_user(user: AcceptUser | Mapping[str, Any]) -> ApiAcceptUser:
    if isinstance(user, Mapping):
        unknown = set(user) - set(_USER_KEYS)
        if unknown:
            raise VortexValidationError(f"user has unknown keys {sorted(map(str, unknown))}")
        user = AcceptUser(**{_USER_KEYS[str(k)]: v for k, v in user.items()})
    if not user.email and not user.phone:
        raise VortexValidationError("User must have either email or phone")
    api = ApiAcceptUser()
    for name in ("email", "phone", "name"):
        value = getattr(user, name)
        if value is not None:
            setattr(api, name, _text(f"user.{name}", value))
    if user.is_existing is not None:
        if not isinstance(user.is_existing, bool):
            raise VortexValidationError("user.is_existing must be a bool")
        api.isExisting = user.is_existing
    return api


def _is_target(given: object) -> bool:
    return isinstance(given, InvitationTarget) or (isinstance(given, Mapping) and ("type" in given or "value" in given))


def accept_invitations(invitation_ids: Sequence[str], user_or_target: Acceptor | None) -> Operation[dict[str, Any]]:
    """POST /invitations/accept; the service's answer as a dict (`{"invitations": [...]}`), as upstream.

    An `AcceptUser` (or a dict of its fields) is sent as `user`; a older target (`InvitationTarget`, or a dict
    with `type` and `value`) still works, is sent as `target`, and raises one `DeprecationWarning`
    (upstream's text; nothing is printed).
    """
    if isinstance(invitation_ids, str) or not isinstance(invitation_ids, Sequence):
        raise VortexValidationError("invitation_ids must be a list of invitation IDs")
    if not invitation_ids:
        raise VortexValidationError("invitation_ids must not be empty")
    if len(invitation_ids) > MAX_ACCEPT_IDS:
        raise VortexValidationError(f"at most {MAX_ACCEPT_IDS} invitations can be accepted at once")
    ids = list(dict.fromkeys(_text("invitation_ids[]", i, 128) for i in invitation_ids))
    if user_or_target is None:
        raise VortexValidationError("user is required: AcceptUser(email='user@example.com')")
    if _is_target(user_or_target):
        warn_deprecated([TARGET_DEPRECATION])  # the one signal, at the caller's line: no log line, no print
        target = _accept_target(user_or_target)  # type: ignore[arg-type]  # _is_target checked the shape
        body = AcceptInvitationsRequest(invitation_ids=ids, target=target)
    elif isinstance(user_or_target, AcceptUser | Mapping):
        body = AcceptInvitationsRequest(invitation_ids=ids, user=_accept_user(user_or_target))
    else:
        kind = type(user_or_target).__name__
        raise VortexValidationError(f"user must be an AcceptUser, a dict or an InvitationTarget, not {kind}")
    return _build(lambda: api_accept._get_kwargs(body=body), _empty, Expect.JSON)


def reinvite(invitation_id: str) -> Operation[Invitation]:
    """POST /invitations/{invitationId}/reinvite."""
    invitation_id = _text("invitation_id", invitation_id, 128)
    return _build(lambda: api_reinvite._get_kwargs(invitation_id), _invitation, Expect.JSON)


def get_invitations_by_scope(scope_type: str, scope: str) -> Operation[list[Invitation]]:
    """GET /invitations/by-scope/{scopeType}/{scope} (what upstream's by-group calls use too, since 0.19)."""
    scope_type, scope = _text("scope_type", scope_type, 128), _text("scope", scope, 128)
    return _build(lambda: api_by_scope._get_kwargs(scope_type, scope), _invitations, Expect.JSON)


def delete_invitations_by_scope(scope_type: str, scope: str) -> Operation[dict[str, Any]]:
    """DELETE /invitations/by-scope/{scopeType}/{scope}; `{}` on success, as upstream."""
    scope_type, scope = _text("scope_type", scope_type, 128), _text("scope", scope, 128)
    return _build(lambda: api_delete_by_scope._get_kwargs(scope_type, scope), _empty, Expect.NOTHING)


def _model(name: str, given: object, keys: Mapping[str, str]) -> dict[str, Any]:
    """A dict argument in the API's camelCase; `keys` maps each accepted spelling (snake or camel) to it."""
    if hasattr(given, "model_dump"):  # upstream's pydantic models, or ours
        given = given.model_dump(by_alias=True, exclude_none=True)
    if not isinstance(given, Mapping):
        raise VortexValidationError(f"{name} must be a dict, not {type(given).__name__}")
    unknown = set(given) - set(keys)
    if unknown:
        raise VortexValidationError(f"{name} has unknown keys {sorted(map(str, unknown))}")
    return {keys[str(k)]: v for k, v in given.items() if v is not None}


def _camel_keys(*names: str) -> dict[str, str]:
    keys = {}
    for name in names:
        head, *rest = name.split("_")
        camel = head + "".join(part.title() for part in rest)
        keys[name] = keys[camel] = camel
    return keys


_TARGET_KEYS = _camel_keys("type", "value", "name", "avatar_url")
_INVITER_KEYS = _camel_keys("user_id", "user_email", "name", "avatar_url", "user_name", "user_avatar_url")
_SCOPE_KEYS = {**_camel_keys("type", "group_id", "name"), "scope_id": "groupId", "scopeId": "groupId"}


def _scopes(
    groups: Sequence[Any] | None, scopes: Sequence[Any] | None, flat: tuple[str | None, str | None, str | None]
) -> list[dict[str, Any]] | None:
    """Upstream's precedence: `groups`, else `scopes`, else the flat `scope_id`/`scope_type`/`scope_name`."""
    scope_id, scope_type, scope_name = flat
    chosen = groups or scopes
    if not chosen:
        return [{"type": scope_type or "", "groupId": scope_id, "name": scope_name or ""}] if scope_id else None
    return [_model("groups[]", g, _SCOPE_KEYS) for g in chosen]


def create_invitation(
    widget_configuration_id: str,
    target: Mapping[str, Any],
    inviter: Mapping[str, Any],
    groups: Sequence[Mapping[str, Any]] | None = None,
    source: str | None = None,
    template_variables: Mapping[str, str] | None = None,
    metadata: Mapping[str, Any] | None = None,
    scope_id: str | None = None,
    scope_type: str | None = None,
    scope_name: str | None = None,
    scopes: Sequence[Mapping[str, Any]] | None = None,
) -> Operation[CreateInvitationResponse]:
    """POST /invitations: an invitation made by your backend (`target` type `email`, `phone` or `internal`)."""
    body: dict[str, Any] = {
        "widgetConfigurationId": _text("widget_configuration_id", widget_configuration_id, 255),
        "target": _model("target", target, _TARGET_KEYS),
        "inviter": _model("inviter", inviter, _INVITER_KEYS),
    }
    optional = {
        "groups": _scopes(groups, scopes, (scope_id, scope_type, scope_name)),
        "source": source,
        "templateVariables": None if template_variables is None else dict(template_variables),
        "metadata": None if metadata is None else dict(metadata),
    }
    body.update({k: v for k, v in optional.items() if v is not None})
    request = _from_dict(CreateInvitationRequest, body)
    parse = _parsed(ApiCreateInvitationResponse, CreateInvitationResponse)
    return _build(lambda: api_create._get_kwargs(body=request), parse, Expect.JSON)


def _from_dict(model: Any, body: Mapping[str, Any]) -> Any:
    """The generated request model of `body`; a shape it cannot take is a `VortexValidationError`."""
    try:
        return model.from_dict(body)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise VortexValidationError(f"invalid {model.__name__}: {exc}") from None


def _parsed(api_model: Any, model: Any) -> Callable[[APIResponse], Any]:
    def parse(response: APIResponse) -> Any:
        return model.from_api(api_model.from_dict(response.data))

    return parse


def get_autojoin_domains(scope_type: str, scope: str) -> Operation[AutojoinDomainsResponse]:
    """GET /invitations/by-scope/{scopeType}/{scope}/autojoin."""
    scope_type, scope = _text("scope_type", scope_type, 128), _text("scope", scope, 128)
    parse = _parsed(ApiAutojoinDomainsResponse, AutojoinDomainsResponse)
    return _build(lambda: api_autojoin_domains._get_kwargs(scope_type, scope), parse, Expect.JSON)


def configure_autojoin(
    scope: str,
    scope_type: str,
    domains: Sequence[str],
    component_id: str,
    scope_name: str | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> Operation[AutojoinDomainsResponse]:
    """POST /invitations/autojoin: the scope's autojoin domains become exactly `domains` (none turns it off)."""
    if isinstance(domains, str) or not isinstance(domains, Sequence):
        raise VortexValidationError("domains must be a list of domains")
    body: dict[str, Any] = {
        "scope": _text("scope", scope, 128),
        "scopeType": _text("scope_type", scope_type, 128),
        "domains": [_text("domains[]", d, 253) for d in domains],
        "componentId": _text("component_id", component_id, 255),
    }
    if scope_name is not None:
        body["scopeName"] = scope_name
    if metadata is not None:
        body["metadata"] = dict(metadata)
    request = _from_dict(ConfigureAutojoinRequest, body)
    parse = _parsed(ApiAutojoinDomainsResponse, AutojoinDomainsResponse)
    return _build(lambda: api_configure_autojoin._get_kwargs(body=request), parse, Expect.JSON)


def sync_internal_invitation(
    creator_id: str, target_value: str, action: str, component_id: str
) -> Operation[SyncInternalInvitationResponse]:
    """POST /invitations/sync-internal-invitation: an internal invitation was `accepted` or `declined` in-app."""
    if action not in SYNC_ACTIONS:
        raise VortexValidationError(f"action must be one of {', '.join(SYNC_ACTIONS)}, got {action!r}")
    body = {
        "creatorId": _text("creator_id", creator_id, 255),
        "targetValue": _text("target_value", target_value),
        "action": action,
        "componentId": _text("component_id", component_id, 255),
    }
    request = _from_dict(SyncInternalInvitationRequest, body)
    parse = _parsed(ApiSyncInternalInvitationResponse, SyncInternalInvitationResponse)
    return _build(lambda: api_sync_internal._get_kwargs(body=request), parse, Expect.JSON)
