"""URLs of the integrations: `path("integrations/", include("app_integrations.django.urls"))`."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from .login_views import login_link
from .loops_webhook import loops_webhook
from .stripe_webhook import stripe_webhook
from .twilio_views import twilio_status_callback

app_name = "app_integrations"

urlpatterns: list[URLPattern | URLResolver] = [
    path("login/<str:token>/", login_link, name="login_link"),
    path("webhooks/loops/", loops_webhook, name="loops_webhook"),
    path("webhooks/twilio/", twilio_status_callback, name="twilio_status_callback"),
    path("webhooks/stripe/", stripe_webhook, name="stripe_webhook"),
]
