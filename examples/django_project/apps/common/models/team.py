"""Teams and their members; the integrations guide's "membership" is a `TeamMember`."""

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    """A member's role in a team (`Role.MEMBER.value` is `"member"`)."""

    OWNER = "owner", "Owner"
    ADMIN = "admin", "Admin"
    MEMBER = "member", "Member"


class Team(models.Model):
    """A team of users."""

    name = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "common"

    def __str__(self) -> str:
        return self.name


class TeamMember(models.Model):
    """One user's membership of one team, with a role."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        app_label = "common"
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="unique_team_member")]

    def __str__(self) -> str:
        return f"{self.user} in {self.team} ({self.role})"
