"""The project's `.env.test` does what the integrations guide says: every integration simulates, nothing is sent."""

import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[3]


def test_env_test_simulates_every_send() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LOOPS_", "STRIPE_", "TWILIO_", "DATABASE_"))}
    for line in (PROJECT / ".env.test").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            env[name.strip()] = value.strip()
    code = (
        "import django; django.setup()\n"
        "from apps.integration.loops.client import LoopsClient\n"
        "from apps.integration.stripe.client import StripeClient\n"
        "print(LoopsClient().transactional_email('a@example.com', 't').get('simulated'),"
        " StripeClient().create_customer(email='a@example.com').get('simulated'))\n"
    )
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, env=env, capture_output=True, text=True, check=True
    )
    assert done.stdout.split() == ["True", "True"]
