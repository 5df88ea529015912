"""DeprecationWarnings at the user's own line: the spec's `deprecated: true`, as a facade call hears it.

A generated endpoint's `_get_kwargs` lists what the spec deprecates in `extensions["deprecated"]`; `Call.from_kwargs`
hands each message here. The warning is attributed to the first frame outside the SDK family's packages, so the
warnings registry's default semantics show it once per call site of the user's code, whichever facade method and
how many layers of ours lie between.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterable

# The SDK family's import packages: hand-written facades, the runtime, the generated clients.
FAMILY = frozenset({
    "sdk_runtime", "sdk_sandbox", "vault_auth", "vault_api", "vortex_sdk", "vortex_api",
    "app_integrations", "loops_api", "twilio_api", "stripe_api",
})  # fmt: skip


def _outside_family_level() -> int:
    """The `stacklevel` of the first caller outside the family, counted from `warn_deprecated`'s caller."""
    level, frame = 2, sys._getframe(2)
    while frame.f_back is not None and str(frame.f_globals.get("__name__", "")).split(".")[0] in FAMILY:
        frame, level = frame.f_back, level + 1
    return level


def warn_deprecated(messages: Iterable[str]) -> None:
    """Raise a `DeprecationWarning` per message, attributed to the user's line that led here."""
    level = _outside_family_level()
    for message in messages:
        warnings.warn(message, DeprecationWarning, stacklevel=level)
