"""Seed 000's Flask app: the eight `/api/vortex` endpoints in a blueprint, callers authenticated by Vault tokens.

Run it from `examples/` with the sandboxes up: `VAULT_API_KEY=... VORTEX_API_KEY=... flask --app flask_app.app run`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Blueprint, Flask, current_app, g, jsonify, request
from flask.typing import ResponseReturnValue
from invitations_common.callers import authenticate, require_admin
from invitations_common.memberships import grant_memberships, memberships_of, migrate
from invitations_common.problems import Problem, from_vortex
from invitations_common.requests import accept_request, check_addressed_to, jwt_context, target_query
from invitations_common.settings import Settings
from sqlalchemy import Engine, create_engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from werkzeug.exceptions import HTTPException

from vault_auth import VaultAuth
from vortex_sdk import AcceptUser, Vortex, VortexApiError

F = TypeVar("F", bound=Callable[..., ResponseReturnValue])
vortex_bp = Blueprint("vortex", __name__, url_prefix="/api/vortex")


def get_vortex_client() -> Vortex:
    """The seed's Flask helper: the app's one Vortex client."""
    client: Vortex = current_app.extensions["vortex"]
    return client


def engine() -> Engine:
    """The app's database engine."""
    bound: Engine = current_app.extensions["engine"]
    return bound


def require_auth(view: F) -> F:
    """The seed's decorator: 401 without a valid Vault bearer token; sets `g.user` (a `Caller`)."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> ResponseReturnValue:
        g.user = authenticate(current_app.extensions["vault"], request.headers.getlist("Authorization"))
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def json_body() -> Any:
    """The JSON body (None when empty); 400 when it is not JSON."""
    if not request.get_data():
        return None
    body = request.get_json(silent=True)
    if body is None:
        raise Problem(400, "Body must be JSON", "INVALID_REQUEST")
    return body


@vortex_bp.route("/jwt", methods=["POST"])
@require_auth
def generate_jwt() -> ResponseReturnValue:
    """A Vortex widget JWT for the caller."""
    extra = jwt_context(json_body())
    return jsonify({"jwt": get_vortex_client().generate_jwt(user=g.user.to_vortex_user(), **extra)})


@vortex_bp.route("/invitations", methods=["GET"])
@require_auth
def get_invitations_by_target() -> ResponseReturnValue:
    """Invitations sent to a target (`?type=email&value=...`)."""
    kind, value = target_query(request.args.get("type"), request.args.get("value"))
    invitations = get_vortex_client().get_invitations_by_target_sync(kind, value)
    return jsonify({"invitations": [inv.model_dump() for inv in invitations]})


@vortex_bp.route("/invitations/accept", methods=["POST"])
@require_auth
def accept_invitations() -> ResponseReturnValue:
    """Accept invitations and grant their groups' memberships, all or nothing."""
    vortex = get_vortex_client()
    accept = accept_request(json_body(), g.user)
    invitations = [vortex.get_invitation_sync(i) for i in accept.invitation_ids]
    check_addressed_to(g.user, invitations)
    with Session(engine()) as session, session.begin():  # rolled back if anything below raises
        granted = grant_memberships(session, g.user.id, invitations)
        vortex.accept_invitations_sync(accept.invitation_ids, AcceptUser(email=accept.target["value"]))
        memberships = [m.as_dict() for m in granted]
    return jsonify({"success": True, "acceptedCount": len(accept.invitation_ids), "memberships": memberships})


@vortex_bp.route("/invitations/<invitation_id>", methods=["GET"])
@require_auth
def get_invitation(invitation_id: str) -> ResponseReturnValue:
    """One invitation."""
    return jsonify(get_vortex_client().get_invitation_sync(invitation_id).model_dump())


@vortex_bp.route("/invitations/<invitation_id>", methods=["DELETE"])
@require_auth
def revoke_invitation(invitation_id: str) -> ResponseReturnValue:
    """Revoke an invitation."""
    get_vortex_client().revoke_invitation_sync(invitation_id)
    return jsonify({"success": True})


@vortex_bp.route("/invitations/<invitation_id>/reinvite", methods=["POST"])
@require_auth
def reinvite(invitation_id: str) -> ResponseReturnValue:
    """Send an invitation again."""
    get_vortex_client().reinvite_sync(invitation_id)
    return jsonify({"success": True})


@vortex_bp.route("/invitations/by-group/<group_type>/<group_id>", methods=["GET"])
@require_auth
def get_invitations_by_group(group_type: str, group_id: str) -> ResponseReturnValue:
    """Invitations to one of the application's groups."""
    invitations = get_vortex_client().get_invitations_by_group_sync(group_type, group_id)
    return jsonify({"invitations": [inv.model_dump() for inv in invitations]})


@vortex_bp.route("/invitations/by-group/<group_type>/<group_id>", methods=["DELETE"])
@require_auth
def delete_invitations_by_group(group_type: str, group_id: str) -> ResponseReturnValue:
    """Delete every invitation to a group (organization admins only)."""
    require_admin(g.user)
    get_vortex_client().delete_invitations_by_group_sync(group_type, group_id)
    return jsonify({"success": True})


me_bp = Blueprint("me", __name__, url_prefix="/api/me")


@me_bp.route("/memberships", methods=["GET"])
@require_auth
def my_memberships() -> ResponseReturnValue:
    """The caller's group memberships (what accepting invitations granted)."""
    with Session(engine()) as session:
        return jsonify({"memberships": [m.as_dict() for m in memberships_of(session, g.user.id)]})


def _problem(exc: Problem) -> ResponseReturnValue:
    return jsonify(exc.body), exc.status, exc.headers


def _vortex_failed(exc: VortexApiError) -> ResponseReturnValue:
    return _problem(from_vortex(exc))


def _database_failed(exc: SQLAlchemyError) -> ResponseReturnValue:
    return jsonify({"error": "Internal server error", "code": "INTERNAL_ERROR"}), 500


def _http_error(exc: HTTPException) -> ResponseReturnValue:
    return jsonify({"error": exc.name, "code": exc.name.upper().replace(" ", "_")}), exc.code or 500


def create_app(settings: Settings | None = None) -> Flask:
    """The app, wired to `settings` (from the environment when None); migrates its database first."""
    settings = settings or Settings.from_env()
    migrate(settings.database_url)
    app = Flask(__name__)
    app.extensions["engine"] = create_engine(settings.database_url)
    app.extensions["vault"] = VaultAuth(api_key=settings.vault_api_key, base_url=settings.vault_base_url)
    app.extensions["vortex"] = Vortex(api_key=settings.vortex_api_key, base_url=settings.vortex_base_url)
    app.register_blueprint(vortex_bp)
    app.register_blueprint(me_bp)
    app.register_error_handler(Problem, _problem)
    app.register_error_handler(VortexApiError, _vortex_failed)
    app.register_error_handler(SQLAlchemyError, _database_failed)
    app.register_error_handler(HTTPException, _http_error)
    return app


def __getattr__(name: str) -> Any:
    # `flask --app flask_app.app run` builds the app from the environment on first access, not at import.
    if name == "app":
        return create_app()
    raise AttributeError(name)
