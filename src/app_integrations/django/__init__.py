"""The Django app of the integrations: add `"app_integrations.django"` to `INSTALLED_APPS`.

It brings the models the services need (webhook events, login links, and each service's records), their
migrations, admin pages, system checks that warn about unconfigured services, signals for received webhooks, and
URLs to include: `path("integrations/", include("app_integrations.django.urls"))`.
"""
