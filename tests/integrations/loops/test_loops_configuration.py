"""Where the Loops client's configuration comes from, the debug-mode rule, the start-up check and the shortcuts'
own failures (seed 002's "Configuration Management" and "Debug Mode")."""

from __future__ import annotations

import logging
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import override_settings

from app_integrations.loops import LoopsClient
from app_integrations.loops.shortcuts import send_password_reset_email, send_team_membership_email

pytestmark = pytest.mark.usefixtures("integrations_db")
ADA = SimpleNamespace(email="ada@example.com", first_name="Ada", get_full_name=lambda: "Ada Lovelace")


def test_the_constructor_wins_over_settings_which_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LOOPS_API_KEY", "from-the-environment")
    monkeypatch.setenv("LOOPS_BASE_URL", "http://127.0.0.1:1/env")
    assert LoopsClient().base_url == "http://127.0.0.1:1/env"
    with override_settings(LOOPS_API_KEY="from-settings", LOOPS_BASE_URL="http://127.0.0.1:1/settings"):
        assert LoopsClient().base_url == "http://127.0.0.1:1/settings"
        assert LoopsClient(base_url="http://127.0.0.1:1/argument").base_url == "http://127.0.0.1:1/argument"
        assert LoopsClient(api_key="x" * 12)._config.api_key.reveal() == "x" * 12  # type: ignore[union-attr]


def test_debug_true_simulates_unless_a_base_url_points_at_a_sandbox(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOOPS_BASE_URL", raising=False)
    with override_settings(DEBUG=True, LOOPS_API_KEY="k" * 12):
        assert LoopsClient().debug_mode is True
        assert LoopsClient(debug_mode=False).debug_mode is False
        with override_settings(LOOPS_BASE_URL="http://127.0.0.1:9/api/v1"):
            assert LoopsClient().debug_mode is False
    with override_settings(DEBUG=False, LOOPS_API_KEY="k" * 12):
        assert LoopsClient().debug_mode is False
        assert LoopsClient(debug_mode=True).debug_mode is True


def test_missing_credentials_simulate_only_in_development(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOOPS_API_KEY", raising=False)
    monkeypatch.delenv("LOOPS_BASE_URL", raising=False)
    with override_settings(DEBUG=False, TESTING=True, LOOPS_API_KEY=""):
        assert LoopsClient().transactional_email("a@example.com", "t")["simulated"] is True
    with override_settings(DEBUG=False, TESTING=False, LOOPS_API_KEY=""):
        result = LoopsClient().transactional_email("a@example.com", "t")
    assert result == {
        "success": False,
        "error": "Loops is not configured: set LOOPS_API_KEY",
        "code": "not_configured",
        "status_code": None,
        "request_id": None,
    }


def test_a_malformed_key_is_a_failure_dict_not_an_exception() -> None:
    result = LoopsClient(api_key="broken\nkey-123", debug_mode=False).test_api_key()
    assert result["success"] is False and result["code"] == "not_configured" and "line breaks" in result["error"]


def test_debug_mode_logs_what_it_would_send_but_never_the_key(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    result = LoopsClient(api_key="secret-loops-key-123", debug_mode=True).transactional_email(
        "user@example.com", "welcome_email", {"user_name": "John Doe", "login_url": "https://example.com/login?t=abc"}
    )
    assert result["success"] is True and result["simulated"] is True
    assert "welcome_email" in caplog.text and "user@example.com" in caplog.text
    assert "secret-loops-key-123" not in caplog.text and "t=abc" not in caplog.text


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda c: c.transactional_email("not-an-email", "t"), "to_email is not a valid e-mail address"),
        (lambda c: c.transactional_email("a@example.com", ""), "transactional_id must be a non-empty string"),
        (lambda c: c.transactional_email("a@example.com", "t", bcc="b@example.com"), "unsupported argument 'bcc'"),
        (lambda c: c.transactional_email("a@example.com", "t", {"ok": True}), "data variable 'ok'"),
        (lambda c: c.transactional_email("a@example.com", "t", idempotency_key="k" * 101), "idempotency_key"),
        (
            lambda c: c.transactional_email(
                "a@example.com",
                "t",
                attachments=[
                    {"filename": "a.pdf", "content_type": "application/pdf", "data": b"x" * (7 * 1024 * 1024 + 1)}
                ],
            ),
            "over the 7340032 byte limit",
        ),
        (lambda c: c.event("a@example.com", ""), "event_name must be a non-empty string"),
        (lambda c: c.find_contact("a@example.com", user_id="u1"), "exactly one of email or user_id"),
        (lambda c: c.list_transactional_emails(per_page=5), "per_page"),
    ],
)
def test_bad_arguments_are_failure_dicts_before_anything_is_sent(call: Any, message: str) -> None:
    # An unroutable base URL: had anything been sent, the failure would be a connection error instead.
    loops = LoopsClient(api_key="k" * 12, base_url="http://127.0.0.1:1/api/v1", debug_mode=False, max_retries=0)
    result = call(loops)
    assert result["success"] is False and message in result["error"]
    assert result["code"] in ("invalid_argument", "attachments_too_large")


def test_the_start_up_check_warns_about_a_missing_key_outside_development(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core import checks

    monkeypatch.delenv("LOOPS_API_KEY", raising=False)
    with override_settings(DEBUG=False, TESTING=False, LOOPS_API_KEY=""):
        ids = [message.id for message in checks.run_checks()]
    assert "app_integrations.W001" in ids
    with override_settings(DEBUG=False, TESTING=False, LOOPS_API_KEY="k" * 12):
        assert "app_integrations.W001" not in [message.id for message in checks.run_checks()]


def test_shortcuts_without_a_template_id_are_logged_failures(caplog: pytest.LogCaptureFixture) -> None:
    with override_settings(DEBUG=True, LOOPS_PASSWORD_RESET_ID=""):
        result = send_password_reset_email(ADA, "https://example.com/reset/x/")
    assert result["success"] is False and result["code"] == "not_configured"
    assert "LOOPS_PASSWORD_RESET_ID" in caplog.text


def test_team_membership_email_reads_the_membership_by_duck_typing() -> None:
    role = SimpleNamespace(value="member")
    membership = SimpleNamespace(team=SimpleNamespace(name="Core"), user=ADA, role=role)
    with override_settings(DEBUG=True, LOOPS_TEAM_MEMBERSHIP_ID="team_membership"):
        assert send_team_membership_email(membership) is True
        assert send_team_membership_email(SimpleNamespace(team=None, user=ADA)) is False
    with override_settings(DEBUG=True, LOOPS_TEAM_MEMBERSHIP_ID=""):
        assert send_team_membership_email(membership) is False


def test_secret_lists_read_one_secret_a_list_or_a_separated_string(monkeypatch: pytest.MonkeyPatch) -> None:
    from app_integrations.settings import secret_list

    monkeypatch.setenv("SOME_WEBHOOK_SECRET", " whsec_a, whsec_b  whsec_c ")
    assert secret_list("SOME_WEBHOOK_SECRET") == ["whsec_a", "whsec_b", "whsec_c"]
    with override_settings(SOME_WEBHOOK_SECRET=["whsec_x", "", "whsec_y"]):
        assert secret_list("SOME_WEBHOOK_SECRET") == ["whsec_x", "whsec_y"]
    assert secret_list("SOME_WEBHOOK_SECRET", "whsec_only") == ["whsec_only"]
    monkeypatch.delenv("SOME_WEBHOOK_SECRET")
    assert secret_list("SOME_WEBHOOK_SECRET") == []
