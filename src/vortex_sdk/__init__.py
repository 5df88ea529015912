"""Vortex SDK (`pip install vortex-python-sdk`).

Today this distribution ships the generated low-level client `vortex_api` (built from `openapi/vortex.yaml`) on
the shared runtime `sdk_runtime`; the `Vortex` facade of seed 000 is tracked as its own issue.
"""

from ._version import __version__

__all__ = ["__version__"]
