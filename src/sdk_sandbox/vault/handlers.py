"""The Vault API's operations over SQLite: users, organizations, memberships, sessions, token verification."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import uuid
from collections.abc import Mapping
from typing import Any

from ..server import Context, Handler, Reply
from ..validation import Rejection, ValidRequest
from .state import state_of

SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL, email TEXT UNIQUE NOT NULL COLLATE NOCASE,
    email_verified INTEGER NOT NULL, status TEXT NOT NULL, first_name TEXT, last_name TEXT, avatar_url TEXT,
    metadata TEXT NOT NULL, password_hash TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
    last_login_at TEXT
);
CREATE TABLE IF NOT EXISTS organizations (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL, name TEXT NOT NULL, slug TEXT UNIQUE NOT NULL,
    status TEXT NOT NULL, metadata TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS memberships (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    organization_id TEXT NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
    role TEXT NOT NULL, joined_at TEXT NOT NULL, UNIQUE (user_id, organization_id)
);
CREATE TABLE IF NOT EXISTS sessions (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT UNIQUE NOT NULL,
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    ip_address TEXT, user_agent TEXT, created_at TEXT NOT NULL, expires_at TEXT NOT NULL,
    last_used_at TEXT, revoked_at TEXT
);
"""
TABLES = ("sessions", "memberships", "organizations", "users")
USER_COLUMNS = (
    "id, email, email_verified, status, first_name, last_name, avatar_url, metadata, created_at, updated_at, "
    "last_login_at"
)


def timestamp(seconds: float) -> str:
    """ISO-8601 UTC with a `Z`, second precision."""
    return dt.datetime.fromtimestamp(seconds, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_id(prefix: str) -> str:
    """`<prefix>_<random hex>`."""
    return f"{prefix}_{uuid.uuid4().hex[:20]}"


def not_found(resource: str, resource_id: str) -> Rejection:
    """A 404 naming the resource (the SDK's `NotFoundError` reads these details)."""
    return Rejection(
        404,
        "NOT_FOUND",
        f"{resource.capitalize()} not found",
        {"resource_type": [resource], "resource_id": [resource_id]},
    )


def _user(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        **{k: row[k] for k in ("id", "email", "status", "first_name", "last_name", "avatar_url")},
        "email_verified": bool(row["email_verified"]),
        "metadata": json.loads(row["metadata"]),
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
        "last_login_at": row["last_login_at"],
    }


def _organization(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        **{k: row[k] for k in ("id", "name", "slug", "status", "created_at", "updated_at")},
        "metadata": json.loads(row["metadata"]),
    }


def _session(row: Mapping[str, Any]) -> dict[str, Any]:
    keys = ("id", "user_id", "ip_address", "user_agent", "created_at", "expires_at", "last_used_at", "revoked_at")
    return {k: row[k] for k in keys}


def _load_user(ctx: Context, user_id: str) -> dict[str, Any]:
    row = ctx.store.one(f"SELECT {USER_COLUMNS} FROM users WHERE id = ?", (user_id,))  # noqa: S608
    if row is None:
        raise not_found("user", user_id)
    return row


def _load_org(ctx: Context, org_id: str) -> dict[str, Any]:
    row = ctx.store.one("SELECT * FROM organizations WHERE id = ?", (org_id,))
    if row is None:
        raise not_found("organization", org_id)
    return row


def _membership(ctx: Context, row: Mapping[str, Any], with_org: bool) -> dict[str, Any]:
    found = {k: row[k] for k in ("id", "user_id", "organization_id", "role", "joined_at")}
    if with_org:
        found["organization"] = _organization(_load_org(ctx, row["organization_id"]))
    return found


def _page(
    ctx: Context, req: ValidRequest, table: str, where: str, args: tuple[Any, ...]
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    page, per_page = req.query.get("page", 1), req.query.get("per_page", 20)
    total = ctx.store.one(f"SELECT COUNT(*) AS n FROM {table} {where}", args)["n"]  # type: ignore[index]  # noqa: S608
    rows = ctx.store.all(
        f"SELECT * FROM {table} {where} ORDER BY seq LIMIT ? OFFSET ?",  # noqa: S608
        (*args, per_page, (page - 1) * per_page),
    )
    facts = {"total": total, "page": page, "per_page": per_page, "has_more": page * per_page < total}
    return rows, facts


# Users ------------------------------------------------------------------------------------------------------------


def list_users(ctx: Context, req: ValidRequest) -> Reply:
    """GET /api/v1/users."""
    clauses, args = [], []
    if "status" in req.query:
        clauses.append("status = ?")
        args.append(req.query["status"])
    if "organization_id" in req.query:
        clauses.append("id IN (SELECT user_id FROM memberships WHERE organization_id = ?)")
        args.append(req.query["organization_id"])
    where = ("WHERE " + " AND ".join(clauses)) if clauses else ""
    rows, facts = _page(ctx, req, "users", where, tuple(args))
    return Reply(200, {"data": {"users": [_user(r) for r in rows], **facts}})


def create_user(ctx: Context, req: ValidRequest) -> Reply:
    """POST /api/v1/users."""
    body = req.body
    if ctx.store.one("SELECT 1 FROM users WHERE email = ?", (body["email"],)):
        raise Rejection(409, "CONFLICT", "A user with this email already exists")
    now = timestamp(ctx.clock())
    user_id = new_id("user")
    ctx.store.execute(
        "INSERT INTO users (id, email, email_verified, status, first_name, last_name, metadata, password_hash, "
        "created_at, updated_at) VALUES (?, ?, ?, 'active', ?, ?, ?, ?, ?, ?)",
        (
            user_id,
            body["email"],
            int(body.get("email_verified", False)),
            body.get("first_name"),
            body.get("last_name"),
            json.dumps(body.get("metadata", {})),
            _hash_password(body["password"]),
            now,
            now,
        ),
    )
    return Reply(201, {"data": _user(_load_user(ctx, user_id))})


def get_user(ctx: Context, req: ValidRequest) -> Reply:
    """GET /api/v1/users/{user_id}."""
    return Reply(200, {"data": _user(_load_user(ctx, req.path["user_id"]))})


def get_user_by_email(ctx: Context, req: ValidRequest) -> Reply:
    """GET /api/v1/users/email/{email}."""
    row = ctx.store.one(f"SELECT {USER_COLUMNS} FROM users WHERE email = ?", (req.path["email"],))  # noqa: S608
    if row is None:
        raise not_found("user", req.path["email"])
    return Reply(200, {"data": _user(row)})


def update_user(ctx: Context, req: ValidRequest) -> Reply:
    """PATCH /api/v1/users/{user_id}: only the fields sent change."""
    user_id = req.path["user_id"]
    _load_user(ctx, user_id)
    _patch(ctx, "users", user_id, req.body, unique="email", conflict="A user with this email already exists")
    return Reply(200, {"data": _user(_load_user(ctx, user_id))})


def update_user_password(ctx: Context, req: ValidRequest) -> Reply:
    """PATCH /api/v1/users/{user_id}/password."""
    user_id = req.path["user_id"]
    _load_user(ctx, user_id)
    _update(ctx, "users", user_id, {"password_hash": _hash_password(req.body["password"])})
    return Reply(204)


def delete_user(ctx: Context, req: ValidRequest) -> Reply:
    """DELETE /api/v1/users/{user_id}: memberships and sessions go with the user."""
    return _delete_row(ctx, "users", "user", req.path["user_id"])


def list_user_organizations(ctx: Context, req: ValidRequest) -> Reply:
    """GET /api/v1/users/{user_id}/organizations."""
    _load_user(ctx, req.path["user_id"])
    rows = ctx.store.all("SELECT * FROM memberships WHERE user_id = ? ORDER BY seq", (req.path["user_id"],))
    return Reply(200, {"data": {"memberships": [_membership(ctx, r, with_org=True) for r in rows]}})


def list_user_sessions(ctx: Context, req: ValidRequest) -> Reply:
    """GET /api/v1/users/{user_id}/sessions."""
    _load_user(ctx, req.path["user_id"])
    rows = ctx.store.all("SELECT * FROM sessions WHERE user_id = ? ORDER BY seq", (req.path["user_id"],))
    return Reply(200, {"data": {"sessions": [_session(r) for r in rows]}})


def revoke_all_user_sessions(ctx: Context, req: ValidRequest) -> Reply:
    """POST /api/v1/users/{user_id}/sessions/revoke-all."""
    _load_user(ctx, req.path["user_id"])
    count = ctx.store.execute(
        "UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL",
        (timestamp(ctx.clock()), req.path["user_id"]),
    )
    return Reply(200, {"data": {"revoked_count": count}})


# Organizations and memberships -------------------------------------------------------------------------------------


def list_organizations(ctx: Context, req: ValidRequest) -> Reply:
    """GET /api/v1/organizations."""
    rows, facts = _page(ctx, req, "organizations", "", ())
    return Reply(200, {"data": {"organizations": [_organization(r) for r in rows], **facts}})


def create_organization(ctx: Context, req: ValidRequest) -> Reply:
    """POST /api/v1/organizations; the slug is derived from the name when not given."""
    body = req.body
    org_id = new_id("org")
    slug = body.get("slug") or _slugify(body["name"]) or org_id.replace("_", "-").lower()
    if ctx.store.one("SELECT 1 FROM organizations WHERE slug = ?", (slug,)):
        raise Rejection(409, "CONFLICT", "An organization with this slug already exists")
    now = timestamp(ctx.clock())
    ctx.store.execute(
        "INSERT INTO organizations (id, name, slug, status, metadata, created_at, updated_at) "
        "VALUES (?, ?, ?, 'active', ?, ?, ?)",
        (org_id, body["name"], slug, json.dumps(body.get("metadata", {})), now, now),
    )
    return Reply(201, {"data": _organization(_load_org(ctx, org_id))})


def get_organization(ctx: Context, req: ValidRequest) -> Reply:
    """GET /api/v1/organizations/{org_id}."""
    return Reply(200, {"data": _organization(_load_org(ctx, req.path["org_id"]))})


def get_organization_by_slug(ctx: Context, req: ValidRequest) -> Reply:
    """GET /api/v1/organizations/slug/{slug}."""
    row = ctx.store.one("SELECT * FROM organizations WHERE slug = ?", (req.path["slug"],))
    if row is None:
        raise not_found("organization", req.path["slug"])
    return Reply(200, {"data": _organization(row)})


def update_organization(ctx: Context, req: ValidRequest) -> Reply:
    """PATCH /api/v1/organizations/{org_id}: only the fields sent change."""
    org_id = req.path["org_id"]
    _load_org(ctx, org_id)
    _patch(
        ctx, "organizations", org_id, req.body, unique="slug", conflict="An organization with this slug already exists"
    )
    return Reply(200, {"data": _organization(_load_org(ctx, org_id))})


def delete_organization(ctx: Context, req: ValidRequest) -> Reply:
    """DELETE /api/v1/organizations/{org_id}."""
    return _delete_row(ctx, "organizations", "organization", req.path["org_id"])


def list_organization_members(ctx: Context, req: ValidRequest) -> Reply:
    """GET /api/v1/organizations/{org_id}/members."""
    _load_org(ctx, req.path["org_id"])
    rows = ctx.store.all("SELECT * FROM memberships WHERE organization_id = ? ORDER BY seq", (req.path["org_id"],))
    return Reply(200, {"data": {"members": [_membership(ctx, r, with_org=False) for r in rows]}})


def add_organization_member(ctx: Context, req: ValidRequest) -> Reply:
    """POST /api/v1/organizations/{org_id}/members."""
    org_id, user_id = req.path["org_id"], req.body["user_id"]
    _load_org(ctx, org_id)
    _load_user(ctx, user_id)
    if _find_membership(ctx, org_id, user_id) is not None:
        raise Rejection(409, "CONFLICT", "The user is already a member of this organization")
    membership_id = new_id("mem")
    ctx.store.execute(
        "INSERT INTO memberships (id, user_id, organization_id, role, joined_at) VALUES (?, ?, ?, ?, ?)",
        (membership_id, user_id, org_id, req.body.get("role", "member"), timestamp(ctx.clock())),
    )
    return Reply(201, {"data": _membership(ctx, _find_membership(ctx, org_id, user_id) or {}, with_org=True)})


def update_organization_member_role(ctx: Context, req: ValidRequest) -> Reply:
    """PATCH /api/v1/organizations/{org_id}/members/{user_id}."""
    org_id, user_id = req.path["org_id"], req.path["user_id"]
    if _find_membership(ctx, org_id, user_id) is None:
        raise not_found("membership", f"{org_id}/{user_id}")
    ctx.store.execute(
        "UPDATE memberships SET role = ? WHERE organization_id = ? AND user_id = ?", (req.body["role"], org_id, user_id)
    )
    return Reply(200, {"data": _membership(ctx, _find_membership(ctx, org_id, user_id) or {}, with_org=True)})


def remove_organization_member(ctx: Context, req: ValidRequest) -> Reply:
    """DELETE /api/v1/organizations/{org_id}/members/{user_id}."""
    org_id, user_id = req.path["org_id"], req.path["user_id"]
    if not ctx.store.execute("DELETE FROM memberships WHERE organization_id = ? AND user_id = ?", (org_id, user_id)):
        raise not_found("membership", f"{org_id}/{user_id}")
    return Reply(204)


def _find_membership(ctx: Context, org_id: str, user_id: str) -> dict[str, Any] | None:
    return ctx.store.one("SELECT * FROM memberships WHERE organization_id = ? AND user_id = ?", (org_id, user_id))


# Sessions and tokens ----------------------------------------------------------------------------------------------


def get_session(ctx: Context, req: ValidRequest) -> Reply:
    """GET /api/v1/sessions/{session_id}."""
    row = ctx.store.one("SELECT * FROM sessions WHERE id = ?", (req.path["session_id"],))
    if row is None:
        raise not_found("session", req.path["session_id"])
    return Reply(200, {"data": _session(row)})


def revoke_session(ctx: Context, req: ValidRequest) -> Reply:
    """POST /api/v1/sessions/{session_id}/revoke (revoking twice is not an error)."""
    session_id = req.path["session_id"]
    if ctx.store.one("SELECT 1 FROM sessions WHERE id = ?", (session_id,)) is None:
        raise not_found("session", session_id)
    ctx.store.execute(
        "UPDATE sessions SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?", (timestamp(ctx.clock()), session_id)
    )
    return Reply(204)


def verify_token(ctx: Context, req: ValidRequest) -> Reply:
    """POST /api/v1/auth/verify: signature, expiry, issuer and audience, then the session and the user."""
    tokens = state_of(ctx.app).tokens
    claims = tokens.verify(req.body["token"], ctx.clock())
    session_id = claims.get("sid")
    if session_id is not None:
        session = ctx.store.one("SELECT * FROM sessions WHERE id = ?", (session_id,))
        if session is None or session["revoked_at"] is not None:
            raise Rejection(401, "SESSION_REVOKED", "The token's session was revoked")
    row = ctx.store.one(f"SELECT {USER_COLUMNS} FROM users WHERE id = ?", (claims["sub"],))  # noqa: S608
    if row is None:
        raise Rejection(401, "INVALID_TOKEN", "The token's user no longer exists")
    if session_id is not None:
        ctx.store.execute("UPDATE sessions SET last_used_at = ? WHERE id = ?", (timestamp(ctx.clock()), session_id))
    return Reply(200, {"data": _user(row)})


def get_jwks(ctx: Context, req: ValidRequest) -> Reply:
    """GET /.well-known/jwks.json."""
    return Reply(200, state_of(ctx.app).keys.jwks(), {"Cache-Control": "max-age=300"})


def get_health(ctx: Context, req: ValidRequest) -> Reply:
    """GET /health."""
    return Reply(200, {"status": "ok"})


def _delete_row(ctx: Context, table: str, resource: str, row_id: str) -> Reply:
    """DELETE by id: 204, or a 404 naming the resource (dependent rows go by ON DELETE CASCADE)."""
    if not ctx.store.execute(f"DELETE FROM {table} WHERE id = ?", (row_id,)):  # noqa: S608  (table is ours)
        raise not_found(resource, row_id)
    return Reply(204)


def _patch(ctx: Context, table: str, row_id: str, body: Mapping[str, Any], *, unique: str, conflict: str) -> None:
    """Apply a PATCH body: 409 if the `unique` column would clash with another row; metadata stored as JSON."""
    fields = dict(body)
    if unique in fields:
        clash = ctx.store.one(f"SELECT 1 FROM {table} WHERE {unique} = ? AND id != ?", (fields[unique], row_id))  # noqa: S608
        if clash:
            raise Rejection(409, "CONFLICT", conflict)
    if "metadata" in fields:
        fields["metadata"] = json.dumps(fields["metadata"])
    _update(ctx, table, row_id, fields)


def _update(ctx: Context, table: str, row_id: str, fields: Mapping[str, Any]) -> None:
    if not fields:
        return
    assignments = ", ".join(f"{name} = ?" for name in fields)
    ctx.store.execute(
        f"UPDATE {table} SET {assignments}, updated_at = ? WHERE id = ?",  # noqa: S608  (names come from the spec)
        (*fields.values(), timestamp(ctx.clock()), row_id),
    )


def _hash_password(password: str) -> str:
    salt = uuid.uuid4().hex
    return salt + "$" + hashlib.pbkdf2_hmac("sha256", password.encode(), salt.encode(), 1000).hex()


def _slugify(name: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", name.lower()))[:64].strip("-")


HANDLERS: dict[str, Handler] = {
    "listUsers": list_users,
    "createUser": create_user,
    "getUser": get_user,
    "getUserByEmail": get_user_by_email,
    "updateUser": update_user,
    "updateUserPassword": update_user_password,
    "deleteUser": delete_user,
    "listUserOrganizations": list_user_organizations,
    "listUserSessions": list_user_sessions,
    "revokeAllUserSessions": revoke_all_user_sessions,
    "listOrganizations": list_organizations,
    "createOrganization": create_organization,
    "getOrganization": get_organization,
    "getOrganizationBySlug": get_organization_by_slug,
    "updateOrganization": update_organization,
    "deleteOrganization": delete_organization,
    "listOrganizationMembers": list_organization_members,
    "addOrganizationMember": add_organization_member,
    "updateOrganizationMemberRole": update_organization_member_role,
    "removeOrganizationMember": remove_organization_member,
    "getSession": get_session,
    "revokeSession": revoke_session,
    "verifyToken": verify_token,
    "getJwks": get_jwks,
    "getHealth": get_health,
}
