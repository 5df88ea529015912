"""The Loops sandbox (openapi/loops.yaml): transactional e-mail into an outbox, contacts, events, signed webhooks."""

from .app import build_loops_app, new_api_key

__all__ = ["build_loops_app", "new_api_key"]
