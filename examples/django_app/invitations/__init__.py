"""The invitations app of the Django example: the `GroupMembership` model and the seed's views."""
