"""Version of the vault-auth distribution (static, so importing it costs nothing)."""

__version__ = "1.1.0"
