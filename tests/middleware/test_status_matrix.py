"""reference/framework-middleware.md §3 and §8.1/8.5: the same status matrix through every entry point."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sdk_sandbox.pytest_plugin import SandboxHandle

from .drivers import Driver
from .entry_points import ENTRY_POINTS, EntryPoint
from .tokens import Tokens

MISSING = 'Bearer realm="vault"'
INVALID = 'Bearer realm="vault", error="invalid_token", error_description="token is invalid"'
EXPIRED = 'Bearer realm="vault", error="invalid_token", error_description="token expired"'
MALFORMED = 'Bearer realm="vault", error="invalid_request"'
SCOPE = 'Bearer realm="vault", error="insufficient_scope"'


@pytest.fixture(params=ENTRY_POINTS, ids=lambda e: e.name)
def entry(request: pytest.FixtureRequest) -> EntryPoint:
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def app(entry: EntryPoint, request: pytest.FixtureRequest, vault_sandbox: SandboxHandle) -> Iterator[Driver]:
    driver = entry.build(request, vault_sandbox)
    yield driver
    driver.close()


def check(driver: Driver, answer: object, status: int, challenge: str | None, error: str | None) -> None:
    assert answer.status == status, answer  # type: ignore[attr-defined]
    assert answer.headers.get("WWW-Authenticate") == challenge  # type: ignore[attr-defined]
    if error is not None:
        assert driver.error(answer) == error, answer.body  # type: ignore[attr-defined]


def test_valid_token_passes_and_the_caller_is_known(entry: EntryPoint, app: Driver, tokens: Tokens) -> None:
    answer = app.call(entry.protected, [("Authorization", f"Bearer {tokens.admin}")])
    assert answer.status == 200
    assert tokens.admin_email in str(answer.body) or "user_id" in answer.body


def test_admin_route_takes_the_admin_and_refuses_a_member(entry: EntryPoint, app: Driver, tokens: Tokens) -> None:
    assert app.call(entry.admin, [("Authorization", f"Bearer {tokens.admin}")]).status == 200
    refused = app.call(entry.admin, [("Authorization", f"Bearer {tokens.member}")])
    check(app, refused, 403, SCOPE, "insufficient_scope")


@pytest.mark.parametrize(
    ("headers", "status", "challenge", "error"),
    [
        ([], 401, MISSING, "missing_token"),
        ([("Authorization", "Basic dXNlcjpwYXNz")], 401, MISSING, "missing_token"),
        ([("Authorization", "Bearer")], 400, MALFORMED, "invalid_request"),
        ([("Authorization", "Bearer    ")], 400, MALFORMED, "invalid_request"),
        ([("Authorization", "Bearer aaa,Bearer bbb")], 400, MALFORMED, "invalid_request"),
        ([("Authorization", "Bearer not.a.jwt")], 401, INVALID, "invalid_token"),
        ([("Authorization", "Bearer eyJhbGciOiJub25lIn0.e30.")], 401, INVALID, "invalid_token"),
    ],
    ids=["none", "basic", "bearer-no-token", "bearer-blank", "comma-joined", "garbage", "alg-none"],
)
def test_refusals(
    entry: EntryPoint, app: Driver, headers: list[tuple[str, str]], status: int, challenge: str, error: str
) -> None:
    if entry.name.startswith("drf") and status == 401 and error == "missing_token":
        error = None  # type: ignore[assignment]  # DRF answers NotAuthenticated in its own body, with our challenge
    if entry.name.startswith("drf") and status == 400:
        challenge = None  # type: ignore[assignment]  # DRF's ParseError carries no challenge
    check(app, app.call(entry.protected, headers), status, challenge, error)


def test_expired_token(entry: EntryPoint, app: Driver, tokens: Tokens) -> None:
    answer = app.call(entry.protected, [("Authorization", f"Bearer {tokens.expired}")])
    check(app, answer, 401, EXPIRED, "invalid_token")
    assert tokens.expired not in str(answer.body)


def test_lowercase_scheme_and_extra_whitespace(entry: EntryPoint, app: Driver, tokens: Tokens) -> None:
    assert app.call(entry.protected, [("Authorization", f"bearer   {tokens.member}  ")]).status == 200
    assert app.call(entry.protected, [("Authorization", f"BEARER {tokens.member}")]).status == 200


def test_duplicate_authorization_fields(entry: EntryPoint, app: Driver, tokens: Tokens) -> None:
    headers = [("Authorization", f"Bearer {tokens.member}"), ("Authorization", f"Bearer {tokens.admin}")]
    answer = app.call(entry.protected, headers)
    assert answer.status == 400


def test_keys_unavailable_is_503_never_401(
    entry: EntryPoint, app: Driver, tokens: Tokens, vault_sandbox: SandboxHandle
) -> None:
    vault_sandbox.inject_fault("status", count=100, status=503)  # the JWKS cannot be fetched; the cache is cold
    answer = app.call(entry.protected, [("Authorization", f"Bearer {tokens.member}")])
    assert answer.status == 503
    assert answer.headers.get("WWW-Authenticate") is None
    assert app.error(answer) == "temporarily_unavailable"


def test_no_token_from_the_query_string(entry: EntryPoint, app: Driver, tokens: Tokens) -> None:
    for name in ("access_token", "token"):
        assert app.call(f"{entry.protected}?{name}={tokens.admin}").status == 401
