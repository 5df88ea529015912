"""Each distribution's page on the package index: its README says what it is, how to install it (with its extras),
a quick start (run by test_docs_examples.py); the project URLs and README links the artifacts get from the project's
home (packaging/home.toml, see release.home) lead to real pages of docs/; nothing names the project's internal seed
documents."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
from release.home import DOCUMENTATION_PAGES, ProjectHome

REPOSITORY = Path(__file__).resolve().parents[2]
DISTRIBUTIONS = sorted(
    path.name for path in (REPOSITORY / "packaging").iterdir() if (path / "pyproject.toml").is_file()
)
LINK = re.compile(r"\]\((https?://[^)\s]+)\)")
HOME = ProjectHome(source="https://example.org/sdks", documentation="https://docs.example.org/sdks/")
"""A home as `packaging/home.toml` would declare one (it declares none yet): what the artifacts would then carry."""


def metadata(distribution: str) -> dict[str, object]:
    project: dict[str, object] = tomllib.loads(
        (REPOSITORY / "packaging" / distribution / "pyproject.toml").read_text()
    )["project"]
    return project


def docs_base() -> str:
    """Every distribution's Homepage is the documentation site's root."""
    homepages = {HOME.project_urls(name)["Homepage"] for name in DISTRIBUTIONS}
    assert homepages == {HOME.documentation}, homepages
    return str(homepages.pop())


def test_every_distribution_is_checked() -> None:
    assert DISTRIBUTIONS == ["app-integrations", "sdk-runtime", "sdk-sandbox", "vault-auth", "vortex-python-sdk"]


@pytest.mark.parametrize("distribution", DISTRIBUTIONS)
def test_the_readme_installs_starts_and_links(distribution: str) -> None:
    project = metadata(distribution)
    readme = (REPOSITORY / "packaging" / distribution / str(project["readme"])).read_text()
    assert f"pip install {distribution}" in readme or f'pip install "{distribution}[' in readme
    for extra in project.get("optional-dependencies", {}):  # type: ignore[attr-defined]
        assert re.search(rf"\[[a-z0-9,]*\b{extra}\b", readme), f"the {extra} extra is not shown"
    assert "## Quick start" in readme and DOCUMENTATION_PAGES[distribution]  # its Links section, added from the home
    assert "project README" not in readme


@pytest.mark.parametrize("distribution", DISTRIBUTIONS)
def test_links_into_the_documentation_name_real_pages(distribution: str) -> None:
    base = docs_base()
    links = HOME.readme_links(distribution)
    urls = HOME.project_urls(distribution)
    assert {"Homepage", "Documentation", "Source", "Issues", "Changelog"} <= set(urls)
    assert urls["Changelog"].endswith(f"/packaging/{distribution}/CHANGELOG.md")
    assert (REPOSITORY / "packaging" / distribution / "CHANGELOG.md").is_file()
    into_docs = [url for url in [*LINK.findall(links), *urls.values()] if url.startswith(base)]
    assert into_docs
    for url in into_docs:
        page = url.removeprefix(base).strip("/") or "index"
        assert (REPOSITORY / "docs" / f"{page}.md").is_file(), f"{url} names no page of docs/"


@pytest.mark.parametrize("distribution", DISTRIBUTIONS)
def test_nothing_on_the_page_names_a_seed_document(distribution: str) -> None:
    project = metadata(distribution)
    readme = (REPOSITORY / "packaging" / distribution / "README.md").read_text()
    for text in (readme, str(project["description"])):
        assert not re.search(r"seed 0|seed document", text, re.IGNORECASE), text
