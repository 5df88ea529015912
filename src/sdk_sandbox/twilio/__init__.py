"""The Twilio sandbox (Messages with their delivery life cycle and signed status callbacks; Lookups)."""

from .app import build_twilio_app

__all__ = ["build_twilio_app"]
