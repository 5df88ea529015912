"""Every Python example of the documentation (docs/, README.md, and each distribution's README) runs, as written
and in page order, against the sandboxes.

Sybil (the same parser the docs' own `invisible-code-block` comments are written for) reads each page's ```python
blocks; one test per page evaluates them in one namespace, as a reader's script would run top to bottom. The
pytest plugin's sandboxes (all five, emptied before each page) stand in for the real services: the environment
variables a user would set (`VAULT_API_KEY`, `VAULT_BASE_URL`, `LOOPS_API_KEY`, ...), and the Django settings of the
same names, point the clients at them; Django is configured with the suite's settings. A block that defines
`test_*` functions is a test module shown on the testing page: each function is called with the plugin's fixtures
it names, as pytest would.
"""

from __future__ import annotations

import asyncio
import inspect
import re
from pathlib import Path
from typing import Any

import pytest
from sybil import Sybil
from sybil.parsers.markdown import PythonCodeBlockParser

REPOSITORY = Path(__file__).resolve().parents[2]
DOCS = REPOSITORY / "docs"
SANDBOXES = ("vault", "vortex", "loops", "twilio", "stripe")
PYTHON_BLOCK = re.compile(r"^```python\b", re.MULTILINE)
HIDDEN_BLOCK = re.compile(r"^<!-- invisible-code-block: python$", re.MULTILINE)
# The site's pages, the repository's README (its front page) and each distribution's README (its page on the
# package index).
MARKDOWN = [*sorted(DOCS.rglob("*.md")), REPOSITORY / "README.md", *sorted(REPOSITORY.glob("packaging/*/README.md"))]
PAGES = [page for page in MARKDOWN if PYTHON_BLOCK.search(page.read_text()) or HIDDEN_BLOCK.search(page.read_text())]


def environment_for(sandboxes: dict[str, Any]) -> dict[str, str]:
    """The variables a user sets to point each client at its service, here at the sandboxes."""
    vault, vortex, loops, twilio, stripe = (sandboxes[name] for name in SANDBOXES)
    return {
        "VAULT_API_KEY": vault.api_key,
        "VAULT_BASE_URL": vault.url,
        "VORTEX_API_KEY": vortex.api_key,
        "VORTEX_BASE_URL": vortex.url,
        "LOOPS_API_KEY": loops.api_key,
        "LOOPS_BASE_URL": loops.url,
        "STRIPE_API_KEY": stripe.api_key,
        "STRIPE_BASE_URL": stripe.url,
        "TWILIO_ENABLED": "true",
        "TWILIO_ACCOUNT_SID": twilio.account_sid,
        "TWILIO_AUTH_TOKEN": twilio.auth_token,
        "TWILIO_PHONE_NUMBER": "+15005550006",
        "TWILIO_BASE_URL": twilio.url,
        "TWILIO_LOOKUPS_BASE_URL": twilio.url,
    }


def run_defined_tests(
    namespace: dict[str, Any], seen: set[str], request: pytest.FixtureRequest, sandboxes: dict[str, Any]
) -> None:
    """Call each `test_*` function a block just defined with the fixtures its parameters name, each on emptied
    sandboxes, as pytest runs a test module."""
    for name, value in list(namespace.items()):
        if not name.startswith("test_") or name in seen or not inspect.isfunction(value):
            continue
        seen.add(name)
        for handle in sandboxes.values():
            handle.reset()
        arguments = {param: request.getfixturevalue(param) for param in inspect.signature(value).parameters}
        outcome = value(**arguments)
        if inspect.iscoroutine(outcome):
            asyncio.run(outcome)


def test_the_pages_with_examples_are_found() -> None:
    """The glob finds the pages (a moved docs/ folder would otherwise make this module test nothing)."""
    assert len(PAGES) >= 13, PAGES


@pytest.mark.parametrize("page", PAGES, ids=[str(page.relative_to(REPOSITORY)) for page in PAGES])
def test_the_examples_of_a_page_run(
    page: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, django_db: Path
) -> None:
    sandboxes = {name: request.getfixturevalue(f"{name}_sandbox") for name in SANDBOXES}
    sandboxes["loops"].set_rate_limit(enabled=False)
    environment = environment_for(sandboxes)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    # Django settings come before the environment, and the suite's settings read theirs at import: set both, as a
    # project whose settings.py reads its environment has them.
    from django.test import override_settings

    settings = override_settings(**environment)
    settings.enable()
    request.addfinalizer(settings.disable)
    document = Sybil(parsers=[PythonCodeBlockParser()]).parse(page)
    document.namespace.update({f"{name}_sandbox": handle for name, handle in sandboxes.items()})
    seen: set[str] = set()
    ran = 0
    for example in document:
        try:
            example.evaluate()
        except Exception as error:
            raise AssertionError(f"{page.relative_to(REPOSITORY)}, line {example.line}: the example fails") from error
        run_defined_tests(document.namespace, seen, request, sandboxes)
        ran += 1
    text = page.read_text()
    assert ran == len(PYTHON_BLOCK.findall(text)) + len(HIDDEN_BLOCK.findall(text)), "a Python block was not run"
