"""What ships names things by what they are: no seed document numbers, and no notes outside the repository.

"Shipping" is everything a wheel or the documentation site carries: the packages' sources (docstrings are what
`help()` and the API reference show), the generated clients, the API documents the sandbox serves, each
distribution's PyPI page and metadata, and the docs pages.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = [
    *sorted((ROOT / "src").rglob("*")),
    *sorted((ROOT / "generated").rglob("*")),
    *sorted((ROOT / "openapi").glob("*.yaml")),
    *sorted((ROOT / "packaging").glob("*/README.md")),
    *sorted((ROOT / "packaging").glob("*/pyproject.toml")),
    *sorted((ROOT / "docs").rglob("*.md")),
]
TEXT_SUFFIXES = {".py", ".yaml", ".yml", ".md", ".toml", ".html", ".txt", ".jinja", ".json"}
SEED_NUMBER = re.compile(r"\bseed[ -]?0\d\d\b", re.IGNORECASE)
OUTSIDE_NOTE = re.compile(r"(?<![\w/.])reference/[\w-]+\.md\b|shared/(seeds|reference|DESIGN)")


def _shipped_text_files() -> list[Path]:
    return [
        path for path in SHIPPED if path.is_file() and path.suffix in TEXT_SUFFIXES and "__pycache__" not in path.parts
    ]


def test_the_shipped_files_are_found() -> None:
    names = {path.name for path in _shipped_text_files()}
    assert {"__init__.py", "vault.yaml", "README.md", "pyproject.toml", "index.md"} <= names


@pytest.mark.parametrize("pattern", [SEED_NUMBER, OUTSIDE_NOTE], ids=["seed numbers", "notes outside the repo"])
def test_no_shipped_file_names_what_users_cannot_see(pattern: re.Pattern[str]) -> None:
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}"
        for path in _shipped_text_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if any(not (path.parent / hit.group(0)).exists() for hit in pattern.finditer(line))  # docs' own pages pass
    ]
    assert found == []
