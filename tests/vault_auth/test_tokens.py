"""verify_token, verify_token_locally and decode_token against the Vault sandbox's real keys.

Requests are counted with httpx event hooks on the client we inject, so "no network call" and "one JWKS fetch"
are facts about what crossed the socket.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from sdk_sandbox.pytest_plugin import SandboxHandle
from vault_auth import AsyncVaultAuth, VaultAuth
from vault_auth.errors import (
    AuthenticationError,
    ConfigurationError,
    InvalidTokenError,
    KeysUnavailableError,
    TokenExpiredError,
)
from vault_auth.types import TokenPayload, User

JWKS_PATH = "/.well-known/jwks.json"
VERIFY_PATH = "/api/v1/auth/verify"


class Counter:
    """Counts requests by path (thread-safe)."""

    def __init__(self) -> None:
        self.paths: list[str] = []
        self._lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> None:
        with self._lock:
            self.paths.append(request.url.path)

    async def async_hook(self, request: httpx.Request) -> None:
        self(request)

    def count(self, path: str) -> int:
        return self.paths.count(path)


class SteppedClock:
    """`time` as vault_auth.client sees it, with a `monotonic` the test moves by hand (the JWKS cache's clock)."""

    def __init__(self) -> None:
        self.now = 1000.0

    def monotonic(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    def __getattr__(self, name: str) -> Any:
        return getattr(time, name)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> SteppedClock:
    """The JWKS cache's clock, moved by the test instead of slept through."""
    import vault_auth.client

    stepped = SteppedClock()
    monkeypatch.setattr(vault_auth.client, "time", stepped)
    return stepped


@pytest.fixture
def counter() -> Counter:
    return Counter()


@pytest.fixture
def vault(vault_sandbox: SandboxHandle, counter: Counter) -> Iterator[VaultAuth]:
    http = httpx.Client(event_hooks={"request": [counter]}, limits=httpx.Limits(max_connections=64))
    with VaultAuth(api_key=vault_sandbox.api_key, base_url=vault_sandbox.url, retry_delay=0.01, http_client=http) as v:
        yield v
    http.close()


@pytest.fixture
def user(vault_sandbox: SandboxHandle) -> dict[str, Any]:
    response = httpx.post(
        f"{vault_sandbox.url}/api/v1/users",
        json={"email": "token@example.com", "password": "secure_password", "first_name": "Tok"},
        headers={"Authorization": f"Bearer {vault_sandbox.api_key}"},
    )
    created: dict[str, Any] = response.json()["data"]
    return created


def b64(data: dict[str, Any] | bytes) -> str:
    raw = data if isinstance(data, bytes) else json.dumps(data).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def forge(header: dict[str, Any], claims: dict[str, Any], signature: bytes = b"sig") -> str:
    return f"{b64(header)}.{b64(claims)}.{b64(signature)}"


def hs256(header: dict[str, Any], claims: dict[str, Any], secret: bytes) -> str:
    """An HS256 token signed by hand (PyJWT refuses PEM or JWK text as an HMAC key; an attacker does not)."""
    signing_input = f"{b64(header)}.{b64(claims)}"
    return f"{signing_input}.{b64(hmac.new(secret, signing_input.encode(), hashlib.sha256).digest())}"


def claims_of(token: str) -> dict[str, Any]:
    decoded: dict[str, Any] = jwt.decode(token, options={"verify_signature": False})
    return decoded


@pytest.mark.parametrize("alg", ["RS256", "ES256", "EdDSA"])
def test_a_valid_token_verifies_to_its_user(
    vault: VaultAuth, vault_sandbox: SandboxHandle, user: dict[str, Any], alg: str
) -> None:
    verified = vault.verify_token(vault_sandbox.mint_token(user["id"], alg=alg))
    assert isinstance(verified, User)
    assert (verified.id, verified.email) == (user["id"], "token@example.com")


def test_a_repeated_token_is_served_from_the_cache(
    vault: VaultAuth, vault_sandbox: SandboxHandle, user: dict[str, Any], counter: Counter
) -> None:
    token = vault_sandbox.mint_token(user["id"])
    first = vault.verify_token(token)
    sent = len(counter.paths)
    assert vault.verify_token(token) == first
    assert len(counter.paths) == sent


def test_revoked_sessions_and_deleted_users_are_refused(
    vault: VaultAuth, vault_sandbox: SandboxHandle, user: dict[str, Any]
) -> None:
    token = vault_sandbox.mint_token(user["id"])
    session = vault.users.get_sessions(user["id"])[0]
    vault.sessions.revoke(session.id)
    with pytest.raises(InvalidTokenError) as caught:
        vault.verify_token(token)
    assert caught.value.error_code == "SESSION_REVOKED"
    other = vault_sandbox.mint_token(user["id"])
    vault.users.delete(user["id"])
    with pytest.raises(InvalidTokenError):
        vault.verify_token(other)


def test_expired_token_fails_locally_without_asking_vault(
    vault: VaultAuth, vault_sandbox: SandboxHandle, user: dict[str, Any], counter: Counter
) -> None:
    vault.get_jwks()
    token = vault_sandbox.mint_token(user["id"], expires_in=-120)
    with pytest.raises(TokenExpiredError):
        vault.verify_token(token)
    assert counter.count(VERIFY_PATH) == 0


def test_leeway_accepts_a_token_just_expired(vault_sandbox: SandboxHandle, user: dict[str, Any]) -> None:
    token = vault_sandbox.mint_token(user["id"], expires_in=-30)
    vault = VaultAuth(api_key=vault_sandbox.api_key, base_url=vault_sandbox.url)
    assert vault.verify_token_locally(token).sub == user["id"]
    strict = VaultAuth(api_key=vault_sandbox.api_key, base_url=vault_sandbox.url, leeway=0)
    with pytest.raises(TokenExpiredError):
        strict.verify_token_locally(token)


@pytest.mark.parametrize("leeway", [-1, 301, float("nan")])
def test_leeway_is_bounded(leeway: float) -> None:
    with pytest.raises(ConfigurationError, match="leeway"):
        VaultAuth(api_key="vault_m2m_x", leeway=leeway)


def test_issuer_and_audience_are_checked_when_configured(vault_sandbox: SandboxHandle, user: dict[str, Any]) -> None:
    token = vault_sandbox.mint_token(user["id"])
    options = {"api_key": vault_sandbox.api_key, "base_url": vault_sandbox.url}
    good = VaultAuth(**options, issuer="https://sandbox.vault.local", audience="vault-sandbox")
    assert good.verify_token_locally(token).sub == user["id"]
    for wrong in ({"issuer": "https://sandbox.vault.local.evil.com"}, {"issuer": "https://sandbox"},
                  {"audience": "other"}, {"audience": "vault"}):  # fmt: skip
        with pytest.raises(InvalidTokenError):
            VaultAuth(**options, **wrong).verify_token_locally(token)  # type: ignore[arg-type]


def attack_tokens(vault_sandbox: SandboxHandle, user_id: str) -> dict[str, str]:
    """Row numbers follow reference/jwt-webhooks.md §4."""
    token = vault_sandbox.mint_token(user_id)
    header_seg, payload_seg, sig_seg = token.split(".")
    claims = claims_of(token)
    kid = jwt.get_unverified_header(token)["kid"]
    jwks = httpx.get(f"{vault_sandbox.url}{JWKS_PATH}").json()
    rsa_jwk = next(k for k in jwks["keys"] if k["kid"] == kid)
    public_pem = jwt.PyJWK(rsa_jwk).key.public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo)
    ec_kid = next(k["kid"] for k in jwks["keys"] if k["alg"] == "ES256")
    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    return {
        "1 alg none": forge({"alg": "none", "kid": kid}, claims, b""),
        "1 alg None": forge({"alg": "None", "kid": kid}, claims, b""),
        "2 HS256 with the public key": hs256({"alg": "HS256", "kid": kid}, claims, public_pem),
        "3 HS256 with the JWK text": hs256({"alg": "HS256", "kid": kid}, claims, json.dumps(rsa_jwk).encode()),
        "4 RS256 claiming an EC key": jwt.encode(claims, weak, algorithm="RS256", headers={"kid": ec_kid}),
        "6 no kid": forge({"alg": "RS256"}, claims),
        "7 kid traversal": forge({"alg": "RS256", "kid": "../../etc/passwd"}, claims),
        "7 kid 10KB": forge({"alg": "RS256", "kid": "k" * 10_000}, claims),
        "7 kid not a string": forge({"alg": "RS256", "kid": 7}, claims),
        "8 embedded jwk": jwt.encode(claims, weak, algorithm="RS256", headers={"kid": kid, "jwk": rsa_jwk}),
        "9 crit": jwt.encode(claims, weak, algorithm="RS256", headers={"kid": kid, "crit": ["exp"]}),
        "20 no exp": forge({"alg": "RS256", "kid": kid}, {k: v for k, v in claims.items() if k != "exp"}),
        "21 sub not a string": jwt.encode({**claims, "sub": 5}, weak, algorithm="RS256", headers={"kid": kid}),
        "22 1 MiB token": header_seg + "." + "A" * (1 << 20) + "." + sig_seg,
        "23 two segments": f"{header_seg}.{payload_seg}",
        "23 four segments": f"{token}.x",
        "23 bad base64": f"{header_seg}.!!!.{sig_seg}",
        "23 header is an array": f"{b64(b'[1,2]')}.{payload_seg}.{sig_seg}",
        "24 junk after the signature": f"{token}!!!!",
        "forged signature": f"{header_seg}.{payload_seg}.{sig_seg[:-4]}AAAA",
        "tampered payload": f"{header_seg}.{b64({**claims, 'sub': 'user_admin'})}.{sig_seg}",
        "empty": "",
    }


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")  # the attacker's own 1024-bit key
def test_every_attack_is_refused_with_a_typed_error_and_no_server_call(
    vault: VaultAuth, vault_sandbox: SandboxHandle, user: dict[str, Any], counter: Counter
) -> None:
    attacks = attack_tokens(vault_sandbox, user["id"])
    vault.get_jwks()
    for name, token in attacks.items():
        with pytest.raises(InvalidTokenError) as caught:
            vault.verify_token(token)
        assert isinstance(caught.value, AuthenticationError), name
        assert caught.value.message and "Traceback" not in caught.value.message, name
    assert counter.count(VERIFY_PATH) == 0, "forged tokens must never reach Vault"


def test_a_1024_bit_rsa_key_in_the_jwks_is_dropped() -> None:
    from vault_auth.jwks import usable_keys
    from vault_auth.types import JWK, JWKS

    weak = rsa.generate_private_key(public_exponent=65537, key_size=1024).public_key()
    jwk = jwt.algorithms.RSAAlgorithm.to_jwk(weak, as_dict=True)
    keys = [
        JWK(kty="RSA", kid="weak", alg="RS256", n=jwk["n"], e=jwk["e"]),
        JWK(kty="oct", kid="hmac", alg="HS256"),
        JWK(kty="RSA", kid="enc", alg="RS256", use="enc", n=jwk["n"], e=jwk["e"]),
        JWK(kty="RSA", kid="bad alg", alg="RS512", n=jwk["n"], e=jwk["e"]),
    ]
    assert usable_keys(JWKS(keys=keys)) == {}


def test_an_unknown_kid_refetches_once_then_a_flood_costs_nothing(
    vault: VaultAuth, vault_sandbox: SandboxHandle, user: dict[str, Any], counter: Counter
) -> None:
    claims = claims_of(vault_sandbox.mint_token(user["id"]))
    vault.get_jwks()
    vault.verify_token_locally(vault_sandbox.mint_token(user["id"]))
    before = counter.count(JWKS_PATH)
    for n in range(100):
        with pytest.raises(InvalidTokenError):
            vault.verify_token_locally(forge({"alg": "RS256", "kid": f"random-{n}"}, claims))
    assert counter.count(JWKS_PATH) - before <= 1


def test_rotation_then_retirement(
    vault_sandbox: SandboxHandle, user: dict[str, Any], counter: Counter, clock: SteppedClock
) -> None:
    http = httpx.Client(event_hooks={"request": [counter]})
    vault = VaultAuth(api_key=vault_sandbox.api_key, base_url=vault_sandbox.url, jwks_cache_ttl=0.5, http_client=http)
    old = vault_sandbox.mint_token(user["id"])
    assert vault.verify_token_locally(old).sub == user["id"]
    vault_sandbox.control("POST", "/sandbox/keys/rotate", {"alg": "RS256"})
    clock.advance(0.6)  # past the TTL: the next check refreshes and sees the new key
    fresh = vault_sandbox.mint_token(user["id"])
    assert vault.verify_token_locally(fresh).sub == user["id"]
    vault_sandbox.control("POST", f"/sandbox/keys/{jwt.get_unverified_header(old)['kid']}/retire")
    clock.advance(0.6)
    with pytest.raises(InvalidTokenError):
        vault.verify_token_locally(old)
    assert vault.verify_token_locally(fresh).sub == user["id"]
    http.close()


def test_jwks_outage_keeps_last_good_keys_then_fails_closed(
    vault_sandbox: SandboxHandle, user: dict[str, Any], clock: SteppedClock
) -> None:
    token = vault_sandbox.mint_token(user["id"])
    vault = VaultAuth(api_key=vault_sandbox.api_key, base_url=vault_sandbox.url, jwks_cache_ttl=0.2)
    assert vault.verify_token_locally(token).sub == user["id"]
    clock.advance(0.3)
    vault_sandbox.inject_fault("status", count=50, status=503)
    assert vault.verify_token_locally(token).sub == user["id"]  # stale keys, within the grace period
    cold = VaultAuth(api_key=vault_sandbox.api_key, base_url=vault_sandbox.url)
    with pytest.raises(KeysUnavailableError):
        cold.verify_token_locally(token)


def test_32_threads_cause_one_jwks_fetch(
    vault: VaultAuth, vault_sandbox: SandboxHandle, user: dict[str, Any], counter: Counter
) -> None:
    token = vault_sandbox.mint_token(user["id"])
    barrier = threading.Barrier(32)
    results: list[Any] = []

    def work() -> None:
        barrier.wait()
        results.append(vault.verify_token_locally(token).sub)

    threads = [threading.Thread(target=work) for _ in range(32)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [user["id"]] * 32
    assert counter.count(JWKS_PATH) == 1


async def test_500_tasks_cause_one_jwks_fetch(vault_sandbox: SandboxHandle, user: dict[str, Any]) -> None:
    counter = Counter()
    token = vault_sandbox.mint_token(user["id"])
    http = httpx.AsyncClient(event_hooks={"request": [counter.async_hook]})
    async with AsyncVaultAuth(api_key=vault_sandbox.api_key, base_url=vault_sandbox.url, http_client=http) as vault:
        payloads = await asyncio.gather(*(vault.verify_token_locally(token) for _ in range(500)))
        assert {p.sub for p in payloads} == {user["id"]}
        assert counter.count(JWKS_PATH) == 1
        assert (await vault.verify_token(token)).id == user["id"]
        with pytest.raises(InvalidTokenError):
            await vault.verify_token(token[:-3] + "AAA")
    await http.aclose()


def test_decode_token_reads_claims_without_verifying(
    vault: VaultAuth, vault_sandbox: SandboxHandle, user: dict[str, Any]
) -> None:
    org = vault.organizations.create(name="Acme Corp")
    vault.organizations.add_member(org.id, user["id"], role="admin")
    payload = vault.decode_token(vault_sandbox.mint_token(user["id"], org_id=org.id))
    assert isinstance(payload, TokenPayload)
    assert (payload.sub, payload.user_id, payload.org_id, payload.org_role) == (user["id"], user["id"], org.id, "admin")
    for garbage in ("", "abc", "a.b.c", "x" * 9000):
        with pytest.raises(InvalidTokenError):
            vault.decode_token(garbage)


def test_the_seeds_error_handling_block_runs_as_written(vault_sandbox: SandboxHandle, capsys: Any) -> None:
    from vault_auth import VaultAuthError  # the seed names it without importing; the README documents this import
    from vault_auth.errors import AuthenticationError, NotFoundError, RateLimitError, ServerError

    vault = VaultAuth(api_key=vault_sandbox.api_key, base_url=vault_sandbox.url)
    try:
        vault.verify_token("invalid_token")
    except AuthenticationError as e:
        print(f"Auth failed: {e.message}")
    except NotFoundError as e:
        print(f"Not found: {e.resource_type} {e.resource_id}")
    except RateLimitError as e:
        print(f"Rate limited, retry after: {e.retry_after}s")
    except ServerError as e:
        print(f"Server error: {e.status_code}")
    except VaultAuthError as e:
        print(f"Vault error: {e.message} (code: {e.error_code})")
    assert capsys.readouterr().out.startswith("Auth failed: ")


@pytest.mark.parametrize(
    ("claims", "row"),
    [
        ({"iat": "NOW+120"}, "12 iat in the future"),
        ({"nbf": "NOW+120"}, "12 nbf in the future"),
        ({"exp": "string"}, "13 exp as a string"),
        ({"exp": True}, "13 exp as a boolean"),
        ({"sub": None}, "20 sub missing"),
    ],
)
def test_bad_time_and_subject_claims_are_refused(
    vault_sandbox: SandboxHandle, user: dict[str, Any], claims: dict[str, Any], row: str
) -> None:
    now = int(time.time())
    resolved = {k: now + 120 if v == "NOW+120" else v for k, v in claims.items()}
    if resolved.get("exp") == "string":
        resolved["exp"] = str(now + 3600)
    token = vault_sandbox.mint_token(user["id"], claims=resolved)
    vault = VaultAuth(api_key=vault_sandbox.api_key, base_url=vault_sandbox.url)
    with pytest.raises(InvalidTokenError):
        vault.verify_token_locally(token)


def test_an_audience_list_containing_ours_is_accepted(vault_sandbox: SandboxHandle, user: dict[str, Any]) -> None:
    token = vault_sandbox.mint_token(user["id"], claims={"aud": ["other-service", "vault-sandbox"]})
    vault = VaultAuth(api_key=vault_sandbox.api_key, base_url=vault_sandbox.url, audience="vault-sandbox")
    assert vault.verify_token_locally(token).aud == ["other-service", "vault-sandbox"]


@pytest.mark.parametrize("kind", ["html", "malformed"])
def test_a_garbage_jwks_answer_is_a_failed_fetch(
    vault_sandbox: SandboxHandle, user: dict[str, Any], kind: str, clock: SteppedClock
) -> None:
    token = vault_sandbox.mint_token(user["id"])
    warm = VaultAuth(api_key=vault_sandbox.api_key, base_url=vault_sandbox.url, jwks_cache_ttl=0.2)
    assert warm.verify_token_locally(token).sub == user["id"]
    clock.advance(0.3)
    vault_sandbox.inject_fault(kind, count=5)
    assert warm.verify_token_locally(token).sub == user["id"]  # last good keys, within grace
    vault_sandbox.inject_fault(kind, count=5)
    cold = VaultAuth(api_key=vault_sandbox.api_key, base_url=vault_sandbox.url)
    with pytest.raises(KeysUnavailableError):
        cold.verify_token_locally(token)


def test_authorized_parties_and_maximum_lifetime(vault_sandbox: SandboxHandle, user: dict[str, Any]) -> None:
    options = {"api_key": vault_sandbox.api_key, "base_url": vault_sandbox.url}
    web = vault_sandbox.mint_token(user["id"], claims={"azp": "web-app"})
    plain = vault_sandbox.mint_token(user["id"])
    parties = VaultAuth(**options, authorized_parties=["web-app"])
    assert parties.verify_token_locally(web).sub == user["id"]
    with pytest.raises(InvalidTokenError, match="azp"):
        parties.verify_token_locally(plain)  # row 19: azp missing when parties are configured
    with pytest.raises(InvalidTokenError, match="azp"):
        VaultAuth(**options, authorized_parties=["mobile"]).verify_token_locally(web)
    month = vault_sandbox.mint_token(user["id"], expires_in=30 * 86400)
    with pytest.raises(InvalidTokenError, match="lifetime"):  # row 14
        VaultAuth(**options, max_token_lifetime=86400).verify_token_locally(month)


def test_padded_segments_do_not_verify(vault_sandbox: SandboxHandle, user: dict[str, Any]) -> None:
    header, payload, signature = vault_sandbox.mint_token(user["id"]).split(".")
    vault = VaultAuth(api_key=vault_sandbox.api_key, base_url=vault_sandbox.url)
    for token in (f"{header}==.{payload}.{signature}", f"{header}.{payload}==.{signature}"):  # row 25
        with pytest.raises(InvalidTokenError):
            vault.verify_token_locally(token)


def test_a_redirecting_jwks_endpoint_is_a_failed_fetch(vault_sandbox: SandboxHandle, user: dict[str, Any]) -> None:
    from sdk_sandbox.runner import BackgroundServer, bind, url_of

    followed: list[str] = []

    async def redirector(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        followed.append(scope["path"])
        location = f"{vault_sandbox.url}{JWKS_PATH}".encode()
        await send({"type": "http.response.start", "status": 302, "headers": [(b"location", location)]})
        await send({"type": "http.response.body", "body": b""})

    sock = bind()
    server = BackgroundServer([(redirector, sock)])
    server.start()
    try:
        vault = VaultAuth(api_key=vault_sandbox.api_key, base_url=url_of(sock))
        with pytest.raises(KeysUnavailableError):  # row 32: a redirect is never followed
            vault.verify_token_locally(vault_sandbox.mint_token(user["id"]))
    finally:
        server.stop()
    assert followed == [JWKS_PATH]
