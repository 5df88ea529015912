"""The Loops client and shortcuts against the Loops sandbox over a real loopback socket: seed 002's calls as written,
every bad input the issue names, and the sends' exactly-once guarantee."""

from __future__ import annotations

import base64
from typing import Any

import pytest
from django.test import Client, override_settings

from app_integrations.loops import AsyncLoopsClient, LoopsClient
from sdk_sandbox.pytest_plugin import SandboxHandle


@pytest.fixture
def loops(loops_sandbox: SandboxHandle) -> Any:
    loops_sandbox.set_rate_limit(enabled=False)  # tests that are about the limit set their own
    with LoopsClient(api_key=loops_sandbox.api_key, base_url=loops_sandbox.url, retry_delay=0.01) as client:
        yield client


def test_seed_002_transactional_email_runs_as_written(loops_sandbox: SandboxHandle, loops: LoopsClient) -> None:
    loops_sandbox.create_template(
        "Welcome", ["user_name", "login_url"], template_id="welcome_email", subject="Hi {{user_name}}"
    )
    client = loops
    result = client.transactional_email(
        to_email="user@example.com",
        transactional_id="welcome_email",
        data_variables={"user_name": "John Doe", "login_url": "https://example.com/login"},
    )
    assert result["success"] is True and "simulated" not in result
    [sent] = loops_sandbox.outbox()
    assert sent["email"] == "user@example.com" and sent["transactionalId"] == "welcome_email"
    assert sent["dataVariables"] == {"user_name": "John Doe", "login_url": "https://example.com/login"}
    assert sent["subject"] == "Hi John Doe"
    assert sent["idempotencyKey"] == result["idempotency_key"]


def test_event_and_test_api_key_run_as_written(loops_sandbox: SandboxHandle, loops: LoopsClient) -> None:
    assert loops.event("user@example.com", "signup", {"plan": "pro"})["success"] is True
    [received] = loops_sandbox.events()
    assert received["eventName"] == "signup" and received["eventProperties"] == {"plan": "pro"}
    result = loops.test_api_key()
    assert result["success"] is True and result["valid"] is True and result["team_name"]


def test_contacts_lists_and_properties_round_trip(loops_sandbox: SandboxHandle, loops: LoopsClient) -> None:
    loops_sandbox.create_mailing_list("Newsletter", list_id="list_news")
    created = loops.create_contact("ada@example.com", first_name="Ada", mailing_lists={"list_news": True})
    assert created["success"] is True and created["id"]
    assert loops.create_contact("ada@example.com")["code"] == "contact_exists"
    assert loops.update_contact("ada@example.com", last_name="Lovelace")["id"] == created["id"]
    found = loops.find_contact("ada@example.com")
    assert found["contact"] is not None and found["contact"]["lastName"] == "Lovelace"
    assert found["contact"]["mailingLists"] == {"list_news": True}
    assert loops.find_contact(user_id="nobody")["contacts"] == []
    assert [item["id"] for item in loops.list_mailing_lists()["lists"]] == ["list_news"]
    assert loops.create_contact_property("favoriteColor", "string")["success"] is True
    keys = [item["key"] for item in loops.list_contact_properties("custom")["properties"]]
    assert keys == ["favoriteColor"]
    assert loops.delete_contact("ada@example.com")["success"] is True
    assert loops.delete_contact("ada@example.com")["code"] == "contact_not_found"


def test_templates_page_through(loops_sandbox: SandboxHandle, loops: LoopsClient) -> None:
    for n in range(12):
        loops_sandbox.create_template(f"T{n}", template_id=f"t{n:02d}")
    first = loops.list_transactional_emails(per_page=10)
    assert len(first["emails"]) == 10 and first["next_cursor"]
    second = loops.list_transactional_emails(per_page=10, cursor=first["next_cursor"])
    assert len(second["emails"]) == 2 and second["next_cursor"] is None


@pytest.mark.parametrize(
    ("setup", "call", "code", "status", "message"),
    [
        (None, lambda c: c.transactional_email("a@example.com", "missing"), "transactional_not_found", 404, ""),
        ("needs_name", lambda c: c.transactional_email("a@example.com", "t1", {}), "invalid_request", 400, "name"),
    ],
)
def test_unknown_templates_and_missing_variables_are_clear_failures(
    loops_sandbox: SandboxHandle, loops: LoopsClient, setup: str | None, call: Any, code: str, status: int, message: str
) -> None:
    if setup:
        loops_sandbox.create_template("T", ["name"], template_id="t1")
    result = call(loops)
    assert result["success"] is False and result["code"] == code and result["status_code"] == status
    assert message in result["error"]
    assert loops_sandbox.outbox() == []


def test_an_invalid_key_is_reported_and_a_reused_key_is_refused(
    loops_sandbox: SandboxHandle, loops: LoopsClient
) -> None:
    wrong = LoopsClient(api_key="wrong-key-123456", base_url=loops_sandbox.url).test_api_key()
    assert wrong["success"] is False and wrong["valid"] is False and wrong["status_code"] == 401
    loops_sandbox.create_template("T", template_id="t1")
    assert loops.transactional_email("a@example.com", "t1", idempotency_key="order-1")["success"] is True
    again = loops.transactional_email("a@example.com", "t1", idempotency_key="order-1")
    assert again["success"] is False and again["code"] == "idempotency_key_reused"
    assert len(loops_sandbox.outbox()) == 1


def test_attachments_are_sent_when_the_account_allows_them(loops_sandbox: SandboxHandle, loops: LoopsClient) -> None:
    loops_sandbox.create_template("T", template_id="t1")
    attachment = {"filename": "invoice.pdf", "content_type": "application/pdf", "data": b"%PDF-1.4 tiny"}
    refused = loops.transactional_email("a@example.com", "t1", attachments=[attachment])
    assert refused["success"] is False and refused["status_code"] == 400
    loops_sandbox.update_account(attachmentsEnabled=True)
    sent = loops.transactional_email(
        "a@example.com", "t1", attachments=[{**attachment, "data": base64.b64encode(b"%PDF-1.4 tiny").decode()}]
    )
    assert sent["success"] is True
    assert loops_sandbox.outbox()[0]["attachments"] == [
        {"filename": "invoice.pdf", "contentType": "application/pdf", "size": 13}
    ]


def test_a_429_storm_is_waited_out_and_every_send_lands_once(loops_sandbox: SandboxHandle) -> None:
    loops_sandbox.create_template("T", template_id="t1")
    loops_sandbox.set_rate_limit(3, window_seconds=0.2)
    with LoopsClient(
        api_key=loops_sandbox.api_key, base_url=loops_sandbox.url, retry_delay=0.1, max_retries=4
    ) as loops:
        results = [loops.transactional_email(f"u{n}@example.com", "t1") for n in range(8)]
    assert all(result["success"] for result in results)
    assert sorted(sent["email"] for sent in loops_sandbox.outbox()) == sorted(f"u{n}@example.com" for n in range(8))


def test_a_send_whose_answer_is_lost_is_retried_and_e_mails_once(loops_sandbox: SandboxHandle) -> None:
    loops_sandbox.create_template("T", template_id="t1")
    loops_sandbox.inject_fault("drop")  # the connection dies before an answer: the client cannot know what happened
    with LoopsClient(api_key=loops_sandbox.api_key, base_url=loops_sandbox.url, retry_delay=0.01) as loops:
        result = loops.transactional_email("a@example.com", "t1")
    assert result["success"] is True
    [sent] = loops_sandbox.outbox()
    assert sent["idempotencyKey"] == result["idempotency_key"]


@pytest.mark.parametrize(
    ("fault", "options", "code"),
    [
        ("status", {"status": 500}, "server_error"),
        ("html", {}, "server_error"),
        ("malformed", {}, "malformed_response"),
    ],
)
def test_server_failures_are_failure_dicts(
    loops_sandbox: SandboxHandle, fault: str, options: dict[str, Any], code: str
) -> None:
    loops_sandbox.inject_fault(fault, count=3, **options)
    with LoopsClient(api_key=loops_sandbox.api_key, base_url=loops_sandbox.url, retry_delay=0.01) as loops:
        result = loops.test_api_key()
    assert result["success"] is False and result["code"] == code


def test_a_timeout_is_a_failure_dict(loops_sandbox: SandboxHandle) -> None:
    loops_sandbox.inject_fault("delay", delay=1.0)
    with LoopsClient(api_key=loops_sandbox.api_key, base_url=loops_sandbox.url, timeout=0.2, max_retries=0) as loops:
        result = loops.test_api_key()
    assert result["success"] is False and result["code"] == "timeout"


async def test_the_async_client_sends_the_same(loops_sandbox: SandboxHandle) -> None:
    loops_sandbox.create_template("T", ["name"], template_id="t1")
    async with AsyncLoopsClient(api_key=loops_sandbox.api_key, base_url=loops_sandbox.url) as loops:
        sent = await loops.transactional_email("a@example.com", "t1", {"name": "Ada"})
        missing = await loops.transactional_email("a@example.com", "t1")
        team = await loops.test_api_key()
    assert sent["success"] is True and missing["code"] == "invalid_request" and team["valid"] is True
    assert len(loops_sandbox.outbox()) == 1


@pytest.fixture
def loops_settings(loops_sandbox: SandboxHandle, integrations_db: None) -> Any:
    loops_sandbox.set_rate_limit(enabled=False)
    loops_sandbox.create_template("Reset", ["name", "reset_url"], template_id="reset")
    loops_sandbox.create_template("Login", ["name", "login_url"], template_id="login")
    loops_sandbox.create_template("Team", ["name", "team_name", "role"], template_id="team")
    with override_settings(
        DEBUG=False,
        LOOPS_API_KEY=loops_sandbox.api_key,
        LOOPS_BASE_URL=loops_sandbox.url,
        LOOPS_PASSWORD_RESET_ID="reset",
        LOOPS_LOGIN_CODE_ID="login",
        LOOPS_TEAM_MEMBERSHIP_ID="team",
    ):
        yield loops_sandbox


def test_seed_002_shortcuts_run_as_written_against_the_sandbox(loops_settings: SandboxHandle, user: Any) -> None:
    from django.contrib.auth.tokens import default_token_generator
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    from app_integrations.loops.shortcuts import (
        send_login_code_email,
        send_password_reset_email,
        send_team_membership_email,
    )

    token = default_token_generator.make_token(user)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    reset_url = f"https://example.com/reset/{uid}/{token}/"
    send_password_reset_email(user, reset_url)
    send_login_code_email(user, next_url="/dashboard/")
    membership = type(
        "TeamMember", (), {"team": type("Team", (), {"name": "Core"})(), "user": user, "role": "member"}
    )()
    assert send_team_membership_email(membership) is True
    reset, login, team = loops_settings.outbox()
    assert reset["dataVariables"] == {"name": "Ada", "reset_url": reset_url}
    assert team["dataVariables"] == {"name": "Ada", "team_name": "Core", "role": "member"}
    # The e-mailed login link signs the user in once, in a real Django test client session.
    link = login["dataVariables"]["login_url"]
    path = link.removeprefix("http://testserver")
    client = Client()
    assert client.post(path).status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert Client().post(path).status_code == 400


def test_signed_deliveries_of_a_send_reach_the_webhook_view_once_each(
    loops_sandbox: SandboxHandle, loops: LoopsClient, integrations_db: None, django_server: str
) -> None:
    from app_integrations.django.models import WebhookEvent

    endpoint = loops_sandbox.set_webhook(f"{django_server}/integrations/webhooks/loops/")
    loops_sandbox.create_template("T", template_id="t1")
    loops_sandbox.set_recipient_outcome("bounce@example.com", "hardBounced")
    with override_settings(LOOPS_WEBHOOK_SECRET=endpoint["secret"], ALLOWED_HOSTS=["127.0.0.1"]):
        assert loops.transactional_email("a@example.com", "t1")["success"] is True
        assert loops.transactional_email("bounce@example.com", "t1")["success"] is True
        loops_sandbox.webhook_deliveries(wait_for=5)
        repeated = loops_sandbox.send_webhook_event("email.opened", "a@example.com")
        loops_sandbox.webhook_deliveries(wait_for=6)
    kinds = sorted(WebhookEvent.objects.values_list("event_type", flat=True))
    assert kinds == sorted(
        [
            "transactional.email.sent",
            "email.delivered",
            "transactional.email.sent",
            "email.hardBounced",
            "contact.unsubscribed",
            "email.opened",
        ]
    )
    assert WebhookEvent.objects.filter(event_id=repeated["id"]).count() == 1


def test_a_send_that_went_through_but_lost_its_answer_e_mails_once(loops_sandbox: SandboxHandle) -> None:
    """The sandbox sends, then drops the connection; the retry's 409 (same key) proves the first attempt landed."""
    loops_sandbox.create_template("T", template_id="t1")
    loops_sandbox.inject_fault("drop_after")
    with LoopsClient(api_key=loops_sandbox.api_key, base_url=loops_sandbox.url, retry_delay=0.01) as loops:
        result = loops.transactional_email("a@example.com", "t1")
    assert result["success"] is True and result["deduplicated"] is True
    [sent] = loops_sandbox.outbox()
    assert sent["idempotencyKey"] == result["idempotency_key"]
