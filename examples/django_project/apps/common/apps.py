"""App config of `apps.common`."""

from django.apps import AppConfig


class CommonConfig(AppConfig):
    """The project's shared models (label `common`, so `AUTH_USER_MODEL = "common.User"`)."""

    name = "apps.common"
    label = "common"
    default_auto_field = "django.db.models.BigAutoField"
