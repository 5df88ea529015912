"""Vault Auth SDK (`pip install vault-auth`).

Today this distribution ships the generated low-level client `vault_api` (built from `openapi/vault.yaml`) on the
shared runtime `sdk_runtime`; the `VaultAuth` / `AsyncVaultAuth` facade of seed 001 is tracked as its own issue.
"""

from ._version import __version__

__all__ = ["__version__"]
