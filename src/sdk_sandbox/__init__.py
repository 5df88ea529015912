"""Local sandbox servers implementing the Vault, Vortex and Loops OpenAPI documents, for offline use and tests.

`python -m sdk_sandbox serve` starts them; `build_vault_app()` returns the Vault ASGI app for embedding; the
pytest plugin (`sdk_sandbox.pytest_plugin`) starts one per test session on a free loopback port.
"""

from ._version import __version__

__all__ = ["__version__"]
