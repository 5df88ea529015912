"""The guide's Loops shortcut blocks (4-9), as written, against the Loops sandbox; the e-mailed login link signs in."""

from typing import Any

import pytest
from apps.common.models import Role, Team
from django.test import Client, override_settings
from guide import GuideRunner


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


@pytest.mark.guide(4, 5)
def test_password_reset_blocks(guide: GuideRunner, loops_settings: Any, user: Any) -> None:
    guide.run(4, user=user, reset_url="https://example.com/reset/x/")
    guide.run(5)
    namespace = guide.namespace
    first, second = loops_settings.outbox()
    assert first["dataVariables"]["reset_url"] == "https://example.com/reset/x/"
    assert second["dataVariables"]["reset_url"] == namespace["reset_url"]
    assert second["email"] == "ada@example.com"


@pytest.mark.guide(6, 7)
def test_login_code_blocks_and_the_link_signs_in_once(guide: GuideRunner, loops_settings: Any, user: Any) -> None:
    guide.run(6, user=user)
    guide.run(7)
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


@pytest.mark.guide(8, 9)
def test_team_membership_blocks(guide: GuideRunner, loops_settings: Any, user: Any) -> None:
    from apps.common.models import TeamMember, User

    team = Team.objects.create(name="Core")
    new_user = User.objects.create(username="grace", email="grace@example.com")
    admin = TeamMember.objects.create(team=team, user=user, role=Role.ADMIN.value)
    guide.run(8, membership=admin)
    guide.run(9, team=team, new_user=new_user, TeamMember=TeamMember, Role=Role)
    first, second = loops_settings.outbox()
    assert first["dataVariables"] == {"name": "Ada Lovelace", "team_name": "Core", "role": "admin"}
    assert second["email"] == "grace@example.com" and second["dataVariables"]["role"] == "member"
