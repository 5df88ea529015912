"""The project's URLs come from one place, `packaging/home.toml`: no distribution names a URL of its own, and the
staged artifacts carry the URLs derived from the home when it is set, none while it is not."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from release.artifacts import stage
from release.distributions import DISTRIBUTIONS, ROOT, Distribution, by_name
from release.home import DOCUMENTATION_PAGES, HomeError, ProjectHome, load_home

REAL_HOME = {"source": "https://example.org/sdks", "documentation": "https://docs.example.org/sdks"}


def home_file(folder: Path, **values: str) -> Path:
    """A home.toml in `folder` declaring `values`."""
    path = folder / "home.toml"
    path.write_text("".join(f'{key} = "{value}"\n' for key, value in values.items()))
    return path


@pytest.mark.parametrize("distribution", DISTRIBUTIONS, ids=lambda d: d.name)
def test_no_distribution_names_a_url_of_its_own(distribution: Distribution) -> None:
    folder = distribution.folder
    project = tomllib.loads((folder / "pyproject.toml").read_text())["project"]
    assert "urls" not in project, "project URLs belong in packaging/home.toml"
    assert "https://" not in (folder / "README.md").read_text(), "README links are added from packaging/home.toml"


def test_the_repository_declares_no_public_home_yet() -> None:
    assert load_home() == ProjectHome()


def test_every_documentation_page_named_exists() -> None:
    assert set(DOCUMENTATION_PAGES) == {distribution.name for distribution in DISTRIBUTIONS}
    for pages in DOCUMENTATION_PAGES.values():
        for _, page in pages:
            assert (ROOT / "docs" / f"{page.rstrip('/')}.md").is_file(), page


def test_without_a_home_the_staged_distribution_has_no_urls_and_no_links(tmp_path: Path) -> None:
    project = stage(by_name("vault-auth"), tmp_path, ProjectHome())
    assert "urls" not in tomllib.loads((project / "pyproject.toml").read_text())["project"]
    assert (project / "README.md").read_text() == (ROOT / "packaging" / "vault-auth" / "README.md").read_text()


def test_with_a_home_every_url_and_link_is_derived_from_it(tmp_path: Path) -> None:
    home = load_home(home_file(tmp_path, **REAL_HOME))
    project = stage(by_name("app-integrations"), tmp_path / "staged", home)
    assert tomllib.loads((project / "pyproject.toml").read_text())["project"]["urls"] == {
        "Homepage": "https://docs.example.org/sdks/",
        "Documentation": "https://docs.example.org/sdks/getting-started/django-integrations/",
        "Source": "https://example.org/sdks",
        "Issues": "https://example.org/sdks/issues",
        "Changelog": "https://example.org/sdks/blob/main/packaging/app-integrations/CHANGELOG.md",
    }
    readme = (project / "README.md").read_text()
    assert readme.endswith(
        "\n## Links\n\n"
        "- [Getting started](https://docs.example.org/sdks/getting-started/django-integrations/)\n"
        "- [The Django integrations in your project](https://docs.example.org/sdks/django-guide/)\n"
        "- [Webhooks](https://docs.example.org/sdks/webhooks/)\n"
        "- [API reference](https://docs.example.org/sdks/reference/app-integrations/)\n"
        "- [Source](https://example.org/sdks)\n"
    )


@pytest.mark.parametrize(
    "values",
    [
        {"source": "https://example.org/sdks"},
        {"source": "https://github.com/<owner>/<repository>", "documentation": "https://docs.example.org/"},
        {"source": "http://example.org/sdks", "documentation": "https://docs.example.org/"},
    ],
    ids=["half set", "placeholder", "not https"],
)
def test_a_half_set_or_placeholder_home_is_refused(tmp_path: Path, values: dict[str, str]) -> None:
    with pytest.raises(HomeError):
        load_home(home_file(tmp_path, **values))


def test_a_pyproject_with_urls_of_its_own_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "packaging" / "vault-auth"
    folder.mkdir(parents=True)
    original = ROOT / "packaging" / "vault-auth"
    (folder / "pyproject.toml").write_text(
        (original / "pyproject.toml").read_text() + '\n[project.urls]\nSource = "https://example.org/elsewhere"\n'
    )
    distribution = by_name("vault-auth")
    monkeypatch.setattr(type(distribution), "folder", property(lambda _: folder))
    with pytest.raises(ValueError, match=r"has its own \[project.urls\]"):
        stage(distribution, tmp_path / "staged", ProjectHome())
