"""The project's settings leave no service in a silent state: with them, in production (DEBUG and TESTING off),
each service the start-up checks see is either configured or named in a warning, and a live Stripe key without a
webhook secret (which the guide's STRIPE_ENABLED expression turns off) is said at start-up, not discovered later."""

import os
import subprocess
import sys
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[3]
CHECK_IDS = (
    "import django; django.setup()\n"
    "from django.core import checks\n"
    "print(' '.join(sorted(m.id for m in checks.run_checks() if m.id.startswith('app_integrations.'))))\n"
)


def start_up_messages(**environment: str) -> list[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LOOPS_", "STRIPE_", "TWILIO_", "AWS_", "DEBUG"))}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", DEBUG="false", TESTING="false", **environment)
    done = subprocess.run(
        [sys.executable, "-c", CHECK_IDS], cwd=PROJECT, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.split()


def test_nothing_configured_names_every_sending_service() -> None:
    messages = start_up_messages()
    assert "app_integrations.W001" in messages  # Loops: no key
    assert "app_integrations.W012" in messages  # Stripe: switched off (the guide's expression with no key)
    assert "app_integrations.W013" in messages  # Twilio: TWILIO_ENABLED defaults to False


def test_a_live_stripe_key_without_a_webhook_secret_is_said_at_start_up() -> None:
    messages = start_up_messages(STRIPE_API_KEY="sk_live_example")
    assert "app_integrations.W012" in messages


def test_the_guides_env_lines_configure_stripe_without_a_warning() -> None:
    messages = start_up_messages(STRIPE_API_KEY="sk_test_x", STRIPE_WEBHOOK_SECRET="whsec_x", STRIPE_ENABLED="true")
    assert not [m for m in messages if m.endswith(("W002", "W012", "W022"))]
