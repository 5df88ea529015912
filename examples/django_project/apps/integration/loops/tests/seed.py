"""Seed 002's Loops code blocks, verbatim (docs/source/guides/integrations.rst, "Loops Integration")."""

CLIENT = """
from apps.integration.loops.client import LoopsClient

# Initialize with default settings
client = LoopsClient()

# Or with custom settings
client = LoopsClient(
    api_key="your_api_key",
    debug_mode=False  # Set to True to simulate without sending
)
"""

TRANSACTIONAL = """
result = client.transactional_email(
    to_email="user@example.com",
    transactional_id="welcome_email",
    data_variables={
        "user_name": "John Doe",
        "login_url": "https://example.com/login"
    }
)

if result["success"]:
    print("Email sent successfully!")
else:
    print(f"Error: {result.get('error')}")
"""

PASSWORD_RESET = """
from apps.integration.loops.shortcuts import send_password_reset_email

send_password_reset_email(user, reset_url)
"""

PASSWORD_RESET_EXAMPLE = """
from django.contrib.auth.tokens import default_token_generator
from django.utils.http import urlsafe_base64_encode
from django.utils.encoding import force_bytes

# Generate reset token
token = default_token_generator.make_token(user)
uid = urlsafe_base64_encode(force_bytes(user.pk))
reset_url = f"https://example.com/reset/{uid}/{token}/"

# Send email
send_password_reset_email(user, reset_url)
"""

LOGIN_CODE = """
from apps.integration.loops.shortcuts import send_login_code_email

send_login_code_email(user, next_url=None)
"""

LOGIN_CODE_EXAMPLE = """
# Send magic link for authentication
send_login_code_email(user, next_url="/dashboard/")
"""

TEAM_MEMBERSHIP = """
from apps.integration.loops.shortcuts import send_team_membership_email

send_team_membership_email(membership)
"""

TEAM_MEMBERSHIP_EXAMPLE = """
# After creating a team membership
membership = TeamMember.objects.create(
    team=team,
    user=new_user,
    role=Role.MEMBER.value
)

# Send notification
send_team_membership_email(membership)
"""

TEST_API_KEY = """
from apps.integration.loops.client import LoopsClient

client = LoopsClient()
result = client.test_api_key()

if result["success"]:
    print("Loops integration configured correctly!")
"""
