"""App config of the Django example's invitations app."""

from django.apps import AppConfig


class InvitationsConfig(AppConfig):
    """The invitations app."""

    name = "django_app.invitations"
    label = "invitations"
    default_auto_field = "django.db.models.BigAutoField"
