"""The Vortex sandbox's test handle: add invitations as test data."""

from __future__ import annotations

from typing import Any

from ..handle import SandboxHandle


class VortexHandle(SandboxHandle):
    """The Vortex sandbox's test handle: add invitations as test data."""

    def create_invitation(self, target_type: str, target_value: str, **fields: Any) -> dict[str, Any]:
        """An invitation for a target (`groups=[{"type", "groupId", "name"}]`, `status`, ...)."""
        body = {"target": {"type": target_type, "value": target_value}, **fields}
        invitation: dict[str, Any] = self.control("POST", "/sandbox/invitations", body)
        return invitation
