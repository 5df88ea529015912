"""Vault Auth SDK (`pip install vault-auth`): users, organizations and sessions of Vault.

    from vault_auth import VaultAuth, VaultAuthError
    vault = VaultAuth(api_key="vault_m2m_...", base_url="https://api.vault.dev")
    user = vault.users.get("user_123")

`VaultAuthError` is exported here as well as from `vault_auth.errors`, so the documented error-handling example runs.
"""

from ._version import __version__
from .client import AsyncVaultAuth, VaultAuth
from .errors import VaultAuthError

__all__ = ["AsyncVaultAuth", "VaultAuth", "VaultAuthError", "__version__"]
