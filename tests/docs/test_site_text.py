"""The documentation's own text names things by what they are and cites nothing outside the repository."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parents[2]
# The site's pages, and README.md, the repository's front page that links into them.
PAGES = [*sorted((REPOSITORY / "docs").rglob("*.md")), REPOSITORY / "README.md"]
# Words a reader cannot know: the internal seed documents, and notes kept outside the repository (a link into the
# site's own reference/ folder is fine).
INTERNAL = re.compile(r"seed 0|seed document|\.\./shared|shared/DESIGN|(?<![(/])reference/[a-z-]+\.md", re.IGNORECASE)
RELATIVE_LINK = re.compile(r"\]\((?!https?://|#)([^)#\s]+)")


@pytest.mark.parametrize("page", PAGES, ids=[str(page.relative_to(REPOSITORY)) for page in PAGES])
def test_the_page_names_nothing_internal(page: Path) -> None:
    found = INTERNAL.findall(page.read_text())
    assert found == [], f"{page.name}: {found}"


@pytest.mark.parametrize("page", PAGES, ids=[str(page.relative_to(REPOSITORY)) for page in PAGES])
def test_relative_links_stay_inside_the_site(page: Path) -> None:
    for target in RELATIVE_LINK.findall(page.read_text()):
        resolved = (page.parent / target).resolve()
        assert resolved.is_relative_to(REPOSITORY / "docs") and resolved.exists(), f"{page.name} links to {target}"
