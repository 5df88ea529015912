"""tests.vault_auth: test package."""
