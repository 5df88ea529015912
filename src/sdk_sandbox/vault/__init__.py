"""The Vault sandbox."""

from .app import build_vault_app, new_api_key

__all__ = ["build_vault_app", "new_api_key"]
