"""The five published distributions: their import packages, specs, version files, changelogs and fragments."""

from __future__ import annotations

import re
from pathlib import Path

import attrs

ROOT = Path(__file__).resolve().parents[2]
_VERSION_LINE = re.compile(r'^__version__ = "([^"]+)"$', re.MULTILINE)


@attrs.frozen
class Distribution:
    """One published distribution, built from `packaging/<name>/pyproject.toml`."""

    name: str
    packages: tuple[str, ...]
    specs: tuple[str, ...] = ()

    @property
    def folder(self) -> Path:
        """`packaging/<name>/`: its pyproject.toml, README, CHANGELOG.md and `changes/` fragments."""
        return ROOT / "packaging" / self.name

    @property
    def version_file(self) -> Path:
        """The `_version.py` of its first package, the one place its version is written."""
        return ROOT / "src" / self.packages[0] / "_version.py"

    @property
    def changelog(self) -> Path:
        """Its CHANGELOG.md (Keep a Changelog form, built by towncrier)."""
        return self.folder / "CHANGELOG.md"

    @property
    def fragments(self) -> Path:
        """The folder of unreleased changelog fragments, `packaging/<name>/changes/`."""
        return self.folder / "changes"

    @property
    def baseline(self) -> Path:
        """The committed API report of its last release, `api/<name>.json`."""
        return ROOT / "api" / f"{self.name}.json"

    def package_dirs(self) -> list[Path]:
        """The source folders of its import packages (hand-written under src/, generated under generated/)."""
        return [
            ROOT / ("src" if (ROOT / "src" / package).is_dir() else "generated") / package for package in self.packages
        ]

    def declared_version(self) -> str:
        """The version its `_version.py` declares now."""
        match = _VERSION_LINE.search(self.version_file.read_text())
        if not match:
            raise ValueError(f'{self.version_file.relative_to(ROOT)} has no `__version__ = "X.Y.Z"` line')
        return match.group(1)

    def write_version(self, version: str) -> None:
        """Rewrite its `_version.py` to declare `version`."""
        text = self.version_file.read_text()
        self.version_file.write_text(_VERSION_LINE.sub(f'__version__ = "{version}"', text))

    def pending_fragments(self) -> list[Path]:
        """Changelog fragments written since the last release (towncrier's `<id>.<type>.md`)."""
        if not self.fragments.is_dir():
            return []
        return sorted(path for path in self.fragments.iterdir() if path.suffix == ".md" and path.name.count(".") >= 2)


_SANDBOX_CONTROL = tuple(
    f"src/sdk_sandbox/{folder}control.yaml" for folder in ("", "vault/", "vortex/", "loops/", "twilio/", "stripe/")
)

# Build order: the runtime first, since every other distribution depends on it.
DISTRIBUTIONS: tuple[Distribution, ...] = (
    Distribution("sdk-runtime", ("sdk_runtime",)),
    Distribution("sdk-sandbox", ("sdk_sandbox",), _SANDBOX_CONTROL),
    Distribution("vault-auth", ("vault_auth", "vault_api"), ("openapi/vault.yaml",)),
    Distribution("vortex-python-sdk", ("vortex_sdk", "vortex_api"), ("openapi/vortex.yaml",)),
    Distribution(
        "app-integrations",
        ("app_integrations", "loops_api", "twilio_api", "stripe_api"),
        ("openapi/loops.yaml", "openapi/twilio.yaml", "openapi/stripe.yaml"),
    ),
)


def by_name(name: str) -> Distribution:
    """The distribution called `name`, or a `KeyError` listing the known names."""
    for distribution in DISTRIBUTIONS:
        if distribution.name == name:
            return distribution
    raise KeyError(f"no distribution {name!r}; known: {', '.join(d.name for d in DISTRIBUTIONS)}")
