"""The dashboard's ASGI app: one page, the state of every sandbox as JSON, and the panels' buttons.

Routes:
    GET  /                                 the page (self-contained HTML; polls `/api/state`)
    GET  /api/state                        `{"refreshSeconds", "panels": [{"sandbox", "title", "baseUrl",
                                           "sections": [...], "error"}]}`, one panel per sandbox in the order given
    POST /api/actions/<sandbox>/<action>   runs `ApiDefinition.actions[action]` with the JSON object body:
                                           200 `{"ok": true, "result"}`, 400 `{"ok": false, "error"}` (an
                                           `ActionError`), 404 for an unknown sandbox or action

The dashboard has no authentication, like the sandboxes: it is served on loopback only, answers only requests whose
`Host` is a loopback name (so a web page cannot reach it through DNS rebinding), and runs actions only for JSON
requests from its own origin (so another site's form or `fetch` cannot press its buttons).
"""

from __future__ import annotations

import json
import logging
import secrets
import time
from collections.abc import Mapping
from importlib import resources
from typing import Any
from urllib.parse import unquote, urlsplit

from ..panel import ActionError
from ..server import Receive, SandboxApp, Scope, Send, _lifespan, _read_body, _send_raw
from ..validation import Rejection

logger: logging.Logger = logging.getLogger("sdk_sandbox.dashboard")

MAX_ACTION_BODY = 64 * 1024
LOOPBACK_NAMES = frozenset({"127.0.0.1", "localhost", "::1"})
Sandboxes = Mapping[str, tuple[SandboxApp, str]]


class UnknownAction(LookupError):
    """No sandbox of that name, or no action of that name on it."""


def _page_template() -> str:
    return resources.files(__package__).joinpath("page.html").read_text(encoding="utf-8")


class Dashboard:
    """The dashboard of running sandboxes.

    Args:
        sandboxes: `{name: (app, base_url)}` in the order the page shows them; `base_url` is shown as is.
        refresh_seconds: How often the page polls for new state.
    """

    def __init__(self, sandboxes: Sandboxes, *, refresh_seconds: float = 1.0) -> None:
        self.sandboxes: dict[str, tuple[SandboxApp, str]] = dict(sandboxes)
        self.refresh_seconds = refresh_seconds
        self._template = _page_template()

    def state(self) -> dict[str, Any]:
        """Every sandbox's panel, built now from its store; a panel that fails shows its error instead."""
        panels = []
        for name, (app, base_url) in self.sandboxes.items():
            panel: dict[str, Any] = {"sandbox": name, "title": name, "baseUrl": base_url, "sections": [], "error": None}
            if app.api.dashboard is not None:
                try:
                    panel.update(app.api.dashboard(app).to_json())
                except Exception as exc:
                    logger.exception("dashboard panel of %s failed", name)
                    panel["error"] = f"This panel failed: {type(exc).__name__}"
            panels.append(panel)
        return {"refreshSeconds": self.refresh_seconds, "generatedAt": time.time(), "panels": panels}

    def act(self, sandbox: str, action: str, args: Mapping[str, Any]) -> Any:
        """Run one panel action; raises `UnknownAction` for an unknown sandbox or action, `ActionError` if refused."""
        entry = self.sandboxes.get(sandbox)
        run = entry[0].api.actions.get(action) if entry is not None else None
        if entry is None or run is None:
            raise UnknownAction(f"No action {action!r} on sandbox {sandbox!r}.")
        return run(entry[0], args)

    def page(self, nonce: str) -> str:
        """The HTML page, its inline script and style allowed by `nonce`."""
        config = json.dumps({"refreshSeconds": self.refresh_seconds}).replace("<", "\\u003c")
        return self._template.replace("{{NONCE}}", nonce).replace("{{CONFIG}}", config)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Serve one ASGI connection (HTTP; lifespan is acknowledged)."""
        if scope["type"] == "lifespan":  # nothing to start or stop: the sandboxes run in their own servers
            await _lifespan(receive, send)
        if scope["type"] != "http":
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        method, path = scope["method"], scope["path"]
        if not _is_loopback_host(headers.get("host", "")):
            await _json(send, 403, {"ok": False, "error": "The dashboard answers only to a loopback Host."})
        elif path == "/" and method in ("GET", "HEAD"):
            await self._send_page(send)
        elif path == "/api/state" and method == "GET":
            await _json(send, 200, self.state())
        elif path.startswith("/api/actions/"):
            await self._action(scope, receive, send, headers)
        else:
            await _json(send, 404, {"ok": False, "error": "Not found"})

    async def _send_page(self, send: Send) -> None:
        nonce = secrets.token_urlsafe(16)
        policy = (
            f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'nonce-{nonce}'; connect-src 'self'; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
        )
        extra = {"Content-Security-Policy": policy, **_HARDENING}
        await _send_raw(send, 200, self.page(nonce).encode(), b"text/html; charset=utf-8", extra)

    async def _action(self, scope: Scope, receive: Receive, send: Send, headers: Mapping[str, str]) -> None:
        parts = scope["path"].split("/")
        if len(parts) != 5 or scope["method"] != "POST":
            usage = {"ok": False, "error": "POST /api/actions/<sandbox>/<action>"}
            await _json(send, 404 if len(parts) != 5 else 405, usage)
            return
        sandbox, action = unquote(parts[3]), unquote(parts[4])
        origin = headers.get("origin")
        if origin is not None and urlsplit(origin).netloc != headers.get("host"):
            await _json(send, 403, {"ok": False, "error": "Actions are accepted only from the dashboard's own page."})
            return
        if headers.get("content-type", "").split(";")[0].strip().lower() != "application/json":
            await _json(send, 415, {"ok": False, "error": "Send the action's arguments as application/json."})
            return
        try:
            args = json.loads(await _read_body(receive, MAX_ACTION_BODY) or b"{}")
        except (Rejection, ValueError):
            args = None
        if not isinstance(args, dict):
            await _json(send, 400, {"ok": False, "error": "The body must be a JSON object."})
            return
        try:
            result = self.act(sandbox, action, args)
        except UnknownAction as exc:
            await _json(send, 404, {"ok": False, "error": str(exc)})
            return
        except ActionError as exc:
            await _json(send, 400, {"ok": False, "error": str(exc)})
            return
        except Exception:
            logger.exception("dashboard action %s/%s failed", sandbox, action)
            await _json(send, 500, {"ok": False, "error": "The action failed; see the server log."})
            return
        await _json(send, 200, {"ok": True, "result": result})


_HARDENING = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


def _is_loopback_host(host: str) -> bool:
    name = urlsplit(f"//{host}").hostname
    return name is not None and name in LOOPBACK_NAMES


async def _json(send: Send, status: int, body: Any) -> None:
    await _send_raw(send, status, json.dumps(body, default=str).encode(), b"application/json", _HARDENING)
