"""The example apps' settings, from the environment (the seed's `VORTEX_API_KEY`, plus Vault and the database)."""

from __future__ import annotations

import os

import attrs


@attrs.frozen
class Settings:
    """Where the example app finds Vault, Vortex and its database."""

    vault_api_key: str = attrs.field(repr=False)
    vault_base_url: str
    vortex_api_key: str = attrs.field(repr=False)
    vortex_base_url: str
    database_url: str = "sqlite:///./invitations.db"

    @classmethod
    def from_env(cls) -> Settings:
        """`VAULT_API_KEY`, `VAULT_BASE_URL`, `VORTEX_API_KEY`, `VORTEX_BASE_URL`, `DATABASE_URL`."""
        missing = [name for name in ("VAULT_API_KEY", "VORTEX_API_KEY") if not os.environ.get(name)]
        if missing:
            raise ValueError(f"set {' and '.join(missing)} (see README: `make sandbox` prints them)")
        return cls(
            vault_api_key=os.environ["VAULT_API_KEY"],
            vault_base_url=os.environ.get("VAULT_BASE_URL", "https://api.vault.dev"),
            vortex_api_key=os.environ["VORTEX_API_KEY"],
            vortex_base_url=os.environ.get("VORTEX_BASE_URL", "https://api.vortexsoftware.com/api/v1"),
            database_url=os.environ.get("DATABASE_URL", "sqlite:///./invitations.db"),
        )
