"""`from apps.integration.loops.client import LoopsClient`: the project's Loops client.

Settings come from `settings/third_party.py` (`LOOPS_API_KEY`, `LOOPS_BASE_URL`, ...); see `README.md` here.
"""

from app_integrations.loops import AsyncLoopsClient, LoopsClient

__all__ = ["AsyncLoopsClient", "LoopsClient"]
