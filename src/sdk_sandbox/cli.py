"""`python -m sdk_sandbox serve`: run the sandboxes on loopback and print their base URLs and API keys.

Once serving, it prints `export NAME=value` lines for every API it serves (`VAULT_API_KEY`, `VAULT_BASE_URL`,
`VORTEX_...`, `LOOPS_...`, `TWILIO_ACCOUNT_SID` and `TWILIO_AUTH_TOKEN`, `STRIPE_...`): pasted into a shell, they
point every client of the family at the sandboxes (the clients read them when no argument says otherwise).

The dashboard (`sdk_sandbox.dashboard`) is served with them unless `--no-dashboard`, always on 127.0.0.1 (it has
buttons and no authentication, so `--allow-remote` does not apply to it); its URL is printed last.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import shlex
import sys
from collections.abc import Callable, Sequence
from typing import Any

import uvicorn

from .dashboard import Dashboard
from .runner import LOOPBACK, PortInUseError, RemoteHostRefusedError, bind, serve_all, url_of
from .server import SandboxApp

BUILDERS: dict[str, Callable[..., SandboxApp]] = {}


def builders() -> dict[str, Callable[..., SandboxApp]]:
    """The APIs the CLI can serve, by name."""
    if not BUILDERS:
        from .loops import build_loops_app
        from .stripe import build_stripe_app
        from .twilio import build_twilio_app
        from .vault import build_vault_app
        from .vortex import build_vortex_app

        BUILDERS["vault"] = build_vault_app
        BUILDERS["vortex"] = build_vortex_app
        BUILDERS["loops"] = build_loops_app
        BUILDERS["twilio"] = build_twilio_app
        BUILDERS["stripe"] = build_stripe_app
    return BUILDERS


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m sdk_sandbox", description="Local sandboxes of the Vault, Vortex, Loops, Twilio and Stripe APIs."
    )
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the sandboxes until Ctrl-C")
    serve.add_argument("--api", default=",".join(builders()), help="comma-separated APIs (default: all)")
    serve.add_argument("--host", default=LOOPBACK, help="address to listen on (default: 127.0.0.1)")
    serve.add_argument("--port", type=int, default=0, help="first port; each further API takes the next (0: any)")
    serve.add_argument("--db", help="SQLite file to keep state in (default: in memory); one file per API")
    serve.add_argument("--allow-remote", action="store_true", help="allow a non-loopback --host")
    serve.add_argument(
        "--no-dashboard",
        action="store_true",
        help="do not serve the dashboard (on 127.0.0.1, the port after the APIs')",
    )
    args = parser.parse_args(argv)
    names = [name.strip() for name in args.api.split(",") if name.strip()]
    unknown = sorted(set(names) - set(builders()))
    if unknown or not names:
        parser.error(f"unknown API {', '.join(unknown) or '(none)'}; choose from {', '.join(builders())}")
    servers: list[tuple[uvicorn.Server, Any]] = []
    running: dict[str, tuple[SandboxApp, str]] = {}
    try:
        for index, name in enumerate(names):
            db = f"{args.db}.{name}.sqlite" if args.db and len(names) > 1 else args.db
            app = builders()[name](db=db)
            sock = bind(args.host, args.port + index if args.port else 0, allow_remote=args.allow_remote)
            app.extra.setdefault("root_url", url_of(sock))
            servers.append((_server(app), sock))
            running[name] = (app, url_of(sock, app.api.spec.base_path))
            print(f"{name:7} {running[name][1]}  api key: {next(iter(app.api_keys))}")
        if not args.no_dashboard:
            sock = bind(LOOPBACK, args.port + len(names) if args.port else 0)
            servers.append((_server(Dashboard(running)), sock))
            print(f"{'dashboard':9} {url_of(sock)}/  (what every sandbox holds; refreshes by itself)")
    except (PortInUseError, RemoteHostRefusedError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print("serving; press Ctrl-C to stop")
    print("# to point the SDKs at these sandboxes, paste into your shell:")
    for name, (app, url) in running.items():
        for variable, value in export_lines(name, app, url):
            print(f"export {variable}={shlex.quote(value)}")
    sys.stdout.flush()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve_all(servers))
    print("stopped")
    return 0


def export_lines(name: str, app: SandboxApp, url: str) -> list[tuple[str, str]]:
    """The environment variables that point the family's clients at one running sandbox, as `(name, value)`."""
    prefix = name.upper()
    if name == "twilio":  # Twilio authenticates with an account SID and an auth token: two variables, not `SID:token`
        credentials = [("TWILIO_ACCOUNT_SID", app.extra["account_sid"]), ("TWILIO_AUTH_TOKEN", app.extra["auth_token"])]
        return [*credentials, ("TWILIO_BASE_URL", url), ("TWILIO_LOOKUPS_BASE_URL", url)]
    return [(f"{prefix}_API_KEY", next(iter(app.api_keys))), (f"{prefix}_BASE_URL", url)]


def _server(app: Any) -> uvicorn.Server:
    return uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on"))
