"""Version of the vortex-python-sdk distribution (static, so importing it costs nothing)."""

__version__ = "0.20.1"
