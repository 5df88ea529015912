"""Seed 002's shortcuts, which need Django (users, models, settings, URLs): one module per service.

`loops`, `stripe`, `twilio` and `uploads` (S3 direct uploads). Seed 002's import paths,
`app_integrations.<service>.shortcuts`, re-export them, so code written from the seed runs unchanged.
"""
