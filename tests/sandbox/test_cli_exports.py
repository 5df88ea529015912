"""`python -m sdk_sandbox serve` prints `export NAME=value` lines that point the family's clients at what it serves."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys

import httpx

COMMAND = [sys.executable, "-m", "sdk_sandbox", "serve", "--no-dashboard"]


def test_serve_prints_an_export_line_for_every_api_it_serves() -> None:
    process = subprocess.Popen(COMMAND, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        while not (line := process.stdout.readline()).startswith("serving"):
            assert line, "the CLI ended before serving"
        exports: dict[str, str] = {}
        while (line := process.stdout.readline()).startswith(("export ", "#")):
            if line.startswith("export "):
                name, _, value = line.removeprefix("export ").strip().partition("=")
                exports[name] = shlex.split(value)[0]
            if len(exports) == 12:
                break
        assert sorted(exports) == sorted([
            "VAULT_API_KEY", "VAULT_BASE_URL", "VORTEX_API_KEY", "VORTEX_BASE_URL", "LOOPS_API_KEY", "LOOPS_BASE_URL",
            "TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_BASE_URL", "TWILIO_LOOKUPS_BASE_URL",
            "STRIPE_API_KEY", "STRIPE_BASE_URL",
        ])  # fmt: skip
        assert exports["TWILIO_ACCOUNT_SID"].startswith("AC") and ":" not in exports["TWILIO_AUTH_TOKEN"]
        vault = httpx.get(
            f"{exports['VAULT_BASE_URL']}/api/v1/users", headers={"Authorization": f"Bearer {exports['VAULT_API_KEY']}"}
        )
        assert vault.json()["data"]["total"] == 0
        twilio = httpx.get(
            f"{exports['TWILIO_BASE_URL']}/2010-04-01/Accounts/{exports['TWILIO_ACCOUNT_SID']}/Messages.json",
            auth=(exports["TWILIO_ACCOUNT_SID"], exports["TWILIO_AUTH_TOKEN"]),
        )
        assert twilio.status_code == 200, twilio.text
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=10)
    finally:
        process.kill()
    assert process.returncode == 0


def test_the_exported_variables_configure_the_sdks_with_no_arguments() -> None:
    process = subprocess.Popen([*COMMAND, "--api", "vault,vortex"], stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        while not process.stdout.readline().startswith("serving"):
            pass
        environment = {}
        for _ in range(5):
            line = process.stdout.readline()
            if line.startswith("export "):
                name, _, value = line.removeprefix("export ").strip().partition("=")
                environment[name] = shlex.split(value)[0]
        script = (
            "from vault_auth import VaultAuth; from vortex_sdk import Vortex\n"
            "print(VaultAuth().health_check()['status'], Vortex().get_invitations_by_target_sync('email', 'a@b.c'))"
        )
        env = {**os.environ, **environment}
        done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 0, done.stderr
        assert done.stdout.split() == ["ok", "[]"]
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=10)
    finally:
        process.kill()
