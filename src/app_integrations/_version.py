"""Version of the app-integrations distribution (static, so importing it costs nothing)."""

__version__ = "0.2.0"
