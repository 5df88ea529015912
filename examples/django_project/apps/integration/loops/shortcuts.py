"""`from apps.integration.loops.shortcuts import send_password_reset_email, ...`: the guide's Loops shortcuts."""

from app_integrations.loops.shortcuts import (
    send_login_code_email,
    send_password_reset_email,
    send_team_membership_email,
)

__all__ = ["send_login_code_email", "send_password_reset_email", "send_team_membership_email"]
