"""The published vortex-python-sdk 0.19.0, unchanged, against our Vortex sandbox: every public method, both twins.

The published package installs a module named `vortex_sdk`, like ours, so it runs in its own environment
(`.venv-upstream`, from requirements-upstream.txt; `make test` creates it). `upstream_driver.py` runs there, talks to
the session's sandbox on 127.0.0.1 and prints what each call answered; the assertions are here. Outside CI a missing
environment skips these tests; under CI it fails them.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import inspect
import json
import os
import subprocess
from pathlib import Path
from typing import Any

import httpx
import jwt as pyjwt
import pytest

from sdk_sandbox.pytest_plugin import SandboxHandle
from vortex_sdk import Vortex
from vortex_sdk.jwt import parse_api_key

ROOT = Path(__file__).resolve().parents[2]
UPSTREAM_PYTHON = Path(os.environ.get("VORTEX_UPSTREAM_PYTHON", ROOT / ".venv-upstream" / "bin" / "python"))
DRIVER = Path(__file__).with_name("upstream_driver.py")
LOCAL_METHODS = {"generate_jwt", "generate_token", "sign", "close", "close_sync"}


def _upstream_python() -> Path:
    if not UPSTREAM_PYTHON.is_file():
        message = f"{UPSTREAM_PYTHON} is missing: run `make test` (it creates .venv-upstream)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return UPSTREAM_PYTHON


def _seed(sandbox: SandboxHandle, mode: str) -> dict[str, Any]:
    """Invitations for one run of the driver (one per mode, so the runs do not see each other's changes)."""
    email = f"ada-{mode}@example.com"
    team, org = f"team-{mode}", f"org-{mode}"

    def invite(value: str = email, group: str = team, **fields: Any) -> str:
        groups = [{"type": "team", "groupId": group, "name": "Team"}]
        return str(sandbox.create_invitation("email", value, groups=groups, **fields)["id"])

    seeds = {
        "email": email, "team": team, "org": org, "internal_user": f"member-{mode}",
        "invitation": invite(), "second": invite(), "legacy": invite(),
        "expired": invite(expired=True), "revoke": invite(),
        "doomed_scope": f"doomed-scope-{mode}", "doomed_group": f"doomed-group-{mode}",
    }  # fmt: skip
    for group in (seeds["doomed_scope"], seeds["doomed_group"]):
        invite("x@example.com", group)
        invite("y@example.com", group)
    return seeds


@pytest.fixture(scope="module")
def upstream_report(vortex_sandbox_server: SandboxHandle) -> dict[str, Any]:
    python = _upstream_python()
    sandbox = vortex_sandbox_server
    sandbox.reset()
    given = {"url": sandbox.url, "key": sandbox.api_key, "seeds": {m: _seed(sandbox, m) for m in ("async", "sync")}}
    result = subprocess.run(
        [str(python), str(DRIVER)], input=json.dumps(given), capture_output=True, text=True, timeout=300, check=False
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report: dict[str, Any] = json.loads(result.stdout)
    report["seeds"] = given["seeds"]
    sandbox.reset()
    return report


def test_it_is_the_published_0_19_0_in_its_own_environment(upstream_report: dict[str, Any]) -> None:
    assert upstream_report["version"] == "0.19.0"
    assert ".venv-upstream" in upstream_report["module"] or "VORTEX_UPSTREAM_PYTHON" in os.environ


def test_our_facade_offers_every_public_method_with_the_same_parameters(upstream_report: dict[str, Any]) -> None:
    ours = {name: list(inspect.signature(getattr(Vortex, name)).parameters)[1:] for name in upstream_report["methods"]}
    for name, parameters in upstream_report["methods"].items():
        assert ours[name][: len(parameters)] == parameters, name
        # Beyond upstream's: the seed's keyword forms, and the per-call options every network method takes.
        assert all(p in ("target", "user", "request_options", "options") for p in ours[name][len(parameters) :]), name
    network = set(upstream_report["methods"]) - LOCAL_METHODS
    assert {n.removesuffix("_sync") for n in network} == {n for n in network if not n.endswith("_sync")}


@pytest.mark.parametrize("mode", ["async", "sync"])
def test_every_network_method_answers_as_upstream_expects(upstream_report: dict[str, Any], mode: str) -> None:
    run, seeds = upstream_report["runs"][mode], upstream_report["seeds"][mode]
    failures = {k: v for k, v in run.items() if "error" in v and k not in {"get_invitation_missing", "get_revoked",
                "accept_expired", "accept_autojoin_other_domain", "sign"}}  # fmt: skip
    assert not failures, failures
    ok = {k: v["ok"] for k, v in run.items() if "ok" in v}

    assert [i["id"] for i in ok["get_invitations_by_target"]][:2] == [seeds["invitation"], seeds["second"]]
    invitation = ok["get_invitation"]
    assert invitation["id"] == seeds["invitation"] and invitation["expired"] is False
    assert invitation["scopes"][0]["scopeId"] == seeds["team"] == invitation["groups"][0]["groupId"]
    assert run["get_invitation_missing"] == {
        "error": "VortexApiError",
        "message": "Invitation not found",
        "status": 404,
    }
    assert ok["reinvite"]["deliveryCount"] == 2
    by_scope = {i["id"] for i in ok["get_invitations_by_scope"]}
    assert by_scope == {i["id"] for i in ok["get_invitations_by_group"]} >= {seeds["invitation"], seeds["revoke"]}

    accepted = ok["accept_invitation"]["invitations"][0]
    assert accepted["status"] == "accepted" and accepted["accepts"][0]["target"] == {
        "type": "email",
        "value": seeds["email"],
    }
    assert ok["accept_invitations"]["invitations"][0]["id"] == seeds["second"]
    assert ok["accept_invitations_target"]["invitations"][0]["status"] == "accepted"
    assert any("DEPRECATED" in w for w in run["accept_invitations_target"]["warnings"])
    assert run["accept_expired"]["status"] == 409
    assert ok["revoke_invitation"] == {} and run["get_revoked"]["status"] == 404

    created = ok["create_invitation"]
    assert created["shortLink"].endswith(created["id"]) and created["status"] == "delivered"
    stored = ok["get_created"]
    assert (stored["source"], stored["foreignCreatorId"], stored["creatorName"]) == ("backend", "user-456", "Ines")
    assert stored["metadata"] == {"campaign": "spring"} and stored["scopes"][0]["groupId"] == seeds["team"]
    assert ok["sync_internal_invitation"] == {"processed": 1, "invitationIds": [ok["create_internal"]["id"]]}

    configured = ok["configure_autojoin"]
    assert [d["domain"] for d in configured["autojoinDomains"]] == ["acme.com"]
    assert configured["invitation"]["invitationType"] == "autojoin" and configured["invitation"]["metadata"] == {
        "plan": "pro"
    }
    assert ok["get_autojoin_domains"] == configured
    joined = ok["accept_autojoin"]["invitations"][0]
    assert joined["accepts"][-1]["target"]["value"] == "joiner@acme.com"
    assert run["accept_autojoin_other_domain"]["status"] == 403
    assert configured["invitation"]["id"] in [i["id"] for i in ok["get_autojoin_by_target"]]
    assert ok["configure_autojoin_off"]["autojoinDomains"] == []
    assert ok["configure_autojoin_off"]["invitation"]["deactivated"] is True

    assert ok["delete_invitations_by_scope"] == {} and ok["get_deleted_scope"] == []
    assert ok["delete_invitations_by_group"] == {} and ok["get_deleted_group"] == []
    assert ok["closed"] is True


def test_its_tokens_verify_in_the_sandbox_and_match_ours(
    upstream_report: dict[str, Any], vortex_sandbox: SandboxHandle
) -> None:
    run = upstream_report["runs"]["sync"]
    token = run["generate_jwt"]["ok"]
    root = vortex_sandbox.url.removesuffix("/api/v1")
    verified = httpx.post(f"{root}/sandbox/jwt/verify", json={"token": token}, timeout=10).json()
    assert verified["payload"]["userId"] == "user-123" and verified["payload"]["componentId"] == "component-123"

    key = parse_api_key(vortex_sandbox.api_key)
    claims = pyjwt.decode(run["generate_token"]["ok"], key.key, algorithms=["HS256"])
    assert claims["user"] == {"id": "user-123"} and claims["exp"] - claims["iat"] == 3600
    with Vortex(api_key=vortex_sandbox.api_key, base_url=vortex_sandbox.url) as ours:
        mine = pyjwt.decode(ours.generate_token({"user": {"id": "user-123"}}, {"expires_in": "1h"}), key.key, ["HS256"])
        assert mine.keys() == claims.keys() and mine["user"] == claims["user"]
        # 0.19.0's `sign` calls a helper it does not have; ours computes what its docstring and the reference say.
        assert run["sign"]["error"] == "AttributeError"
        canonical = json.dumps({"userEmail": "ada-sync@example.com", "userId": "user-123"}, separators=(",", ":"))
        digest = hmac.new(key.key, canonical.encode(), hashlib.sha256).hexdigest()
        assert ours.sign({"id": "user-123", "email": "ada-sync@example.com"}) == f"{key.kid}:{digest}"
    assert base64.urlsafe_b64decode(token.split(".")[0] + "==")
