"""The README's second testing-kit example (the sync and strict-mode async Vortex fixtures) runs as written."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Any

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_plugin_fixture_example_runs(vortex_sync_client: Any, vortex_sandbox: Any) -> None:
    section = re.search(r"### Testing kit(.*?)\n### ", README.read_text(encoding="utf-8"), re.S)
    assert section, "README lost its testing-kit section"
    blocks = re.findall(r"```python\n(.*?)```", section.group(1), re.S)
    assert len(blocks) == 2, "README's testing kit should show two examples"
    namespace: dict[str, Any] = {"pytest": pytest}
    exec(compile(blocks[1], "README.md", "exec"), namespace)  # noqa: S102  (our own README)
    namespace["test_create_jwt"](vortex_sync_client)

    async def with_async_client() -> None:
        from vortex_sdk import Vortex

        async with Vortex(api_key=vortex_sandbox.api_key, base_url=vortex_sandbox.url) as vortex_client:
            await namespace["test_lookup"](vortex_client, vortex_sandbox)

    asyncio.run(with_async_client())
