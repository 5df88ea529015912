"""Runs every public method of the published vortex-python-sdk 0.19.0 against a Vortex sandbox; prints JSON.

Executed by `.venv-upstream/bin/python` (the published package installs the module `vortex_sdk`, as ours does, so
it never shares our environment) from tests/vortex_sdk/test_upstream_client.py, which starts the sandbox, seeds
it, and asserts on what this prints. Input on stdin: `{"url", "key", "seeds": {"async": {...}, "sync": {...}}}`.

Output: `{"version", "methods": {name: [parameter names]}, "runs": {"async"|"sync": {step: outcome}}}`, where an
outcome is `{"ok": <the answer as JSON>}` or `{"error": <exception type>, "message", "status"}`, and `warnings`
holds what the SDK logged at WARNING level (its deprecation notices).
"""

from __future__ import annotations

import asyncio
import inspect
import json
import logging
import sys
from collections.abc import Callable
from importlib.metadata import version
from typing import Any

import vortex_sdk
from vortex_sdk import Vortex
from vortex_sdk.types import AcceptUser, InvitationTarget


class Recorder(logging.Handler):
    """Keeps the SDK's warnings (its deprecation notices are logged, not `warnings.warn`-ed)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def plain(value: Any) -> Any:
    """An answer as JSON: pydantic models by their wire (camelCase) names."""
    if hasattr(value, "model_dump"):
        return value.model_dump(by_alias=True, mode="json")
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def public_methods() -> dict[str, list[str]]:
    """Every public method of `Vortex` and its parameter names (without `self`)."""
    methods: dict[str, list[str]] = {}
    for name, member in inspect.getmembers(Vortex, inspect.isfunction):
        if not name.startswith("_"):
            methods[name] = [p for p in inspect.signature(member).parameters if p != "self"]
    return methods


def scenario(mode: str, url: str, key: str, seeds: dict[str, Any], recorder: Recorder) -> dict[str, Any]:
    """Each network method once (as `name` in async mode, `name_sync` in sync mode), then the local ones."""
    vortex = Vortex(api_key=key, base_url=url)
    loop = asyncio.new_event_loop()
    out: dict[str, Any] = {}

    def step(label: str, name: str, *args: Any, **kwargs: Any) -> Any:
        recorder.messages.clear()
        try:
            if mode == "sync":
                answer = getattr(vortex, f"{name}_sync")(*args, **kwargs)
            else:
                answer = loop.run_until_complete(getattr(vortex, name)(*args, **kwargs))
        except Exception as exc:
            out[label] = {"error": type(exc).__name__, "message": str(exc), "status": getattr(exc, "status_code", 0)}
            return None
        out[label] = {"ok": plain(answer), "warnings": list(recorder.messages)}
        return answer

    def local(label: str, call: Callable[[], Any]) -> None:
        try:
            out[label] = {"ok": plain(call())}
        except Exception as exc:
            out[label] = {"error": type(exc).__name__, "message": str(exc), "status": 0}

    email = seeds["email"]
    step("get_invitations_by_target", "get_invitations_by_target", "email", email)
    step("get_invitation", "get_invitation", seeds["invitation"])
    step("get_invitation_missing", "get_invitation", "no-such-invitation")
    step("reinvite", "reinvite", seeds["invitation"])
    step("get_invitations_by_scope", "get_invitations_by_scope", "team", seeds["team"])
    step("get_invitations_by_group", "get_invitations_by_group", "team", seeds["team"])
    step("accept_invitation", "accept_invitation", seeds["invitation"], AcceptUser(email=email, name="Ada"))
    step("accept_invitations", "accept_invitations", [seeds["second"]], {"email": email, "is_existing": True})
    step(
        "accept_invitations_target",
        "accept_invitations",
        [seeds["legacy"]],
        InvitationTarget(type="email", value=email),
    )
    step("accept_expired", "accept_invitation", seeds["expired"], {"email": email})
    step("revoke_invitation", "revoke_invitation", seeds["revoke"])
    step("get_revoked", "get_invitation", seeds["revoke"])
    created = step(
        "create_invitation", "create_invitation",
        widget_configuration_id="widget-config-123", target={"type": "email", "value": "new@example.com"},
        inviter={"user_id": "user-456", "user_email": "inviter@example.com", "name": "Ines"},
        groups=[{"type": "team", "groupId": seeds["team"], "name": "Team"}], source="backend",
        template_variables={"company": "Acme"}, metadata={"campaign": "spring"},
    )  # fmt: skip
    if created is not None:
        step("get_created", "get_invitation", created.id)
    step(
        "create_internal", "create_invitation",
        widget_configuration_id="widget-config-123", target={"type": "internal", "value": seeds["internal_user"]},
        inviter={"user_id": "user-456"}, scope_id=seeds["team"], scope_type="team", scope_name="Team",
    )  # fmt: skip
    step("sync_internal_invitation", "sync_internal_invitation", "user-456", seeds["internal_user"], "accepted", "c-1")
    configured = step(
        "configure_autojoin", "configure_autojoin",
        scope=seeds["org"], scope_type="organization", domains=["acme.com"], component_id="component-123",
        scope_name="Acme", metadata={"plan": "pro"},
    )  # fmt: skip
    step("get_autojoin_domains", "get_autojoin_domains", "organization", seeds["org"])
    if configured is not None and configured.invitation is not None:
        autojoin_id = configured.invitation.id
        step("accept_autojoin", "accept_invitation", autojoin_id, {"email": "joiner@acme.com"})
        step("accept_autojoin_other_domain", "accept_invitation", autojoin_id, {"email": "eve@evil.example"})
    step("get_autojoin_by_target", "get_invitations_by_target", "email", "someone@acme.com")
    step("configure_autojoin_off", "configure_autojoin", seeds["org"], "organization", [], "component-123")
    step("delete_invitations_by_scope", "delete_invitations_by_scope", "team", seeds["doomed_scope"])
    step("get_deleted_scope", "get_invitations_by_scope", "team", seeds["doomed_scope"])
    step("delete_invitations_by_group", "delete_invitations_by_group", "team", seeds["doomed_group"])
    step("get_deleted_group", "get_invitations_by_group", "team", seeds["doomed_group"])

    user = {"id": "user-123", "email": email, "admin_scopes": ["autojoin"]}
    local("generate_jwt", lambda: vortex.generate_jwt(user, componentId="component-123"))
    local("generate_token", lambda: vortex.generate_token({"user": {"id": "user-123"}}, {"expires_in": "1h"}))
    local("sign", lambda: vortex.sign({"id": "user-123", "email": email}))
    if mode == "sync":
        vortex.close_sync()
    else:
        loop.run_until_complete(vortex.close())
    loop.close()
    out["closed"] = {"ok": True}
    return out


def main() -> None:
    given = json.load(sys.stdin)
    recorder = Recorder()
    logging.getLogger("vortex_sdk").addHandler(recorder)
    logging.getLogger("vortex_sdk").propagate = False
    runs = {
        mode: scenario(mode, given["url"], given["key"], given["seeds"][mode], recorder) for mode in ("async", "sync")
    }
    report = {
        "version": version("vortex-python-sdk"),
        "module": vortex_sdk.__file__,
        "methods": public_methods(),
        "runs": runs,
    }
    json.dump(report, sys.stdout)


if __name__ == "__main__":
    main()
