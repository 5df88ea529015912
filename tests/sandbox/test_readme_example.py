"""The README's testing-kit example runs as written, with the plugin's own fixtures."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_testing_kit_example_runs(vault_sandbox: Any, vault_http: Any) -> None:
    match = re.search(r"### Testing kit.*?```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)
    assert match, "README lost its testing-kit example"
    namespace: dict[str, Any] = {}
    exec(compile(match.group(1), "README.md", "exec"), namespace)  # noqa: S102  (our own README)
    tests = [value for name, value in namespace.items() if name.startswith("test_")]
    assert len(tests) == 1
    tests[0](vault_sandbox, vault_http)
