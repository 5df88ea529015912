"""Seed 002's Loops shortcut blocks, as written, against the Loops sandbox; the e-mailed login link signs in."""

from typing import Any

import pytest
from django.test import Client, override_settings

from apps.common.models import Role, Team

from . import seed
from .test_client import run


@pytest.fixture
def loops_settings(loops_sandbox: Any) -> Any:
    """The project pointed at the Loops sandbox with the three templates the seed asks for."""
    loops_sandbox.set_rate_limit(enabled=False)
    loops_sandbox.create_template("Password reset", ["reset_url"], template_id="__loops_email_id__")
    loops_sandbox.create_template("Login", ["login_url"], template_id="__loops_login_code_id__")
    loops_sandbox.create_template("Team", ["team_name", "role"], template_id="__loops_team_membership_id__")
    with override_settings(
        LOOPS_API_KEY=loops_sandbox.api_key, LOOPS_BASE_URL=loops_sandbox.url, SITE_URL="http://testserver"
    ):
        yield loops_sandbox


def test_password_reset_blocks(loops_settings: Any, user: Any) -> None:
    namespace: dict[str, Any] = {"user": user, "reset_url": "https://example.com/reset/x/"}
    run(seed.PASSWORD_RESET, namespace)
    run(seed.PASSWORD_RESET_EXAMPLE, namespace)
    first, second = loops_settings.outbox()
    assert first["dataVariables"]["reset_url"] == "https://example.com/reset/x/"
    assert second["dataVariables"]["reset_url"] == namespace["reset_url"]
    assert second["email"] == "ada@example.com"


def test_login_code_blocks_and_the_link_signs_in_once(loops_settings: Any, user: Any) -> None:
    namespace: dict[str, Any] = {"user": user}
    run(seed.LOGIN_CODE, namespace)
    run(seed.LOGIN_CODE_EXAMPLE, namespace)
    first, second = loops_settings.outbox()
    assert "next=" not in first["dataVariables"]["login_url"]  # next_url=None
    link = second["dataVariables"]["login_url"]
    assert link.startswith("http://testserver/integrations/login/") and "next=%2Fdashboard%2F" in link
    path = link.removeprefix("http://testserver")
    browser = Client()
    assert browser.get(path).status_code == 200  # the confirmation page
    signed_in = browser.post(path)
    assert signed_in.status_code == 302 and signed_in["Location"] == "/dashboard/"
    assert browser.session["_auth_user_id"] == str(user.pk)
    assert Client().post(path).status_code == 400  # used once


def test_team_membership_blocks(loops_settings: Any, user: Any) -> None:
    from apps.common.models import TeamMember, User

    team = Team.objects.create(name="Core")
    new_user = User.objects.create(username="grace", email="grace@example.com")
    namespace: dict[str, Any] = {"team": team, "new_user": new_user, "TeamMember": TeamMember, "Role": Role}
    namespace["membership"] = TeamMember.objects.create(team=team, user=user, role=Role.ADMIN.value)
    run(seed.TEAM_MEMBERSHIP, namespace)
    run(seed.TEAM_MEMBERSHIP_EXAMPLE, namespace)
    first, second = loops_settings.outbox()
    assert first["dataVariables"] == {"name": "Ada Lovelace", "team_name": "Core", "role": "admin"}
    assert second["email"] == "grace@example.com" and second["dataVariables"]["role"] == "member"
