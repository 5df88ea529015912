"""The testing page's Vortex example (docs/testing.md: the sync and strict-mode async Vortex fixtures) runs as
written."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest

TESTING_PAGE = Path(__file__).resolve().parents[2] / "docs" / "testing.md"


def test_the_plugin_fixture_example_runs(vortex_sync_client: Any, vortex_sandbox: Any) -> None:
    section = re.search(r"## Examples(.*?)\n## ", TESTING_PAGE.read_text(encoding="utf-8"), re.S)
    assert section, "docs/testing.md lost its examples"
    blocks = [block for block in re.findall(r"```python\n(.*?)```", section.group(1), re.S) if "vortex_client" in block]
    assert len(blocks) == 1, "docs/testing.md should show one example of the Vortex fixtures"
    namespace: dict[str, Any] = {"pytest": pytest}
    exec(compile(blocks[0], "docs/testing.md", "exec"), namespace)  # noqa: S102  (our own page)
    namespace["test_the_widget_jwt_is_signed"](vortex_sync_client)

    async def with_async_client() -> None:
        from vortex_sdk import Vortex

        async with Vortex(api_key=vortex_sandbox.api_key, base_url=vortex_sandbox.url) as vortex_client:
            await namespace["test_an_invitation_is_found"](vortex_client, vortex_sandbox)

    asyncio.run(with_async_client())
