"""`make demo` (examples/demo.py) runs to the end against the embedded sandboxes and the FastAPI example app."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

DEMO = Path(__file__).resolve().parents[1] / "examples" / "demo.py"


def test_the_demo_walks_the_flow_and_exits_0() -> None:
    result = subprocess.run([sys.executable, str(DEMO)], capture_output=True, text=True, timeout=240)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for expected in ("vault.users.create", "vault.verify_token", "Acme Corp - admin", "InvalidTokenError",
                     "NotFoundError: user user_missing", "POST /api/vortex/jwt", "'adminScopes': ['autojoin']",
                     "POST /api/vortex/invitations/accept\n   200", "reinvite an accepted invitation\n   409",
                     "[('team', 'team-red', 'member'), ('team', 'team-blue', 'member')]", "401",
                     "the Loops sandbox outbox\n   __loops_login_code_id__ to ada@example.com",
                     "the same link again\n   400", "'status': 'complete'", "[200, 200, 200, 429]",
                     "pay on the sandbox's hosted checkout page\n   303", "'active')]", "checkout.session.completed",
                     "signed status callbacks\n   delivered",
                     "<the texted code>)\n   {'success': True, 'verified': True}",
                     "Stripe   configured, reachable, credentials valid",
                     "Loops    configured, reachable, credentials valid", "the Django integrations demo passed",
                     "the Loops sandbox's outbox\n   [('welcome', 'user@example.com', 'Welcome, John')]",
                     "the demo passed"):  # fmt: skip
        assert expected in out, expected
    assert "Traceback" not in result.stderr


def test_make_sandbox_prints_urls_and_keys_and_stops_on_sigterm(tmp_path: Path) -> None:
    import signal

    process = subprocess.Popen(
        [sys.executable, str(DEMO.with_name("sandbox.py")), str(tmp_path / "db.sqlite3")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    lines = [process.stdout.readline() for _ in range(12)]
    urls = {line.split()[0]: line.split()[2] for line in lines[:5]}
    assert "VAULT_API_KEY=vault_m2m_" in lines[0] and "VORTEX_API_KEY=VRTX." in lines[1]
    assert "LOOPS_API_KEY=" in lines[2] and lines[4].startswith("dashboard")
    import httpx

    assert httpx.get(f"{urls['FastAPI']}/api/me/memberships").status_code == 401  # the FastAPI example answers
    panels = httpx.get(f"{lines[4].split()[1]}/api/state").json()["panels"]
    assert [p["sandbox"] for p in panels] == ["vault", "vortex", "loops", "stripe", "twilio"]
    assert "STRIPE_API_KEY=sk_test_" in lines[7] and "TWILIO_ACCOUNT_SID=AC" in lines[8]
    s3_url = lines[9].split()[3]
    assert lines[9].startswith("local S3 (moto)") and "AWS_STORAGE_BUCKET_NAME=uploads" in lines[9]
    assert httpx.get(f"{s3_url}/uploads").status_code in (200, 403)  # the bucket exists on the local server
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=20) == 0
