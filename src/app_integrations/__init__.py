"""The Django integrations: Loops, Stripe, Twilio, S3 and Redis for Django projects.

Each service lives in its own subpackage (`app_integrations.loops`, `.stripe`, `.twilio`, `.aws`, `.cache`) and
none is imported here, so an app pays only for the services it uses. Every client method and shortcut returns a
result dict with `success` (see `app_integrations.results`); the Django app is `app_integrations.django`.
"""

from ._version import __version__

__all__ = ["__version__"]
