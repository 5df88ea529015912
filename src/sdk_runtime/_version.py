"""Version of the shared runtime (static, so importing it costs nothing)."""

__version__ = "0.1.1"
