"""Loops (transactional e-mail): `LoopsClient` / `AsyncLoopsClient`, webhook verification and the guide's shortcuts.

    from app_integrations.loops import LoopsClient

    result = LoopsClient().transactional_email("user@example.com", "welcome_email", {"user_name": "Ada"})
    if not result["success"]:
        print(result["error"], result["code"])

`app_integrations.loops.shortcuts` needs Django; this package itself does not.
"""

from .client import AsyncLoopsClient, LoopsClient

__all__ = ["AsyncLoopsClient", "LoopsClient"]
