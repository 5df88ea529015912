"""Every Python block of the guide (`integrations.rst`, seed 002) is claimed by a test that runs it."""

import ast
import hashlib

from guide import GUIDE, blocks

HARNESS = GUIDE.parent
SEED_002_SHA256 = "bdf304bf73812410ac935b9033e503e62c1d28723b7aad0c56bca6d4e936c30b"


def claimed_blocks() -> dict[int, list[str]]:
    """Block number -> the tests whose `@pytest.mark.guide(...)` claims it (read from the test files' source); each
    such test takes the `guide` fixture, which fails it when a claimed block did not run."""
    claims: dict[int, list[str]] = {}
    for path in sorted(HARNESS.glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for decorator in node.decorator_list:
                if (
                    isinstance(decorator, ast.Call)
                    and isinstance(decorator.func, ast.Attribute)
                    and decorator.func.attr == "guide"
                ):
                    arguments = [a.arg for a in node.args.args]
                    assert "guide" in arguments, f"{path.name}::{node.name} claims blocks without the guide fixture"
                    for arg in decorator.args:
                        claims.setdefault(ast.literal_eval(arg), []).append(f"{path.name}::{node.name}")
    return claims


def test_the_guide_is_seed_002_with_its_76_python_blocks() -> None:
    assert hashlib.sha256(GUIDE.read_bytes()).hexdigest() == SEED_002_SHA256  # unchanged, so "as written" holds
    found = blocks()
    assert len(found) == 76 and list(found) == list(range(1, 77))
    assert found[1].section == "Configuration" and found[1].code.startswith("# settings/third_party.py")
    assert found[76].code.startswith("# settings/staging.py")
    assert all(block.code.strip() for block in found.values())


def test_every_block_is_run_by_a_test() -> None:
    claims = claimed_blocks()
    unclaimed = sorted(set(blocks()) - set(claims))
    assert not unclaimed, f"guide blocks no test runs: {unclaimed}"
    assert set(claims) <= set(blocks()), f"tests claim blocks the guide lacks: {sorted(set(claims) - set(blocks()))}"
