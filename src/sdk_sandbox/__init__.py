"""Local sandbox servers implementing the Vault, Vortex, Loops, Stripe and Twilio OpenAPI documents, for offline
use and tests.

`python -m sdk_sandbox serve` starts them and their dashboard; `sdk_sandbox.vault.build_vault_app()` (and
`build_vortex_app`, `build_loops_app`, `build_stripe_app`, `build_twilio_app`, each in its own subpackage) returns a
sandbox's ASGI app for embedding; the pytest plugin (`sdk_sandbox.pytest_plugin`) starts each one once per test
session on a free loopback port.
"""

from ._version import __version__

__all__ = ["__version__"]
