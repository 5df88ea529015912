"""The Vault sandbox's test handle: mint access tokens for its users."""

from __future__ import annotations

from typing import Any

from ..handle import SandboxHandle


class VaultHandle(SandboxHandle):
    """The Vault sandbox's test handle: mint access tokens for its users."""

    def mint_token(self, user_id: str, **options: Any) -> str:
        """A signed access token for an existing user (`org_id`, `alg`, `kid`, `expires_in`, `claims`)."""
        result: str = self.control("POST", "/sandbox/tokens", {"user_id": user_id, **options})["token"]
        return result
