"""Seed 002's import path for the loops shortcuts, which need Django: they live in
`app_integrations.django.shortcuts.loops` (what needs Django lives under the Django part of the package).
"""

from ..django.shortcuts.loops import (
    LOGIN_CODE_SETTING,
    PASSWORD_RESET_SETTING,
    TEAM_MEMBERSHIP_SETTING,
    send_login_code_email,
    send_password_reset_email,
    send_team_membership_email,
)

__all__ = [
    "LOGIN_CODE_SETTING",
    "PASSWORD_RESET_SETTING",
    "TEAM_MEMBERSHIP_SETTING",
    "send_login_code_email",
    "send_password_reset_email",
    "send_team_membership_email",
]
