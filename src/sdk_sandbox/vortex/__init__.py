"""The Vortex sandbox."""

from .app import build_vortex_app
from .credentials import new_api_key

__all__ = ["build_vortex_app", "new_api_key"]
