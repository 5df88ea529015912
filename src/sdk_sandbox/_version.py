"""Version of the sdk-sandbox distribution."""

__version__ = "0.2.0"
