"""The project's public home (`packaging/home.toml`) and the project URLs and README links derived from it.

The home is written once, in `packaging/home.toml`; the distributions' own pyproject.toml and README.md name no URL
of the project. `release.artifacts` stages each distribution with `[project.urls]` and a "Links" section derived
from the home when it is set, and with neither while it is not, so no published file points at a place that does
not exist.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import attrs

from .distributions import ROOT

HOME_FILE = ROOT / "packaging" / "home.toml"

DOCUMENTATION_PAGES: dict[str, tuple[tuple[str, str], ...]] = {
    "sdk-runtime": (
        ("API reference", "reference/sdk-runtime/"),
        ("Errors, retries and idempotency", "errors-retries/"),
    ),
    "sdk-sandbox": (
        ("The sandboxes and the dashboard", "sandboxes/"),
        ("Testing with the sandboxes", "testing/"),
        ("API reference", "reference/sdk-sandbox/"),
    ),
    "vault-auth": (
        ("Getting started", "getting-started/vault-auth/"),
        ("Errors, retries and idempotency", "errors-retries/"),
        ("API reference", "reference/vault-auth/"),
    ),
    "vortex-python-sdk": (
        ("Getting started", "getting-started/vortex/"),
        ("Errors, retries and idempotency", "errors-retries/"),
        ("API reference", "reference/vortex-sdk/"),
    ),
    "app-integrations": (
        ("Getting started", "getting-started/django-integrations/"),
        ("The Django integrations in your project", "django-guide/"),
        ("Webhooks", "webhooks/"),
        ("API reference", "reference/app-integrations/"),
    ),
}
"""Each distribution's pages of the documentation site (paths under its root, the first is its Documentation URL)."""


class HomeError(ValueError):
    """`packaging/home.toml` is half set or names something that is not an https URL."""


@attrs.frozen
class ProjectHome:
    """Where the project's source and documentation site are published (both None: nowhere yet)."""

    source: str | None = None
    documentation: str | None = None

    @property
    def is_set(self) -> bool:
        """Whether the project has a public home."""
        return self.source is not None

    def project_urls(self, distribution: str) -> dict[str, str]:
        """The `[project.urls]` of `distribution`: empty without a home."""
        if self.source is None or self.documentation is None:
            return {}
        return {
            "Homepage": self.documentation,
            "Documentation": self.documentation + DOCUMENTATION_PAGES[distribution][0][1],
            "Source": self.source,
            "Issues": f"{self.source}/issues",
            "Changelog": f"{self.source}/blob/main/packaging/{distribution}/CHANGELOG.md",
        }

    def readme_links(self, distribution: str) -> str:
        """The "Links" section appended to `distribution`'s README: empty without a home."""
        if self.source is None or self.documentation is None:
            return ""
        pages = [f"- [{title}]({self.documentation}{path})" for title, path in DOCUMENTATION_PAGES[distribution]]
        return "\n## Links\n\n" + "\n".join([*pages, f"- [Source]({self.source})"]) + "\n"


def load_home(path: Path = HOME_FILE) -> ProjectHome:
    """The home `path` declares; a `HomeError` when only one of the two is set or either is not https."""
    declared = tomllib.loads(path.read_text(encoding="utf-8"))
    source, documentation = (str(declared.get(key, "")).strip() for key in ("source", "documentation"))
    if not source and not documentation:
        return ProjectHome()
    if not (source and documentation):
        raise HomeError(f"{path.name}: set both `source` and `documentation`, or neither")
    for key, url in (("source", source), ("documentation", documentation)):
        if not url.startswith("https://") or any(character in url for character in '<>"\\ '):
            raise HomeError(f"{path.name}: `{key}` must be an https URL, not {url!r}")
    return ProjectHome(source=source.rstrip("/"), documentation=documentation.rstrip("/") + "/")


def urls_table(urls: dict[str, str]) -> str:
    """`urls` as a TOML `[project.urls]` table (empty text for no URLs)."""
    if not urls:
        return ""
    return "\n[project.urls]\n" + "".join(f'{name} = "{url}"\n' for name, url in urls.items())
