"""The seed's Django `GroupMembership` model."""

from django.db import models


class GroupMembership(models.Model):
    """A user's membership of one of the application's groups, granted by accepting an invitation."""

    user_id = models.CharField(max_length=255)
    group_type = models.CharField(max_length=100)
    group_id = models.CharField(max_length=255)
    role = models.CharField(max_length=50, default="member")
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "group_memberships"
        unique_together = [["user_id", "group_type", "group_id"]]
        indexes = [models.Index(fields=["group_type", "group_id"]), models.Index(fields=["user_id"])]

    def as_dict(self) -> dict[str, str]:
        """The membership as JSON."""
        return {"userId": self.user_id, "groupType": self.group_type, "groupId": self.group_id, "role": self.role}
