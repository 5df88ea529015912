"""The guide's isolated integrations, one folder per service; each binds `app_integrations` to this project."""
