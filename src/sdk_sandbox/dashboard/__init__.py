"""The sandbox dashboard: one local web page showing what every running sandbox holds, refreshed by itself.

`Dashboard({name: (app, base_url)})` is an ASGI app; serve it on loopback next to the sandboxes (`make sandbox` and
`python -m sdk_sandbox serve` do). Each sandbox shows the `Panel` its `ApiDefinition.dashboard` builds and offers
the buttons its `ApiDefinition.actions` run (see `sdk_sandbox.panel`).
"""

from .app import Dashboard, Sandboxes, UnknownAction

__all__ = ["Dashboard", "Sandboxes", "UnknownAction"]
