"""What `get_current_user`, `g.vault_user` and `request.vault_user` return is a `vault_auth.types.User`: the seed's
routes, extended to `full_name`, `first_name` and `status` (which no token carries), answer 200 under real servers,
the missing fields fetched from the Vault sandbox once per token."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from typing import Any

import pytest

from sdk_sandbox.pytest_plugin import SandboxHandle
from vault_auth import VaultAuth
from vault_auth.errors import NotFoundError
from vault_auth.middleware.core import VaultUser
from vault_auth.types import TokenPayload, User

from .servers import raw_get, uvicorn_server

FASTAPI_SEED_EXTENDED = """
from fastapi import FastAPI, Depends
from vault_auth.middleware.fastapi import VaultAuthMiddleware, get_current_user
from vault_auth.types import User

app = FastAPI()
app.add_middleware(VaultAuthMiddleware, api_key=API_KEY, base_url=BASE_URL, excluded_paths=["/health", "/docs"])

@app.get("/profile")
async def protected(user: User = Depends(get_current_user)):
    return {"email": user.email, "full_name": user.full_name, "first_name": user.first_name, "status": user.status,
            "is_user": isinstance(user, User)}
"""

FLASK_SEED_EXTENDED = """
from flask import Flask, g, jsonify
from vault_auth.middleware.flask import VaultAuthMiddleware, require_auth
from vault_auth.types import User

app = Flask(__name__)
vault_auth = VaultAuthMiddleware(app=app, api_key=API_KEY, base_url=BASE_URL, excluded_paths=["/health", "/public"])

@app.route('/profile')
@require_auth()
def protected():
    user = g.vault_user
    return jsonify({"email": user.email, "full_name": user.full_name, "first_name": user.first_name,
                    "status": user.status, "is_user": isinstance(user, User)})
"""


def seed_app(source: str, vault: SandboxHandle) -> Any:
    namespace: dict[str, Any] = {"__name__": "seed_example", "API_KEY": vault.api_key, "BASE_URL": vault.url}
    exec(compile(source, "seed", "exec"), namespace)  # noqa: S102
    return namespace["app"]


def _fastapi(vault: SandboxHandle, request: pytest.FixtureRequest) -> AbstractContextManager[int]:
    return uvicorn_server(seed_app(FASTAPI_SEED_EXTENDED, vault))


@contextmanager
def werkzeug_server(app: Any) -> Iterator[int]:
    """`app` under Werkzeug's threaded WSGI server on a free loopback port; stopped on exit."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_port
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


def _flask(vault: SandboxHandle, request: pytest.FixtureRequest) -> AbstractContextManager[int]:
    return werkzeug_server(seed_app(FLASK_SEED_EXTENDED, vault))


def _django_asgi(vault: SandboxHandle, request: pytest.FixtureRequest) -> AbstractContextManager[int]:
    from django.core.asgi import get_asgi_application
    from django.test import override_settings

    request.getfixturevalue("django_settings")(True)
    urls = override_settings(ROOT_URLCONF="tests.middleware.django_profile_urls")
    urls.enable()
    request.addfinalizer(urls.disable)
    return uvicorn_server(get_asgi_application(), lifespan="off")


SERVERS: dict[str, Callable[[SandboxHandle, pytest.FixtureRequest], AbstractContextManager[int]]] = {
    "fastapi-uvicorn": _fastapi,
    "flask-werkzeug": _flask,
    "django-asgi-uvicorn": _django_asgi,
}


@pytest.fixture(params=sorted(SERVERS))
def port(request: pytest.FixtureRequest, vault_sandbox: SandboxHandle) -> Iterator[int]:
    with SERVERS[request.param](vault_sandbox, request) as bound:
        yield bound


def test_the_seeds_route_reads_every_user_field_under_a_real_server(
    port: int, vault_client: VaultAuth, vault_sandbox: SandboxHandle
) -> None:
    user = vault_client.users.create(email="ada@example.com", password="secure_password", first_name="Ada",
                                     last_name="Lovelace")  # fmt: skip
    token = vault_sandbox.mint_token(user.id)
    for _ in range(2):  # the second request reuses what the first verified and fetched
        status, _, body = raw_get(port, "/profile", [("Authorization", f"Bearer {token}")])
        assert status == 200, body
        assert json.loads(body) == {
            "email": "ada@example.com", "full_name": "Ada Lovelace", "first_name": "Ada", "status": "active",
            "is_user": True,
        }  # fmt: skip


def test_a_deleted_users_missing_fields_raise_the_sdks_error_not_attribute_error(
    vault_client: VaultAuth, vault_sandbox: SandboxHandle
) -> None:
    user = vault_client.users.create(email="gone@example.com", password="secure_password", first_name="Gone")
    payload = vault_client.verify_token_locally(vault_sandbox.mint_token(user.id))
    caller = VaultUser.from_payload(payload, vault_client.users.get)
    assert (caller.id, caller.email, caller.email_verified) == (user.id, "gone@example.com", False)  # from the token
    vault_client.users.delete(user.id)
    with pytest.raises(NotFoundError):
        _ = caller.full_name


def test_fields_not_in_the_token_are_fetched_once() -> None:
    fetched: list[str] = []

    def load(user_id: str) -> User:
        fetched.append(user_id)
        return User(id=user_id, email="from-vault@example.com", first_name="Ada", status="suspended")

    caller = VaultUser.from_payload(TokenPayload(sub="user_1", exp=2**31, iat=1, sid="ses_1"), load)
    assert isinstance(caller, User) and caller.request_id is None and fetched == []
    assert (caller.email, caller.first_name, caller.full_name, caller.status) == (
        "from-vault@example.com", "Ada", "Ada", "suspended",
    )  # fmt: skip
    assert fetched == ["user_1"] and caller.session_id == "ses_1"
