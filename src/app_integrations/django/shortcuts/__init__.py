"""The integrations guide's shortcuts, which need Django (users, models, settings, URLs): one module per service.

`loops`, `stripe`, `twilio` and `uploads` (S3 direct uploads). The integrations guide's import paths,
`app_integrations.<service>.shortcuts`, re-export them, so code written from the guide runs unchanged.
"""
