"""Seed 002's `apps.integration`: one package per service, each re-exporting `app_integrations.<service>`."""
