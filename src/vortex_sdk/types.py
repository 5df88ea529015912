"""The Vortex SDK's types: `User` (who a JWT is for), `Invitation` and its parts, as the seed uses them.

Attributes are snake_case (`invitation.groups[0].group_id`); `model_dump()` returns the JSON-ready dict
(snake_case keys like the upstream SDK's pydantic models, camelCase wire names with `by_alias=True`), and
`model_validate()` reads the wire form. Timestamps are timezone-aware `datetime`s, dumped as ISO 8601 text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, Self

import attrs
from vortex_api.models import AcceptUser as ApiAcceptUser
from vortex_api.models import AutojoinDomain as ApiAutojoinDomain
from vortex_api.models import AutojoinDomainsResponse as ApiAutojoinDomainsResponse
from vortex_api.models import CreateInvitationResponse as ApiCreateInvitationResponse
from vortex_api.models import Invitation as ApiInvitation
from vortex_api.models import InvitationAcceptance as ApiInvitationAcceptance
from vortex_api.models import InvitationGroup as ApiInvitationGroup
from vortex_api.models import InvitationTarget as ApiInvitationTarget
from vortex_api.models import SyncInternalInvitationResponse as ApiSyncInternalInvitationResponse
from vortex_api.types import Unset

from sdk_runtime.serialisation import Serialisable, to_jsonable


def _alias(name: str) -> dict[str, str]:
    return {"alias": name}


def _dump(value: Any, by_alias: bool, exclude_none: bool) -> Any:
    if isinstance(value, _Model):
        return value.model_dump(by_alias=by_alias, exclude_none=exclude_none)
    if isinstance(value, dt.datetime):
        return value.isoformat().replace("+00:00", "Z")
    if isinstance(value, list | tuple):
        return [_dump(item, by_alias, exclude_none) for item in value]
    if isinstance(value, Mapping):
        return {str(k): _dump(v, by_alias, exclude_none) for k, v in value.items()}
    return value


class _Model(Serialisable):
    """`model_dump()` / `model_validate()` for the attrs classes below, in the spirit of pydantic's; `to_dict()` /
    `to_json()` with the API's camelCase keys, as every model of the family has."""

    _api: ClassVar[Any]

    def model_dump(self, *, by_alias: bool = False, exclude_none: bool = False) -> dict[str, Any]:
        """A JSON-ready dict: snake_case keys, or the API's camelCase names with `by_alias=True`."""
        out: dict[str, Any] = {}
        for field in attrs.fields(type(self)):  # type: ignore[arg-type]  # every subclass is an attrs class
            if field.name == "request_id":
                continue
            value = getattr(self, field.name)
            if value is None and exclude_none:
                continue
            key = field.metadata.get("alias", field.name) if by_alias else field.name
            out[key] = _dump(value, by_alias, exclude_none)
        return out

    @classmethod
    def model_validate(cls, data: Mapping[str, Any]) -> Self:
        """Read the API's JSON form (camelCase); raise `ValueError`/`KeyError` when it does not fit."""
        return cls.from_api(cls._api.from_dict(data))

    @classmethod
    def from_api(cls, api: Any) -> Self:
        """Build from the generated low-level model."""
        raise NotImplementedError


def _opt(value: Any) -> Any:
    return None if isinstance(value, Unset) else value


def _plain(value: Any) -> Any:
    """A generated free-form object (or None/UNSET) as a plain dict (or None)."""
    value = _opt(value)
    return None if value is None else dict(value.to_dict())


@attrs.frozen
class InvitationTarget(_Model):
    """Whom an invitation was sent to: `type` (`email`, `phone`, `sms`, `share`, `internal`) and `value`."""

    _api: ClassVar[Any] = ApiInvitationTarget

    type: str
    value: str
    name: str | None = None
    avatar_url: str | None = attrs.field(default=None, metadata=_alias("avatarUrl"))

    @classmethod
    def from_api(cls, api: ApiInvitationTarget) -> Self:
        """Build from the generated model."""
        return cls(type=str(api.type_), value=api.value, name=_opt(api.name), avatar_url=_opt(api.avatar_url))


@attrs.frozen
class InvitationGroup(_Model):
    """A group an invitation grants membership of: the application's `type` and `group_id`, and its `name`."""

    _api: ClassVar[Any] = ApiInvitationGroup

    id: str
    account_id: str = attrs.field(metadata=_alias("accountId"))
    group_id: str = attrs.field(metadata=_alias("groupId"))
    type: str
    name: str
    created_at: dt.datetime = attrs.field(metadata=_alias("createdAt"))
    scope_id: str | None = attrs.field(default=None, metadata=_alias("scopeId"))
    """The same as `group_id`, under its current name (always set)."""

    @classmethod
    def from_api(cls, api: ApiInvitationGroup) -> Self:
        """Build from the generated model."""
        scope_id = _opt(api.scope_id) or api.group_id
        return cls(api.id, api.account_id, api.group_id, api.type_, api.name, api.created_at, scope_id)


Group = InvitationScope = InvitationGroup
"""The group type under its short name, and under upstream's current name (`InvitationScope`)."""


@attrs.frozen
class InvitationAcceptance(_Model):
    """One acceptance of an invitation: when, and by which target."""

    _api: ClassVar[Any] = ApiInvitationAcceptance

    id: str
    account_id: str = attrs.field(metadata=_alias("accountId"))
    project_id: str | None = attrs.field(metadata=_alias("projectId"))
    accepted_at: dt.datetime = attrs.field(metadata=_alias("acceptedAt"))
    target: InvitationTarget

    @classmethod
    def from_api(cls, api: ApiInvitationAcceptance) -> Self:
        """Build from the generated model."""
        return cls(api.id, api.account_id, _opt(api.project_id), api.accepted_at, InvitationTarget.from_api(api.target))


@attrs.frozen
class Invitation(_Model):
    """An invitation as Vortex returns it. `groups` says what accepting it should grant in your database."""

    _api: ClassVar[Any] = ApiInvitation

    id: str
    account_id: str = attrs.field(metadata=_alias("accountId"))
    click_throughs: int = attrs.field(metadata=_alias("clickThroughs"))
    configuration_attributes: dict[str, Any] | None = attrs.field(metadata=_alias("configurationAttributes"))
    attributes: dict[str, Any] | None
    created_at: dt.datetime = attrs.field(metadata=_alias("createdAt"))
    deactivated: bool
    delivery_count: int = attrs.field(metadata=_alias("deliveryCount"))
    delivery_types: list[str] = attrs.field(metadata=_alias("deliveryTypes"))
    foreign_creator_id: str = attrs.field(metadata=_alias("foreignCreatorId"))
    invitation_type: str = attrs.field(metadata=_alias("invitationType"))
    modified_at: dt.datetime | None = attrs.field(metadata=_alias("modifiedAt"))
    status: str
    target: list[InvitationTarget]
    views: int
    widget_configuration_id: str = attrs.field(metadata=_alias("widgetConfigurationId"))
    deployment_id: str = attrs.field(metadata=_alias("deploymentId"))
    project_id: str = attrs.field(metadata=_alias("projectId"))
    groups: list[InvitationGroup]
    accepts: list[InvitationAcceptance]
    expired: bool
    expires: dt.datetime | None
    metadata: dict[str, Any] | None
    scopes: list[InvitationGroup] = attrs.field(factory=list)
    """The same as `groups`, under upstream's current name."""
    scope: str | None = None
    scope_type: str | None = attrs.field(default=None, metadata=_alias("scopeType"))
    form_submission_data: dict[str, Any] | None = attrs.field(default=None, metadata=_alias("formSubmissionData"))
    pass_through: str | None = attrs.field(default=None, metadata=_alias("passThrough"))
    source: str | None = None
    subtype: str | None = None
    creator_name: str | None = attrs.field(default=None, metadata=_alias("creatorName"))
    creator_avatar_url: str | None = attrs.field(default=None, metadata=_alias("creatorAvatarUrl"))
    request_id: str | None = attrs.field(default=None, eq=False, repr=False)
    """The `X-Request-ID` of the answer this came from (for support tickets); not part of `model_dump()`."""

    @classmethod
    def from_api(cls, api: ApiInvitation, request_id: str | None = None) -> Self:
        """Build from the generated model."""
        return cls(
            id=api.id, account_id=api.account_id, click_throughs=api.click_throughs,
            configuration_attributes=_plain(api.configuration_attributes), attributes=_plain(api.attributes),
            created_at=api.created_at, deactivated=api.deactivated, delivery_count=api.delivery_count,
            delivery_types=[str(t) for t in api.delivery_types], foreign_creator_id=api.foreign_creator_id,
            invitation_type=str(api.invitation_type), modified_at=_opt(api.modified_at), status=str(api.status),
            target=[InvitationTarget.from_api(t) for t in api.target], views=api.views,
            widget_configuration_id=api.widget_configuration_id, deployment_id=api.deployment_id,
            project_id=api.project_id, groups=[InvitationGroup.from_api(g) for g in api.groups],
            accepts=[InvitationAcceptance.from_api(a) for a in _opt(api.accepts) or []], expired=api.expired,
            expires=_opt(api.expires), metadata=_plain(api.metadata),
            scopes=[InvitationGroup.from_api(g) for g in _opt(api.scopes) or api.groups], scope=_opt(api.scope),
            scope_type=_opt(api.scope_type), form_submission_data=_plain(api.form_submission_data),
            pass_through=_opt(api.pass_through), source=_opt(api.source), subtype=_opt(api.subtype),
            creator_name=_opt(api.creator_name), creator_avatar_url=_opt(api.creator_avatar_url),
            request_id=request_id,
        )  # fmt: skip


@attrs.frozen
class AcceptUser(_Model):
    """Who accepts invitations: an `email` or a `phone` (at least one), and optionally `name` and `is_existing`
    (whether they had an account before accepting; analytics only)."""

    _api: ClassVar[Any] = ApiAcceptUser

    email: str | None = None
    phone: str | None = None
    name: str | None = None
    is_existing: bool | None = attrs.field(default=None, metadata=_alias("isExisting"))

    @classmethod
    def from_api(cls, api: ApiAcceptUser) -> Self:
        """Build from the generated model (either spelling of `isExisting`)."""
        existing = _opt(api.isExisting)
        existing = _opt(api.is_existing) if existing is None else existing
        return cls(_opt(api.email), _opt(api.phone), _opt(api.name), existing)


@attrs.frozen
class CreateInvitationResponse(_Model):
    """What `create_invitation` answers: the new invitation's `id`, `short_link`, `status` and `created_at`."""

    _api: ClassVar[Any] = ApiCreateInvitationResponse

    id: str
    short_link: str = attrs.field(metadata=_alias("shortLink"))
    status: str
    created_at: dt.datetime = attrs.field(metadata=_alias("createdAt"))

    @classmethod
    def from_api(cls, api: ApiCreateInvitationResponse) -> Self:
        """Build from the generated model."""
        return cls(api.id, api.short_link, api.status, api.created_at)


@attrs.frozen
class AutojoinDomain(_Model):
    """One email domain whose users may join a scope through its autojoin invitation."""

    _api: ClassVar[Any] = ApiAutojoinDomain

    id: str
    domain: str

    @classmethod
    def from_api(cls, api: ApiAutojoinDomain) -> Self:
        """Build from the generated model."""
        return cls(api.id, api.domain)


@attrs.frozen
class AutojoinDomainsResponse(_Model):
    """A scope's autojoin domains and the autojoin invitation behind them (None before any were configured)."""

    _api: ClassVar[Any] = ApiAutojoinDomainsResponse

    autojoin_domains: list[AutojoinDomain] = attrs.field(metadata=_alias("autojoinDomains"))
    invitation: Invitation | None = None

    @classmethod
    def from_api(cls, api: ApiAutojoinDomainsResponse) -> Self:
        """Build from the generated model."""
        invitation = _opt(api.invitation)
        return cls(
            [AutojoinDomain.from_api(d) for d in api.autojoin_domains],
            None if invitation is None else Invitation.from_api(invitation),
        )


@attrs.frozen
class SyncInternalInvitationResponse(_Model):
    """How many internal invitations `sync_internal_invitation` updated, and which."""

    _api: ClassVar[Any] = ApiSyncInternalInvitationResponse

    processed: int
    invitation_ids: list[str] = attrs.field(metadata=_alias("invitationIds"))

    @classmethod
    def from_api(cls, api: ApiSyncInternalInvitationResponse) -> Self:
        """Build from the generated model."""
        return cls(api.processed, list(api.invitation_ids))


class User:
    """Who a JWT is for: `id` and `email` (required), `admin_scopes`, and any extra properties.

    Extra keyword arguments are kept (in order) and go into the token's payload verbatim, as upstream does:
    `User(id="u1", email="a@b.c", department="Eng")`. `user_name` / `userName` and `user_avatar_url` /
    `userAvatarUrl` become the `userName` and `userAvatarUrl` claims.
    """

    __slots__ = ("admin_scopes", "email", "id", "model_extra", "user_avatar_url", "user_name")

    def __init__(
        self,
        id: str,
        email: str,
        admin_scopes: Iterable[str] | None = None,
        user_name: str | None = None,
        user_avatar_url: str | None = None,
        **extra: Any,
    ) -> None:
        for name, value in (("id", id), ("email", email)):
            if not isinstance(value, str) or not value:
                raise ValueError(f"user.{name} must be a non-empty string")
        user_name = extra.pop("userName", user_name)
        user_avatar_url = extra.pop("userAvatarUrl", user_avatar_url)
        for name, value in (("user_name", user_name), ("user_avatar_url", user_avatar_url)):
            if value is not None and not isinstance(value, str):
                raise ValueError(f"user.{name} must be a string")
        scopes = None if admin_scopes is None or isinstance(admin_scopes, str) else list(admin_scopes)
        if isinstance(admin_scopes, str) or (scopes is not None and not all(isinstance(x, str) for x in scopes)):
            raise ValueError("user.admin_scopes must be a list of strings")
        self.id: str = id
        self.email: str = email
        self.admin_scopes: list[str] | None = scopes
        self.user_name: str | None = user_name
        self.user_avatar_url: str | None = user_avatar_url
        self.model_extra: dict[str, Any] = extra
        """The extra properties, in the order given."""

    @classmethod
    def coerce(cls, user: User | Mapping[str, Any]) -> User:
        """A `User` from a `User` or a dict with the same keys (`id`, `email`, `admin_scopes`, extras)."""
        if isinstance(user, User):
            return user
        if isinstance(user, Mapping):
            missing = [k for k in ("id", "email") if k not in user]
            if missing:
                raise ValueError(f"user is missing {' and '.join(missing)}")
            return cls(**{str(k): v for k, v in user.items()})
        raise TypeError(f"user must be a vortex_sdk.User or a dict, not {type(user).__name__}")

    def to_dict(self) -> dict[str, Any]:
        """The user as the token's claims name it (`adminScopes`, `userName`, ...; extras as given)."""
        base: dict[str, Any] = {"id": self.id, "email": self.email}
        if self.admin_scopes is not None:
            base["adminScopes"] = self.admin_scopes
        if self.user_name is not None:
            base["userName"] = self.user_name
        if self.user_avatar_url is not None:
            base["userAvatarUrl"] = self.user_avatar_url
        extras: dict[str, Any] = to_jsonable(self.model_extra)
        return base | extras

    def to_json(self, *, indent: int | None = None) -> str:
        """`to_dict()` as JSON text."""
        import json

        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def model_dump(self) -> dict[str, Any]:
        """The user as a dict (extras included)."""
        base = {"id": self.id, "email": self.email, "admin_scopes": self.admin_scopes}
        if self.user_name is not None:
            base["user_name"] = self.user_name
        if self.user_avatar_url is not None:
            base["user_avatar_url"] = self.user_avatar_url
        return base | self.model_extra

    def __eq__(self, other: object) -> bool:
        return isinstance(other, User) and self.model_dump() == other.model_dump()

    __hash__: ClassVar[None] = None  # type: ignore[assignment]  # mutable, like a pydantic model

    def __repr__(self) -> str:
        extra = "".join(f", {k}={v!r}" for k, v in self.model_extra.items())
        return f"User(id={self.id!r}, email={self.email!r}, admin_scopes={self.admin_scopes!r}{extra})"
