"""Framework integrations of `vault_auth`: `vault_auth.middleware.flask`, `.django` (with DRF) and `.fastapi`.

Importing this package loads no framework; each submodule imports only its own. What they share (header parsing,
excluded paths, the status matrix, role checks, the verified-token cache) lives in `core`.
"""
