"""The integrations guide's Loops shortcuts for a Django app: password reset, login link and team membership e-mails.

Template IDs come from settings: `LOOPS_PASSWORD_RESET_ID`, `LOOPS_LOGIN_CODE_ID`, `LOOPS_TEAM_MEMBERSHIP_ID`.
Errors are logged, never raised. `send_password_reset_email` and `send_login_code_email` return the client's
result dict (code written from the guide ignores it); `send_team_membership_email` returns a bool, as the guide
documents (a failure dict would be truthy).
"""

from __future__ import annotations

import logging
from typing import Any

from ...loops.client import LoopsClient
from ...loops.types import SendResult
from ...results import INVALID_ARGUMENT, NOT_CONFIGURED, InvalidArgument, failure, log_failure
from ...settings import text
from ...shared_clients import shared

logger: logging.Logger = logging.getLogger("app_integrations.loops")
PASSWORD_RESET_SETTING = "LOOPS_PASSWORD_RESET_ID"  # noqa: S105  (a setting name)
LOGIN_CODE_SETTING = "LOOPS_LOGIN_CODE_ID"
TEAM_MEMBERSHIP_SETTING = "LOOPS_TEAM_MEMBERSHIP_ID"


def _display_name(user: Any) -> str:
    full = getattr(user, "get_full_name", None)
    name = full() if callable(full) else ""
    return str(name or getattr(user, "first_name", "") or getattr(user, "username", "") or user.email)


def _send(operation: str, template_setting: str, to_email: Any, variables: dict[str, Any]) -> SendResult:
    template = text(template_setting)
    if not template:
        result = failure(f"set {template_setting} to the Loops transactional ID of this e-mail", NOT_CONFIGURED)
        log_failure(logger, "Loops", operation, result)
        return result  # type: ignore[return-value]
    return shared(LoopsClient).transactional_email(to_email, template, variables)


def send_password_reset_email(user: Any, reset_url: str) -> SendResult:
    """E-mail `user` the link `reset_url` to reset their password."""
    return _send(
        "send_password_reset_email",
        PASSWORD_RESET_SETTING,
        getattr(user, "email", None),
        {"name": _display_name(user), "reset_url": reset_url},
    )


def send_login_code_email(user: Any, next_url: str | None = None) -> SendResult:
    """E-mail `user` a one-time login link (see `app_integrations.django.login_links`), then `next_url`."""
    from ..login_links import issue  # Django models: imported when used, not when Loops is

    try:
        login_url = issue(user, next_url)
    except InvalidArgument as exc:
        result = failure(exc.message, exc.code)
        log_failure(logger, "Loops", "send_login_code_email", result)
        return result  # type: ignore[return-value]
    return _send(
        "send_login_code_email",
        LOGIN_CODE_SETTING,
        getattr(user, "email", None),
        {"name": _display_name(user), "login_url": login_url},
    )


def send_team_membership_email(membership: Any) -> bool:
    """E-mail the member of `membership` (anything with `.team`, `.user` and `.role`) that they joined the team."""
    team = getattr(membership, "team", None)
    user = getattr(membership, "user", None)
    if team is None or user is None:
        log_failure(
            logger,
            "Loops",
            "send_team_membership_email",
            failure("membership needs .team and .user", INVALID_ARGUMENT),
        )
        return False
    role = getattr(membership, "role", "")
    variables = {
        "name": _display_name(user),
        "team_name": str(getattr(team, "name", team)),
        "role": str(getattr(role, "value", role) or ""),
    }
    return bool(
        _send("send_team_membership_email", TEAM_MEMBERSHIP_SETTING, getattr(user, "email", None), variables)["success"]
    )
