"""Schemathesis hooks for the contract runs (loaded through `hooks` in schemathesis.toml)."""

from __future__ import annotations

import re
import uuid
from typing import Any

import schemathesis

_VALID_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")


@schemathesis.hook
def map_headers(context: Any, headers: dict[str, Any] | None) -> dict[str, Any] | None:
    """Make every schema-valid generated Idempotency-Key unique to its test case.

    A key names one logical request; the fuzzer reuses short keys ("0") across unrelated requests, and the sandbox
    then rightly replays the first answer (or refuses a different body with 422; Loops answers 409), which the
    checks read as a lost resource or a rejected valid request. Rewriting at generation time keeps the key stable
    across the replays a check makes. Invalid keys are left alone, so their rejection is still tested; key reuse
    itself is covered by tests/sandbox/test_vault_sandbox.py and test_loops_sandbox.py.
    """
    if not headers:
        return headers
    for name, key in list(headers.items()):
        if name.lower() == "idempotency-key" and isinstance(key, str) and _VALID_KEY.match(key):
            # Keep the key on the same side of each document's length limit (Loops: 100, Vault: 255).
            prefix = key[:67] if len(key) <= 100 else key[:200]
            headers[name] = f"{prefix}-{uuid.uuid4().hex}"
    return headers
