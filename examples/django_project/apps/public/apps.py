"""App config of `apps.public`."""

from django.apps import AppConfig


class PublicConfig(AppConfig):
    """The project's pages."""

    name = "apps.public"
    label = "public"
